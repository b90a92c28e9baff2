/**
 * The generic classifier on Gmail's real texts (../shared/facts/responses.jsonl): each reply
 * gets the class its label says, and the rule that decided is named.
 */
import { expect, test } from 'vitest';
import { classifyNetworkError, classifyReply } from '../../../mta-under-test/reference/core/classify.ts';
import { parseReply } from '../../../sim/smtp/reply.ts';

const CASES = [
  ['250 2.0.0 OK  1700000000 a640c23a62f3a-abc - gsmtp', 'delivered', 'none', 'generic.positive'],
  ["550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser - gsmtp", 'unknown-user', 'suppress', 'generic.enhanced.5.1.1'],
  ['421 4.7.28 [192.0.2.10] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError to review our Bulk Email Senders Guidelines. - gsmtp', 'rate-limited', 'backoff', 'generic.text.rate-limit'],
  ['550 5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser - gsmtp', 'mailbox-disabled', 'suppress', 'generic.enhanced.5.2.1'],
  ['452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp', 'mailbox-full', 'retry', 'generic.enhanced.x.2.2'],
  ['450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.', 'rate-limited', 'backoff', 'generic.text.rate-limit'],
  ['451 4.3.0 Mail server temporarily rejected message. - gsmtp', 'server-error', 'retry', 'generic.basic.4xx'],
  ['421 4.3.0 Temporary System Problem. Try again later.', 'server-error', 'backoff', 'generic.basic.421'],
  ['554 5.7.1 Message rejected', 'unclassified', 'fail-message', 'generic.basic.5xx'],
] as const;

test.each(CASES)('%s', (response, cls, action, rule) => {
  // Act
  const verdict = classifyReply(parseReply(Number(response.slice(0, 3)), response));
  // Assert
  expect(verdict).toEqual({ class: cls, action, rule });
});

test('no reply at all is a network error to retry', () => {
  expect(classifyNetworkError()).toEqual({ class: 'network-error', action: 'retry', rule: 'generic.network' });
});
