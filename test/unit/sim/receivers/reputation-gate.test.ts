/**
 * Where a receiver refuses a sender of the worst reputation band. Cisco's Host Access Table
 * judges the IP as the connection opens (its profile's `reputationGate`), so a bad IP meets the
 * SBRS text in the greeting, over a raw socket too; every other receiver judges at RCPT, where
 * the sending domain is known, and still holds a bad IP to its connection limit.
 */
import { afterEach, expect, test } from 'vitest';
import { RealScheduler } from '../../../../kernel/clock/real-clock.ts';
import { replyText } from '../../../../kernel/smtp/reply.ts';
import { CISCO_SECURE_EMAIL } from '../../../../sim/receivers/gateways/cisco-secure-email.ts';
import { createGatewayReceiver } from '../../../../sim/receivers/gateways/gateway.ts';
import type { ProfiledReceiver } from '../../../../sim/receivers/profiled-receiver.ts';
import { GMAIL } from '../../../../sim/receivers/providers/gmail.ts';
import type { ReceiverContext } from '../../../../sim/receivers/receiver.ts';
import { startListener } from '../../../../sim/transport/smtp-listener.ts';
import type { Listener } from '../../../../sim/transport/smtp-listener.ts';
import type { Tenant } from '../../../../sim/world/tenants.ts';
import { openSession, sendOne } from '../../../support/dialogue.ts';
import { rawSmtp } from '../../../support/raw-smtp.ts';
import { receiverFor, receiverWorld, withAdmission } from '../../../support/receiver-world.ts';

const TENANT: Tenant = {
  domain: 'northwind-0001.example',
  family: 'cisco-secure-email',
  slug: 'northwind-0001',
  number: 100_001,
  validation: 'edge',
  region: 'eu',
};

const running: Listener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((listener) => listener.close()));
});

/** Unknown users sink a new IP's band: sends them until the receiver holds the IP bad. */
function sinkToBad(receiver: ProfiledReceiver, context: ReceiverContext, domain: string): void {
  const session = openSession(receiver);
  for (let sent = 0; sent < 50 && receiver.reputationOf('ip:127.0.0.2', context.clock.now()).band !== 'bad'; sent++)
    sendOne(receiver, session, [`ghost${sent}@${domain}`]);
  receiver.close(session);
  expect(receiver.reputationOf('ip:127.0.0.2', context.clock.now()).band).toBe('bad');
}

test('Cisco refuses a bad IP in its greeting with the SBRS text, and records one session-level truth', () => {
  const { context } = receiverWorld({});
  const cisco = createGatewayReceiver(CISCO_SECURE_EMAIL, [TENANT], context, { limitsOff: false });
  sinkToBad(cisco, context, TENANT.domain);

  const opened = cisco.open({ peerIp: '127.0.0.2' });

  expect(opened.session).toBeNull();
  expect(opened.reply.code).toBe(554);
  expect(replyText(opened.reply)).toContain("rejected due to the sending MTA's poor reputation");
  expect(context.truth.all().at(-1)).toMatchObject({
    stage: 'connect',
    recipient: '',
    cause: 'reputation-block',
    rule: 'cisco-secure-email.connect.reputation-block',
  });
  // Another IP, of no bad history, is greeted.
  expect(cisco.open({ peerIp: '127.0.0.3' }).session).not.toBeNull();
});

test('over real SMTP, a bad IP reads the 554 as the greeting and the connection ends', async () => {
  const clock = new RealScheduler();
  const { context } = receiverWorld({}, clock);
  const cisco = createGatewayReceiver(CISCO_SECURE_EMAIL, [TENANT], context, { limitsOff: false });
  sinkToBad(cisco, context, TENANT.domain);
  const listener = await startListener(cisco, { address: '127.0.0.1', scheduler: clock });
  running.push(listener);

  const client = await rawSmtp({ host: listener.address, port: listener.port, localAddress: '127.0.0.2' });
  const greeting = await client.reply();

  expect(greeting).toMatch(/^554 .*poor reputation/);
  await client.closed;
});

test('Gmail judges reputation at RCPT: a bad IP is greeted, refused per recipient, and held to the connection limit', () => {
  const { context } = receiverWorld({ 'alice@gmail.com': 'active' });
  const gmail = receiverFor(withAdmission(GMAIL, { connectionsPerIp: 2 }), context);
  sinkToBad(gmail, context, 'gmail.com');

  const first = openSession(gmail);
  const refused = sendOne(gmail, first, ['alice@gmail.com']).rcpt[0];
  expect(refused?.code).toBeGreaterThanOrEqual(400);
  expect(context.truth.all().at(-1)).toMatchObject({
    stage: 'rcpt',
    cause: 'reputation-block',
    rule: 'gmail.reputation.block',
  });

  openSession(gmail);
  const third = gmail.open({ peerIp: '127.0.0.2' });
  expect(third.session).toBeNull();
  expect(context.truth.all().at(-1)).toMatchObject({
    stage: 'connect',
    cause: 'too-many-connections',
    rule: 'gmail.connect.too-many-connections',
  });
});
