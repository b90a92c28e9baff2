/**
 * Parsing Postfix 3.7 maillog_file lines: the five kinds the adapter reads (client, queued,
 * recipient status, message expired, removed), the syslog name's service part, and every
 * other line ignored. Fixture lines are in Postfix 3.7.11's format as written by postlogd.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseLogLine } from '../../../../../mta-under-test/adapters/postfix/log-line.ts';

const NOW_MS = new Date(2026, 11, 1, 19, 0, 0).getTime();
const FIXTURE = readFileSync(new URL('../../../../fixtures/postfix/maillog-3.7.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

describe('parseLogLine', () => {
  test('a delivery line: recipient, relay, delays, dsn, status, text and the egress service', () => {
    // Arrange
    const line = FIXTURE.find((text) => text.includes('to=<alice@gmail.com>')) ?? '';
    // Act
    const parsed = parseLogLine(line, NOW_MS);
    // Assert
    expect(parsed).toEqual({
      kind: 'recipient',
      atMs: new Date(2026, 11, 1, 18, 24, 0).getTime(),
      queueId: '4516F20C29F',
      daemon: 'smtp',
      service: 'egress-0',
      recipient: 'alice@gmail.com',
      relay: '127.0.1.1[127.0.1.1]:40123',
      delayS: 0.02,
      delaysS: [0.01, 0.01, 0, 0],
      dsn: '2.0.0',
      status: 'sent',
      text: '250 2.0.0 OK  1733077440 a1-20020a05600c000000b00430000000si1234567wmq.1 - gsmtp',
    });
  });

  test('conn_use= and orig_to= between the fields do not disturb the parse', () => {
    // Arrange
    const reused = FIXTURE.find((text) => text.includes('conn_use=2')) ?? '';
    const rewritten = FIXTURE.find((text) => text.includes('orig_to=')) ?? '';
    // Act
    const first = parseLogLine(reused, NOW_MS);
    const second = parseLogLine(rewritten, NOW_MS);
    // Assert
    expect(first).toMatchObject({
      kind: 'recipient',
      recipient: 'nobody@gmail.com',
      dsn: '5.1.1',
      status: 'bounced',
      delayS: 0.03,
    });
    expect(second).toMatchObject({ kind: 'recipient', recipient: 'dave@orange.fr', dsn: '5.7.1', status: 'bounced' });
  });

  test('the text keeps its own parentheses ("(in reply to … command)")', () => {
    // Arrange
    const line = FIXTURE.find((text) => text.includes('to=<bob@yahoo.com>') && text.includes('deferred')) ?? '';
    // Act
    const parsed = parseLogLine(line, NOW_MS);
    // Assert
    expect(parsed).toMatchObject({ status: 'deferred', dsn: '4.7.0' });
    expect(parsed?.kind === 'recipient' && parsed.text.endsWith('(in reply to MAIL FROM command)')).toBe(true);
  });

  test('client, queued, expired and removed lines', () => {
    // Arrange
    const pick = (fragment: string) => FIXTURE.find((text) => text.includes(fragment)) ?? '';
    // Act
    const client = parseLogLine(pick('4516F20C29F: client='), NOW_MS);
    const queued = parseLogLine(pick('4516F20C29F: from=<news@a.sender.test>, size=382'), NOW_MS);
    const expired = parseLogLine(pick('status=expired'), NOW_MS);
    const removed = parseLogLine(pick('71A8620C333: removed'), NOW_MS);
    // Assert
    expect(client).toMatchObject({ kind: 'client', queueId: '4516F20C29F', daemon: 'smtpd' });
    expect(client).not.toHaveProperty('service');
    expect(queued).toMatchObject({ kind: 'queued', from: 'news@a.sender.test', recipientCount: 3 });
    expect(expired).toMatchObject({ kind: 'expired', queueId: '71A8620C333', from: 'news@b.sender.test' });
    expect(removed).toMatchObject({ kind: 'removed', queueId: '71A8620C333' });
  });

  test('the null sender of a DSN reads as an empty address', () => {
    // Act
    const parsed = parseLogLine(FIXTURE.find((text) => text.includes('from=<>')) ?? '', NOW_MS);
    // Assert
    expect(parsed).toMatchObject({ kind: 'queued', from: '', queueId: '7A20A20C253' });
  });

  test.each([
    ['startup', 'starting the Postfix mail system'],
    ['daemon start', 'daemon started -- version'],
    ['connect', 'connect from unknown'],
    ['message-id', 'message-id=<m1@sender.test>'],
    ['bounce notice', 'sender non-delivery notification'],
    ['a connect error without queue id', ']: connect to 127.0.1.9'],
    ['a warning', 'warning: hostname localhost'],
  ])('ignores a %s line', (_name, fragment) => {
    // Act
    const parsed = parseLogLine(FIXTURE.find((text) => text.includes(fragment)) ?? '', NOW_MS);
    // Assert
    expect(parsed).toBeUndefined();
  });

  test('a December line read in January belongs to the year before', () => {
    // Arrange
    const januaryMs = new Date(2027, 0, 1, 0, 0, 5).getTime();
    // Act
    const parsed = parseLogLine(FIXTURE[3] ?? '', januaryMs);
    // Assert
    expect(parsed?.atMs).toBe(new Date(2026, 11, 1, 18, 24, 0).getTime());
  });

  test('a per-recipient "status=expired, returned to sender" line is a recipient status', () => {
    // Arrange
    const line =
      'Dec 01 18:30:00 postfix-under-test postfix/qmgr[8638]: 4516F20C29F: to=<a@b.example>, relay=none, delay=432000, delays=432000/0/0/0, dsn=4.4.7, status=expired, returned to sender';
    // Act
    const parsed = parseLogLine(line, NOW_MS);
    // Assert
    expect(parsed).toMatchObject({ kind: 'recipient', status: 'expired', dsn: '4.4.7', text: '' });
  });
});
