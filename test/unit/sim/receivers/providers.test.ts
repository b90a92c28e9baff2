/**
 * Every consumer provider profile, through the shared engine: its own texts for each documented
 * behaviour (new IP throttled, unknown user, authentication and PTR failures, TLS where required)
 * and reputation falling after trap hits and recovering with clean traffic. Each refusal is
 * checked against the profile's own reply maker and the truth record's rule mark.
 */
import { describe, expect, test } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../../../kernel/clock/clock.ts';
import { PROVIDER_PROFILES } from '../../../../sim/receivers/providers/index.ts';
import type { ReplyContext } from '../../../../sim/receivers/profile.ts';
import { replyText } from '../../../../kernel/smtp/reply.ts';
import type { SmtpReply } from '../../../../kernel/smtp/reply.ts';
import { openSession, sendOne } from '../../../support/dialogue.ts';
import { receiverFor, receiverWorld, withAdmission } from '../../../support/receiver-world.ts';

/** A reply's words with the per-reply token and address masked, to compare against the profile's maker. */
function shape(answer: SmtpReply, token?: string): string {
  const text = `${answer.code} ${answer.enhanced ?? '-'} ${replyText(answer)}`;
  return token === undefined ? text : text.split(token).join('<token>');
}

function expected(maker: (context: ReplyContext) => SmtpReply, context: Partial<ReplyContext> = {}): string {
  return shape(
    maker({
      peerIp: '127.0.0.2',
      recipient: '',
      senderDomain: 'news.mailbench.test',
      token: 'TOKEN',
      hostname: '',
      ...context,
    }),
    'TOKEN',
  );
}

/** Compares with the token (random per reply) and host name masked out. */
function sameWords(
  actual: SmtpReply,
  maker: (context: ReplyContext) => SmtpReply,
  context: Partial<ReplyContext> = {},
): void {
  const pattern = expected(maker, context)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/<token>/g, '[0-9a-z]+');
  expect(shape(actual)).toMatch(new RegExp(`^${pattern}$`));
}

describe.each(PROVIDER_PROFILES.map((profile) => [profile.id, profile] as const))('%s', (id, profile) => {
  const domain = profile.domains[0] as string;
  const alice = `alice@${domain}`;
  const bob = `bob@${domain}`;

  test("a new IP past its hourly allowance is throttled with the provider's own text", () => {
    const { context } = receiverWorld({ [alice]: 'active', [bob]: 'active' });
    const receiver = receiverFor(withAdmission(profile, { newIpPerHour: 3, messagesPerConnection: 100 }), context);
    const session = openSession(receiver);
    for (let sent = 0; sent < 3; sent++) expect(sendOne(receiver, session, [alice]).rcpt[0]?.code).toBe(250);
    const limited = sendOne(receiver, session, [bob]).rcpt[0] as SmtpReply;
    sameWords(limited, profile.replies.rateLimited, { recipient: bob, hostname: profile.hostname });
    expect(limited.code).toBeGreaterThanOrEqual(400);
    expect(context.truth.all().at(-1)).toMatchObject({
      cause: 'rate-limited',
      rule: `${id}.rate.hourly`,
      recipient: bob,
    });
  });

  test("an unknown user gets the provider's unknown-user text and an unknown-user truth", () => {
    const { context } = receiverWorld({ [alice]: 'active' });
    const receiver = receiverFor(profile, context);
    const answer = sendOne(receiver, openSession(receiver), [`nobody@${domain}`]).rcpt[0] as SmtpReply;
    sameWords(answer, profile.replies.unknownUser, { recipient: `nobody@${domain}`, hostname: profile.hostname });
    expect(answer.code).toBeGreaterThanOrEqual(500);
    expect(context.truth.all()).toEqual([
      expect.objectContaining({ cause: 'unknown-user', rule: `${id}.rcpt.unknown-user` }),
    ]);
  });

  test("unauthenticated mail (no SPF, no DKIM) is refused at DATA with the provider's auth text", () => {
    const { context } = receiverWorld({ [alice]: 'active' });
    const receiver = receiverFor(profile, context);
    // unsigned.example publishes no SPF and the message carries no DKIM signature.
    const unsigned = ['From: <news@unsigned.example>', `To: <${alice}>`, 'Subject: test', '', 'hello', ''].join('\r\n');
    const result = sendOne(receiver, openSession(receiver), [alice], unsigned, 'bounces@unsigned.example');
    expect(result.rcpt[0]?.code).toBe(250);
    sameWords(result.data as SmtpReply, profile.replies.authFailure, {
      senderDomain: 'unsigned.example',
      recipient: '',
      hostname: profile.hostname,
    });
    expect(context.truth.all().at(-1)).toMatchObject({
      cause: 'auth-failure',
      rule: `${id}.auth.unauthenticated`,
      stage: 'data',
    });
  });

  test('reputation falls after trap hits and recovers with weeks of clean traffic', async () => {
    const traps = Object.fromEntries(
      Array.from({ length: 5 }, (_, index) => [`trap${index}@${domain}`, 'trap' as const]),
    );
    const { context, scheduler } = receiverWorld({ [alice]: 'active', ...traps });
    const receiver = receiverFor(
      withAdmission(profile, { newIpPerHour: 100_000, maxPerHour: 1_000_000, messagesPerConnection: 1_000_000 }),
      context,
    );
    const ip = 'ip:127.0.0.2' as const;
    const before = receiver.reputationOf(ip, scheduler.now());
    const session = openSession(receiver);
    for (let sent = 0; sent < 1_000; sent++) sendOne(receiver, session, [alice]);
    // Traps accept everything; once the IP's band is bad the rest are refused at RCPT.
    for (const trap of Object.keys(traps)) sendOne(receiver, session, [trap]);
    const hit = receiver.reputationOf(ip, scheduler.now());
    expect(context.truth.all().filter((truth) => truth.cause === 'delivered-trap').length).toBeGreaterThanOrEqual(2);
    expect(hit.score).toBeLessThan(before.score);
    expect(['bad', 'low']).toContain(hit.band);
    // Four weeks of clean mail, a few hundred a day.
    for (let day = 1; day <= 28; day++) {
      scheduler.at(scheduler.now() + day * DAY_MS - HOUR_MS, () => {
        const daily = openSession(receiver);
        for (let sent = 0; sent < 300; sent++) sendOne(receiver, daily, [alice]);
        receiver.close(daily);
      });
    }
    await scheduler.run();
    const recovered = receiver.reputationOf(ip, scheduler.now());
    expect(recovered.score).toBeGreaterThan(before.score);
    expect(['medium', 'high']).toContain(recovered.band);
  });
});

const ptrRequiring = PROVIDER_PROFILES.filter((profile) => profile.authentication.ptrRequired);
describe.each(ptrRequiring.map((profile) => [profile.id, profile] as const))('%s (requires FCrDNS)', (id, profile) => {
  const alice = `alice@${profile.domains[0] as string}`;
  test("a sending IP without forward-confirmed PTR is refused with the provider's PTR text", () => {
    const { context } = receiverWorld({ [alice]: 'active' });
    const receiver = receiverFor(profile, context);
    const answer = sendOne(receiver, openSession(receiver, '127.0.0.9'), [alice]).rcpt[0] as SmtpReply;
    sameWords(answer, profile.replies.ptrFailure, {
      peerIp: '127.0.0.9',
      recipient: alice,
      hostname: profile.hostname,
    });
    expect(context.truth.all().at(-1)).toMatchObject({ cause: 'auth-failure', rule: `${id}.auth.ptr` });
  });
});

const tlsRequiring = PROVIDER_PROFILES.filter((profile) => profile.tls === 'required');
describe.each(tlsRequiring.map((profile) => [profile.id, profile] as const))('%s (requires TLS)', (_id, profile) => {
  const alice = `alice@${profile.domains[0] as string}`;
  test("clear text is refused with the provider's TLS text; the same mail over TLS is accepted", () => {
    const { context } = receiverWorld({ [alice]: 'active' });
    const receiver = receiverFor(profile, context);
    const clear = sendOne(receiver, openSession(receiver, '127.0.0.2', false), [alice]).rcpt[0] as SmtpReply;
    sameWords(clear, profile.replies.tlsRequired, { recipient: alice, hostname: profile.hostname });
    expect(context.truth.all().at(-1)).toMatchObject({ cause: 'tls-required' });
    expect(sendOne(receiver, openSession(receiver), [alice]).rcpt[0]?.code).toBe(250);
  });
});
