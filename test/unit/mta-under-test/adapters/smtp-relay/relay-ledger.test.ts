/**
 * The smtp-relay adapter's reading of a relay's DSNs: each row of relay-ledger.ts's table, the
 * join by ENVID and without it, and the reports that are not the relay's decision. The DSNs are
 * real report mail (RFC 3464 layout, as Postfix writes it) read by the project's one report
 * reader, so a change in either shows here.
 */
import { expect, test } from 'vitest';
import { RelayLedger, replyOf } from '../../../../../mta-under-test/adapters/smtp-relay/relay-ledger.ts';
import type { MtaMessage } from '../../../../../mta-under-test/adapters/mta-under-test.ts';
import { readInboundReport } from '../../../../../mta-under-test/reference/inbound/read-report.ts';
import { DEFAULT_EPOCH_MS } from '../../../../../kernel/clock/clock.ts';

const AT = DEFAULT_EPOCH_MS + 60_000;

function message(recipient: string): MtaMessage {
  return {
    mailFrom: 'news@shop.test',
    recipients: [recipient],
    data: 'Subject: hi\r\n\r\nhello\r\n',
    campaign: 'spring',
    tenant: 'shop',
  };
}

/** A DSN as Postfix's bounce daemon writes it, one recipient block. */
function dsn(fields: {
  envelopeId?: string;
  recipient: string;
  action: string;
  status: string;
  diagnostic?: string;
}): string {
  const perMessage = [
    'Reporting-MTA: dns; relay.test',
    ...(fields.envelopeId === undefined ? [] : [`Original-Envelope-Id: ${fields.envelopeId}`]),
    'Arrival-Date: Mon,  1 Jun 2026 08:00:00 +0000',
  ];
  const perRecipient = [
    `Final-Recipient: rfc822; ${fields.recipient}`,
    `Original-Recipient: rfc822;${fields.recipient}`,
    `Action: ${fields.action}`,
    `Status: ${fields.status}`,
    'Remote-MTA: dns; 127.0.1.2',
    ...(fields.diagnostic === undefined ? [] : [`Diagnostic-Code: ${fields.diagnostic}`]),
  ];
  return [
    'From: MAILER-DAEMON@relay.test (Mail Delivery System)',
    'To: news@shop.test',
    'Subject: Delivery Status Notification',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'This is the mail system at host relay.test.',
    '',
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    ...perMessage,
    '',
    ...perRecipient,
    '',
    '--b1--',
    '',
  ].join('\r\n');
}

async function recordsOf(ledger: RelayLedger, raw: string): Promise<ReturnType<RelayLedger['fromReport']>> {
  return ledger.fromReport(await readInboundReport(raw), AT);
}

test('a relayed notice is a delivery paired with the receiver reply it quotes', async () => {
  const ledger = new RelayLedger();
  const id = ledger.open(message('ann@gmail.com'));
  expect(ledger.accepted(id, message('ann@gmail.com'), DEFAULT_EPOCH_MS)).toEqual([
    {
      type: 'Reception',
      atMs: DEFAULT_EPOCH_MS,
      messageId: id,
      recipient: 'ann@gmail.com',
      mailFrom: 'news@shop.test',
      campaign: 'spring',
      tenant: 'shop',
    },
  ]);
  const records = await recordsOf(
    ledger,
    dsn({
      envelopeId: id,
      recipient: 'ann@gmail.com',
      action: 'relayed',
      status: '2.0.0',
      diagnostic: 'smtp; 250 2.0.0 OK accepted',
    }),
  );
  expect(records).toEqual([
    expect.objectContaining({
      type: 'Delivery',
      messageId: id,
      recipient: 'ann@gmail.com',
      attempt: 1,
      mxHost: '127.0.1.2',
      sourceIp: 'unknown',
      class: 'delivered',
      action: 'none',
      rule: 'relay.dsn.2.x.x',
      reply: { code: 250, enhanced: '2.0.0', lines: ['OK accepted'] },
      campaign: 'spring',
      tenant: 'shop',
    }),
  ]);
  expect(ledger.counts()).toEqual({ joined: 1, laterReports: 0, unjoined: 0, unreadable: 0 });
});

test('delay, then failure: a transient failure, then a bounce counted as the second notice', async () => {
  const ledger = new RelayLedger();
  const id = ledger.open(message('bob@corp.test'));
  const delayed = await recordsOf(
    ledger,
    dsn({
      envelopeId: id,
      recipient: 'bob@corp.test',
      action: 'delayed',
      status: '4.7.0',
      diagnostic: 'smtp; 451 4.7.0 try later',
    }),
  );
  expect(delayed).toEqual([
    expect.objectContaining({
      type: 'TransientFailure',
      class: 'policy-block',
      action: 'retry',
      attempt: 1,
      nextAttemptAtMs: AT,
    }),
  ]);
  const failed = await recordsOf(
    ledger,
    dsn({
      envelopeId: id,
      recipient: 'bob@corp.test',
      action: 'failed',
      status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 <bob@corp.test>: user unknown',
    }),
  );
  expect(failed).toEqual([
    expect.objectContaining({
      type: 'Bounce',
      class: 'unknown-user',
      action: 'fail-message',
      attempt: 2,
      rule: 'relay.dsn.5.1.x',
    }),
  ]);
});

test.each([
  ['4.4.1', 'smtp; 421 4.4.1 too busy'],
  ['5.4.7', 'X-Postfix; delivery time expired'],
])('a failure with status %s means the relay gave up retrying: an expiration', async (status, diagnostic) => {
  const ledger = new RelayLedger();
  const id = ledger.open(message('cy@orange.fr'));
  expect(
    await recordsOf(ledger, dsn({ envelopeId: id, recipient: 'cy@orange.fr', action: 'failed', status, diagnostic })),
  ).toEqual([
    {
      type: 'Expiration',
      atMs: AT,
      messageId: id,
      recipient: 'cy@orange.fr',
      attempts: 0,
      campaign: 'spring',
      tenant: 'shop',
    },
  ]);
});

test('a report without our ENVID, or about a recipient already final, is a receiver report, not the relay decision', async () => {
  const ledger = new RelayLedger();
  const id = ledger.open(message('dee@gmx.de'));
  // A gateway's own later bounce can arrive before the relay's notice of the delivery.
  expect(
    await recordsOf(
      ledger,
      dsn({ recipient: 'dee@gmx.de', action: 'failed', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user unknown' }),
    ),
  ).toEqual([]);
  expect(
    await recordsOf(ledger, dsn({ envelopeId: id, recipient: 'dee@gmx.de', action: 'relayed', status: '2.0.0' })),
  ).toEqual([expect.objectContaining({ type: 'Delivery', messageId: id })]);
  expect(
    await recordsOf(
      ledger,
      dsn({
        envelopeId: id,
        recipient: 'dee@gmx.de',
        action: 'failed',
        status: '5.7.1',
        diagnostic: 'smtp; 550 5.7.1 content rejected',
      }),
    ),
  ).toEqual([]);
  expect(ledger.counts()).toEqual({ joined: 1, laterReports: 2, unjoined: 0, unreadable: 0 });
});

test('reports about mail the bench never handed over, and mail that is no report, are counted, not recorded', async () => {
  const ledger = new RelayLedger();
  expect(
    await recordsOf(
      ledger,
      dsn({ envelopeId: 'mailbench-99', recipient: 'eve@x.test', action: 'failed', status: '5.1.1' }),
    ),
  ).toEqual([]);
  expect(await recordsOf(ledger, 'Subject: out of office\r\n\r\nback monday\r\n')).toEqual([]);
  expect(ledger.counts()).toEqual({ joined: 0, laterReports: 0, unjoined: 1, unreadable: 1 });
});

test('only an smtp diagnostic carries the receiver reply', () => {
  expect(replyOf('smtp; 550-5.7.1 first line\r\n 550 5.7.1 second')).toEqual({
    code: 550,
    enhanced: '5.7.1',
    lines: ['first line 550 5.7.1 second'],
  });
  expect(replyOf('X-Postfix; delivery time expired')).toBeUndefined();
  expect(replyOf(undefined)).toBeUndefined();
});
