/**
 * Reading Postfix's status text: the receiver's reply parsed with parseReply (multi-line
 * replies folded, the repeated codes dropped), the SMTP stage when the text names it, and
 * the network problem when no reply came.
 */
import { expect, test } from 'vitest';
import { readAttemptText, stageOfText } from '../../../../../mta-under-test/adapters/postfix/reply-text.ts';

test('a refusal at RCPT: reply and stage', () => {
  // Act
  const read = readAttemptText('host 127.0.1.2[127.0.1.2] said: 550 5.1.1 no such user (in reply to RCPT TO command)');
  // Assert
  expect(read).toEqual({ reply: { code: 550, enhanced: '5.1.1', lines: ['no such user'] }, stage: 'rcpt' });
});

test('a multi-line reply reads as one, without the repeated codes', () => {
  // Act
  const read = readAttemptText(
    'host mx[127.0.1.1] said: 550-5.7.1 Our system has detected 550-5.7.1 unsolicited mail 550 5.7.1 blocked. (in reply to end of DATA command)',
  );
  // Assert
  expect(read).toEqual({
    reply: { code: 550, enhanced: '5.7.1', lines: ['Our system has detected unsolicited mail blocked.'] },
    stage: 'data',
  });
});

test('a reply without an enhanced code keeps its text whole', () => {
  // Act
  const read = readAttemptText('host 127.0.1.2[127.0.1.2] said: 450 mailbox busy (in reply to MAIL FROM command)');
  // Assert
  expect(read).toEqual({ reply: { code: 450, enhanced: null, lines: ['mailbox busy'] }, stage: 'mail' });
});

test('a greeting refusal is the connect stage', () => {
  // Act
  const read = readAttemptText('host 127.0.1.2[127.0.1.2] refused to talk to me: 554 5.7.1 go away');
  // Assert
  expect(read).toEqual({ reply: { code: 554, enhanced: '5.7.1', lines: ['go away'] }, stage: 'connect' });
});

test('the text of a delivery is the final reply to DATA', () => {
  // Act
  const read = readAttemptText('250 2.0.0 Ok: queued as 1Ab2');
  // Assert
  expect(read).toEqual({ reply: { code: 250, enhanced: '2.0.0', lines: ['Ok: queued as 1Ab2'] }, stage: 'data' });
});

test.each([
  ['connect to 127.0.1.9[127.0.1.9]:2525: Connection refused', 'connect'],
  ['delivery temporarily suspended: connect to 127.0.1.9[127.0.1.9]:2525: Connection refused', 'connect'],
  ['lost connection with 127.0.1.9[127.0.1.9] while receiving the initial server greeting', 'connect'],
  [
    'conversation with 127.0.1.9[127.0.1.9] timed out while sending end of data -- message may be sent more than once',
    'data',
  ],
  ['lost connection with 127.0.1.9[127.0.1.9] while sending RCPT TO', 'rcpt'],
] as const)('no reply: %s is a network error at %s', (text, stage) => {
  // Act
  const read = readAttemptText(text);
  // Assert
  expect(read).toEqual({ networkError: text, stage });
});

test('a text that names no stage gives none', () => {
  // Act / Assert
  expect(stageOfText('mail for example.com loops back to myself')).toBeUndefined();
  expect(readAttemptText('mail for example.com loops back to myself')).toEqual({
    networkError: 'mail for example.com loops back to myself',
  });
});

test('"after X" names the stage too', () => {
  // Act / Assert
  expect(stageOfText('host x[127.0.1.1] said: 421 4.4.2 closing after RCPT TO')).toBe('rcpt');
});
