/**
 * Incidents on receivers, through the fleet the runner builds: outages (421 at connect, or 451
 * to RCPT and DATA) inside their window and normal service outside it, and policy changes that
 * take effect at their time and stay. Each refusal is checked with its truth (cause, rule).
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_EPOCH_MS, HOUR_MS, MINUTE_MS } from '../../../../kernel/clock/clock.ts';
import type { Clock } from '../../../../kernel/clock/clock.ts';
import { buildFleet } from '../../../../sim/receivers/fleet.ts';
import { INCIDENT_RECEIVER_IDS } from '../../../../sim/receivers/incident-receivers.ts';
import { ReceiverIncidents, validatePolicyChange } from '../../../../sim/receivers/incidents.ts';
import { createProfiledReceiver } from '../../../../sim/receivers/profiled-receiver.ts';
import { GMAIL } from '../../../../sim/receivers/providers/gmail.ts';
import { replyText } from '../../../../kernel/smtp/reply.ts';
import type { SmtpReply } from '../../../../kernel/smtp/reply.ts';
import { openSession, sendOne } from '../../../support/dialogue.ts';
import { receiverWorld, withAdmission } from '../../../support/receiver-world.ts';

const line = (answer: SmtpReply | null | undefined): string =>
  answer === null || answer === undefined ? 'none' : `${answer.code} ${answer.enhanced ?? '-'} ${replyText(answer)}`;

/** A clock the test moves by hand, so each step lands exactly where the test says. */
class HandClock implements Clock {
  private currentMs = DEFAULT_EPOCH_MS;
  now(): number {
    return this.currentMs;
  }
  advanceTo(atMs: number): void {
    this.currentMs = atMs;
  }
}

function handWorld(mailboxes: Parameters<typeof receiverWorld>[0]) {
  const scheduler = new HandClock();
  return { scheduler, context: receiverWorld(mailboxes, scheduler).context };
}

function fleetWorld(mailboxes: Parameters<typeof receiverWorld>[0]) {
  const world = handWorld(mailboxes);
  return { ...world, fleet: buildFleet(world.context, { limitsOff: false }) };
}

describe('outage', () => {
  test('connect-421: Orange refuses with its own 421 inside [from, until) and greets normally outside', () => {
    const { fleet, scheduler, context } = fleetWorld({ 'alice@orange.fr': 'active' });
    const start = scheduler.now();
    fleet.incidents.scheduleOutage({
      receiver: 'orange',
      fromMs: start + HOUR_MS,
      untilMs: start + 2 * HOUR_MS,
      mode: 'connect-421',
    });
    const orange = fleet.receiver('orange');

    const before = orange.open({ peerIp: '127.0.0.2' });
    expect(before.reply.code).toBe(220);
    if (before.session !== null) orange.close(before.session);

    scheduler.advanceTo(start + HOUR_MS);
    const during = orange.open({ peerIp: '127.0.0.2' });
    expect(during.session).toBeNull();
    expect(line(during.reply)).toBe(
      '421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]',
    );
    expect(context.truth.all().at(-1)).toMatchObject({
      stage: 'connect',
      cause: 'server-error',
      rule: 'orange.outage.connect-421',
      recipient: '',
    });

    scheduler.advanceTo(start + 2 * HOUR_MS);
    expect(orange.open({ peerIp: '127.0.0.2' }).reply.code).toBe(220);
  });

  test('a provider whose own outage text facts/ do not give answers the generic 421 4.3.2', () => {
    const { fleet, scheduler } = fleetWorld({});
    fleet.incidents.scheduleOutage({
      receiver: 'seznam',
      fromMs: scheduler.now(),
      untilMs: scheduler.now() + MINUTE_MS,
    });
    expect(line(fleet.receiver('seznam').open({ peerIp: '127.0.0.2' }).reply)).toBe(
      '421 4.3.2 Service not available, closing transmission channel',
    );
    // Other receivers are not affected.
    expect(fleet.receiver('gmail').open({ peerIp: '127.0.0.2' }).reply.code).toBe(220);
  });

  test('tempfail: Gmail accepts the connection, answers 451 4.3.0 to RCPT, and to DATA for recipients accepted before it began', () => {
    const { fleet, scheduler, context } = fleetWorld({ 'alice@gmail.com': 'active', 'bob@gmail.com': 'active' });
    const start = scheduler.now();
    fleet.incidents.scheduleOutage({
      receiver: 'gmail',
      fromMs: start + MINUTE_MS,
      untilMs: start + HOUR_MS,
      mode: 'tempfail',
    });
    const gmail = fleet.receiver('gmail');
    const session = openSession(gmail);
    expect(sendOne(gmail, session, ['alice@gmail.com']).data?.code).toBe(250);

    // A transaction whose recipient was accepted just before the outage meets it at DATA.
    gmail.mailFrom(session, 'bounces@news.mailbench.test');
    expect(gmail.rcptTo(session, 'bob@gmail.com').code).toBe(250);
    scheduler.advanceTo(start + MINUTE_MS);
    const data = gmail.data(session, { data: 'Subject: x\r\n\r\nx\r\n', sizeBytes: 16 });
    expect(line(data)).toMatch(/^451 4\.3\.0 /);
    expect(context.truth.all().at(-1)).toMatchObject({
      recipient: 'bob@gmail.com',
      stage: 'data',
      cause: 'server-error',
      rule: 'gmail.outage.tempfail',
    });
    gmail.reset(session);

    const during = sendOne(gmail, openSession(gmail), ['alice@gmail.com']);
    expect(line(during.rcpt[0])).toMatch(/^451 4\.3\.0 /);
    expect(context.truth.all().at(-1)).toMatchObject({
      recipient: 'alice@gmail.com',
      stage: 'rcpt',
      cause: 'server-error',
      rule: 'gmail.outage.tempfail',
    });

    scheduler.advanceTo(start + HOUR_MS);
    expect(sendOne(gmail, openSession(gmail), ['alice@gmail.com']).data?.code).toBe(250);
  });

  test('bad requests are refused with what is wrong', () => {
    const { fleet } = fleetWorld({});
    expect(() => fleet.incidents.scheduleOutage({ receiver: 'hotmail', fromMs: 0, untilMs: 1 })).toThrow(
      /no receiver 'hotmail'.*known: .*gmail/,
    );
    expect(() => fleet.incidents.scheduleOutage({ receiver: 'gmail', fromMs: 10, untilMs: 10 })).toThrow(
      /untilMs \(10\) must be a time after fromMs \(10\)/,
    );
    expect(INCIDENT_RECEIVER_IDS).toEqual(expect.arrayContaining(['gmail', 'orange', 'mimecast', 'microsoft-365']));
    expect(INCIDENT_RECEIVER_IDS).not.toContain('typo-traps');
  });
});

describe('policy change', () => {
  const alice = 'alice@gmail.com';

  test('ratePerHourFactor halves the hourly allowance from its time on', () => {
    const { context, scheduler } = handWorld({ [alice]: 'active' });
    const incidents = new ReceiverIncidents('gmail');
    const gmail = createProfiledReceiver(
      withAdmission(GMAIL, { newIpPerHour: 4, maxPerHour: 100, messagesPerConnection: 100 }),
      context,
      { limitsOff: false, incidents },
    );
    const start = scheduler.now();
    incidents.changePolicy(start + 2 * HOUR_MS, { ratePerHourFactor: 0.5 });
    const acceptedInAnHour = (): number => {
      const session = openSession(gmail);
      let accepted = 0;
      for (let sent = 0; sent < 6; sent++) if (sendOne(gmail, session, [alice]).rcpt[0]?.code === 250) accepted++;
      gmail.close(session);
      return accepted;
    };
    expect(acceptedInAnHour()).toBe(4);
    scheduler.advanceTo(start + 2 * HOUR_MS - MINUTE_MS * 5);
    expect(acceptedInAnHour()).toBe(4);
    scheduler.advanceTo(start + 4 * HOUR_MS);
    expect(acceptedInAnHour()).toBe(2);
    expect(context.truth.all().at(-1)).toMatchObject({ cause: 'rate-limited', rule: 'gmail.rate.hourly' });
  });

  test('connectionsFactor cuts the connections per IP; greylisting starts on a provider that had none', () => {
    const { fleet, scheduler, context } = fleetWorld({ [alice]: 'active' });
    const start = scheduler.now();
    fleet.incidents.changePolicy({
      receiver: 'gmail',
      atMs: start + HOUR_MS,
      change: { connectionsFactor: 0.4, greylisting: true },
    });
    const gmail = fleet.receiver('gmail');
    const openMany = (count: number): number[] =>
      Array.from({ length: count }, () => gmail.open({ peerIp: '127.0.0.2' }).reply.code);

    expect(openMany(5)).toEqual([220, 220, 220, 220, 220]);
    expect(sendOne(gmail, openSession(gmail, '127.0.0.3'), [alice]).rcpt[0]?.code).toBe(250);

    scheduler.advanceTo(start + HOUR_MS);
    // Five connections are still open from 127.0.0.2; Gmail's five became two.
    expect(openMany(1)).toEqual([421]);
    expect(context.truth.all().at(-1)).toMatchObject({
      cause: 'too-many-connections',
      rule: 'gmail.connect.too-many-connections',
    });
    const session = openSession(gmail, '127.0.0.3');
    const first = sendOne(gmail, session, [alice]).rcpt[0];
    expect(line(first)).toMatch(/^450 4\.2\.0 .*Greylisted/);
    expect(context.truth.all().at(-1)).toMatchObject({ cause: 'greylisted', rule: 'gmail.greylist.new-triplet' });
    scheduler.advanceTo(start + HOUR_MS + 6 * MINUTE_MS);
    expect(sendOne(gmail, session, [alice]).rcpt[0]?.code).toBe(250);
  });

  test('authFailure: spam files unauthenticated mail that was refused before the change', () => {
    const { fleet, scheduler, context } = fleetWorld({ [alice]: 'active' });
    fleet.incidents.changePolicy({
      receiver: 'gmail',
      atMs: scheduler.now() + MINUTE_MS,
      change: { authFailure: 'spam' },
    });
    const gmail = fleet.receiver('gmail');
    const unsigned = ['From: <news@unsigned.example>', `To: <${alice}>`, 'Subject: test', '', 'hello', ''].join('\r\n');
    expect(
      sendOne(gmail, openSession(gmail), [alice], unsigned, 'bounces@unsigned.example').data?.code,
    ).toBeGreaterThanOrEqual(500);
    scheduler.advanceTo(scheduler.now() + MINUTE_MS);
    expect(sendOne(gmail, openSession(gmail), [alice], unsigned, 'bounces@unsigned.example').data?.code).toBe(250);
    expect(context.truth.all().at(-1)).toMatchObject({ cause: 'delivered-spam', recipient: alice });
  });

  test('validatePolicyChange names every problem with its path', () => {
    expect(validatePolicyChange({ ratePerHourFactor: 0.5, greylisting: false }, 'p')).toEqual([]);
    expect(validatePolicyChange('tighter', 'timeline[1].change')).toEqual([
      { path: 'timeline[1].change', message: 'must be an object of changes' },
    ]);
    expect(validatePolicyChange({}, 'c')).toEqual([
      {
        path: 'c',
        message: expect.stringMatching(
          /must change at least one of ratePerHourFactor, connectionsFactor, greylisting, authFailure/,
        ) as unknown,
      },
    ]);
    const issues = validatePolicyChange(
      { ratePerHourFactor: 0, connectionsFactor: 'half', greylisting: 'yes', authFailure: 'bounce', speed: 2 },
      'c',
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'c.ratePerHourFactor',
      'c.connectionsFactor',
      'c.greylisting',
      'c.authFailure',
      'c.speed',
    ]);
    expect(issues[0]?.message).toBe('must be a number from 0.01 to 100 (got 0)');
    expect(issues[4]?.message).toMatch(/unknown policy key 'speed'/);
    const { fleet } = fleetWorld({});
    expect(() =>
      fleet.incidents.changePolicy({ receiver: 'gmail', atMs: 0, change: { ratePerHourFactor: -1 } }),
    ).toThrow(/change\.ratePerHourFactor must be a number from 0\.01 to 100/);
  });
});
