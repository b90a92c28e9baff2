/**
 * The engine service's mail about mail, on the wire: the reference engine as its own process
 * in front of the simulated Gmail, with VERP return paths, and the bench's return-path inbox
 * as the MX of the envelope sender's domain.
 *
 * - Unknown users (4 of 40: more would sink a new IP's reputation at Gmail, and the engine
 *   would rightly back off for real minutes) bounce with Gmail's 550 5.1.1; the engine sends an RFC 3464 DSN for each to the
 *   envelope sender, from the null reverse-path, and the inbox reads it (status 5.1.1, the
 *   recipient named).
 * - Every message went out with a VERP MAIL FROM that names it, as the receiver's truth shows.
 * - An ARF complaint delivered by SMTP to the engine's inbound listener is joined to its
 *   message by the X-Mailbench-Ref header; the address is suppressed, so a new message to it
 *   is failed at once (AdminBounce) and its sender gets a DSN for that too — also after the
 *   engine is killed and restarted, since the suppression list is replayed from its log.
 */
import { afterAll, expect, test } from 'vitest';
import { readAccountingLog } from '../../mta-under-test/reference/accounting-log/reader.ts';
import type { AccountingRecord, ReceptionRecord } from '../../mta-under-test/accounting.ts';
import { SmtpClientTransport } from '../../mta-under-test/reference/transport/smtp-client.ts';
import { refHeaderLine } from '../../mta-under-test/reference/verp.ts';
import { engineBench, exited, injectBatch } from '../../runner/engine-process.ts';
import type { EngineBench } from '../../runner/engine-process.ts';
import { ReturnPathInbox } from '../../runner/return-path-inbox.ts';
import { SENDER_INBOUND_ADDRESS } from '../../runner/sender-setup.ts';
import { arfReport } from '../../sim/later/report-mail.ts';

const RECIPIENTS = 40;
const DEADLINE_MS = 30_000;
const VERP = { prefix: 'bounces', domain: 'news.mailbench.test' };

let bench: EngineBench | undefined;
let closeInbox: (() => Promise<void>) | undefined;
afterAll(async () => {
  await closeInbox?.();
  await bench?.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function records(dir: string): Promise<AccountingRecord[]> {
  const all: AccountingRecord[] = [];
  for await (const record of readAccountingLog(dir)) all.push(record);
  return all;
}

test('DSNs to the envelope sender, VERP return paths, and a complaint that suppresses the address', async () => {
  // Arrange: the sender domain's MX is the bench's inbox; the engine uses VERP.
  const inbox = new ReturnPathInbox();
  const inboxListener = await inbox.listen(SENDER_INBOUND_ADDRESS, 'mx.news.mailbench.test');
  closeInbox = () => inboxListener.close();
  bench = await engineBench(
    {
      name: 'service',
      population: { recipients: RECIPIENTS, domains: ['gmail.com'], unknownShare: 0.1 },
      receivers: { limitsOff: true },
    },
    { default: { maxMessageRate: null, maxConnectionRate: null } },
    {
      verp: VERP,
      dns: {
        mx: { 'news.mailbench.test': ['mx.news.mailbench.test'] },
        hosts: { 'mx.news.mailbench.test': `${SENDER_INBOUND_ADDRESS}:${inboxListener.port}` },
      },
    },
  );
  const { world } = bench;
  const engine = await bench.start();
  const unknown = world.population.recipients.filter(
    (recipient) => world.population.mailboxes.get(recipient) === undefined,
  );
  const live = world.population.recipients.find(
    (recipient) => world.population.mailboxes.get(recipient) !== undefined,
  ) as string;
  // Act 1: mail everyone; wait for the DSNs.
  const ids = await injectBatch(engine, world.sender.from, world.population.recipients);
  await until(() => inbox.tally().dsn >= unknown.length, `${unknown.length} DSNs`);
  // Act 2: the live recipient complains (an ARF quoting the original headers, as Yahoo's CFL does).
  const accounting = `${bench.dir}/accounting`;
  // The accounting log is flushed once a second: wait for the live recipient's Reception in it.
  let messageId = '';
  const deadline = Date.now() + DEADLINE_MS;
  while (messageId === '' && Date.now() < deadline) {
    const reception = (await records(accounting)).find(
      (record): record is ReceptionRecord => record.type === 'Reception' && record.recipient === live,
    );
    if (reception !== undefined) messageId = reception.messageId;
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const refHeader = refHeaderLine({ messageId, recipient: live });
  const arf = arfReport(
    {
      kind: 'complaint',
      atMs: 0,
      receiver: 'yahoo',
      recipient: live,
      mailFrom: 'bounces@news.mailbench.test',
      peerIp: '127.0.0.2',
      feedbackLoop: 'Yahoo CFL',
      reportingMta: 'feedback.yahoo.com',
      originalHeaders: `From: News <news@news.mailbench.test>\r\nTo: <${live}>\r\nSubject: Hello\r\n${refHeader}\r\n`,
      arrivalMs: 0,
    },
    {
      from: 'Yahoo CFL <feedback@yahoo.com>',
      to: 'fbl@news.mailbench.test',
      dateMs: Date.UTC(2026, 0, 6),
      id: 'arf-test-1',
      domain: 'yahoo.com',
    },
    'Yahoo CFL',
  );
  const [address, port] = engine.inbound.split(':') as [string, string];
  const connected = await new SmtpClientTransport().connect({
    sourceIp: '127.0.1.3',
    heloName: 'feedback.yahoo.com',
    mxHost: 'mx.news.mailbench.test',
    address,
    port: Number(port),
    tls: 'disabled',
  });
  if (connected.kind !== 'open')
    throw new Error(`the inbound listener did not take the connection: ${JSON.stringify(connected)}`);
  const answer = await connected.session.send({
    envelope: { mailFrom: '', recipients: ['fbl@news.mailbench.test'] },
    data: arf,
  });
  await connected.session.close();
  // Act 3: mail the complainer again.
  await injectBatch(engine, world.sender.from, [live]);
  await until(() => inbox.tally().dsn >= unknown.length + 1, 'the DSN for the suppressed address');
  // Act 4: the engine is killed and restarted; its suppression list must survive (it is in the accounting log).
  const logged = async (type: AccountingRecord['type']): Promise<boolean> =>
    (await records(accounting)).some((record) => record.type === type);
  // The log is written once a second: wait for act 3's records before the kill takes the unwritten tail.
  for (let tries = 0; !(await logged('AdminBounce')) && tries < 100; tries++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  engine.child.kill('SIGKILL');
  await exited(engine);
  const restarted = await bench.start();
  await injectBatch(restarted, world.sender.from, [live]);
  await until(() => inbox.tally().dsn >= unknown.length + 2, 'the DSN for the suppressed address after the restart');
  restarted.child.kill('SIGTERM');
  await exited(restarted);
  // Assert
  expect(ids).toHaveLength(RECIPIENTS);
  const dsns = inbox.read().filter((report) => report.kind === 'dsn');
  expect(
    dsns
      .filter((report) => report.status === '5.1.1')
      .map((report) => report.recipient)
      .sort(),
  ).toEqual([...unknown].sort());
  expect(world.truth.all().every((truth) => /^bounces\+[^@]+@news\.mailbench\.test$/.test(truth.mailFrom))).toBe(true);
  expect(answer.recipients[0]).toMatchObject({ kind: 'reply', reply: { code: 250 } });
  const after = await records(accounting);
  expect(after.find((record) => record.type === 'Feedback')).toMatchObject({
    recipient: live,
    messageId,
    feedbackType: 'abuse',
    joinedBy: 'header',
  });
  expect(after.find((record) => record.type === 'Suppression' && record.recipient === live)).toMatchObject({
    change: 'add',
    rule: 'feedback.complaint',
  });
  expect(after.filter((record) => record.type === 'AdminBounce')).toMatchObject([
    { recipient: live, reason: 'suppressed' },
    { recipient: live, reason: 'suppressed' },
  ]);
  expect(restarted.recovered).toMatchObject({ suppressions: unknown.length + 1 });
});
