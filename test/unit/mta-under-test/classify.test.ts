/**
 * The engine's entry points to the classifier (mta-under-test/reference/core/classify.ts) on
 * Gmail's real texts (../shared/facts/responses.jsonl): each reply gets the class its label says,
 * the action TAXONOMY gives that class, and the rule that decided is named. The rule packs
 * themselves are tested under ./classifier/.
 */
import { expect, test } from 'vitest';
import { classifyFacts, classifyNetworkError, classifyReply } from '../../../mta-under-test/reference/core/classify.ts';
import { parseReply } from '../../../kernel/smtp/reply.ts';

const CASES = [
  ['250 2.0.0 OK  1700000000 a640c23a62f3a-abc - gsmtp', 'delivered', 'none', 'generic.positive'],
  [
    "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser - gsmtp",
    'unknown-user',
    'suppress',
    'generic.enhanced.5.1.1',
  ],
  [
    '421 4.7.28 [192.0.2.10] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError to review our Bulk Email Senders Guidelines. - gsmtp',
    'rate-limited',
    'backoff',
    'gmail.4.7.28',
  ],
  [
    '550 5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser - gsmtp',
    'mailbox-disabled',
    'suppress',
    'generic.mailbox-disabled',
  ],
  [
    '452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp',
    'mailbox-full',
    'retry',
    'generic.mailbox-full',
  ],
  [
    '450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.',
    'rate-limited',
    'backoff',
    'generic.rate.limited',
  ],
  ['451 4.3.0 Mail server temporarily rejected message. - gsmtp', 'server-error', 'retry', 'generic.server.temporary'],
  ['421 4.3.0 Temporary System Problem. Try again later.', 'server-error', 'retry', 'generic.server.temporary'],
  ['554 5.7.1 Message rejected', 'policy-block', 'retry', 'generic.weak.refused'],
] as const;

test.each(CASES)('%s', (response, cls, action, rule) => {
  // Act
  const verdict = classifyReply(parseReply(Number(response.slice(0, 3)), response));
  // Assert
  expect(verdict).toMatchObject({ class: cls, action, rule, hard: action === 'suppress' });
});

test('the MX host that answered gives the family, and the family is evidence', () => {
  // Act
  const verdict = classifyReply(parseReply(550, '5.1.1 User unknown'), {
    mxHost: 'contoso-com.mail.protection.outlook.com',
    stage: 'rcpt',
  });
  // Assert
  expect(verdict).toMatchObject({ class: 'unknown-user', family: 'microsoft-365' });
  expect(verdict.evidence).toEqual(expect.arrayContaining(['enhanced: 5.1.1', 'family: microsoft-365']));
});

test('classifyFacts reads a code-less DSN diagnostic', () => {
  expect(
    classifyFacts({
      code: null,
      enhanced: '5.4.4',
      text: "Sorry, I couldn't find any host named example.invalid. (#5.1.2)",
    }),
  ).toMatchObject({ class: 'bad-domain', hard: true });
});

test('no reply at all is a network error to retry', () => {
  expect(classifyNetworkError()).toEqual({
    class: 'network-error',
    action: 'retry',
    rule: 'generic.network',
    hard: false,
    evidence: [],
  });
  expect(classifyNetworkError('connect ECONNREFUSED 127.0.1.1:25')).toMatchObject({
    class: 'network-error',
    action: 'retry',
    rule: 'generic.network.text',
  });
});
