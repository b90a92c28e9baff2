/**
 * fault-soak — receivers that misbehave the way real servers do, on a seeded schedule.
 *
 * An established sender mails 6,000 people at Gmail, Yahoo, Orange and GMX while every
 * receiver, by the draws of its own seeded stream, answers 421 at the banner, greets late (a
 * tarpit), fails transiently, cuts the connection while the message is still arriving, resets
 * it after the message but before the reply, or stops answering in DATA until the client gives
 * up. None of this is the recipients' fault. A sound engine never wedges and never loses or
 * doubles a message: every recipient ends delivered, bounced or expired exactly once, and a
 * receiver takes each delivered message once (a transaction it cut before its reply was never
 * taken, so trying again duplicates nothing).
 *
 * The rates are far above what a healthy receiver shows (@assumption: a soak, not a portrait of
 * any provider; the fault kinds are the ones RFC 5321 §4.5.3.2's timeouts and §3.8's "a
 * connection closed before the reply means the message was not taken" are written for).
 */
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'fault-soak',
  story:
    'Receivers answer 421 at the banner, tarpit, fail transiently, drop connections mid-DATA, reset after DATA and hang until the client times out, on a seeded schedule: the engine must never wedge, and every recipient ends delivered, bounced or expired exactly once.',
  population: { recipients: 6_000, domains: ['gmail.com', 'yahoo.com', 'orange.fr', 'gmx.de'], unknownShare: 0.01 },
  sender: {
    sourceIp: '127.0.0.2',
    heloName: 'mta1.mailbench.test',
    mailFrom: 'bounces@news.mailbench.test',
    history: { cleanPerDay: 20_000, engagedShare: 0.2 },
  },
  receivers: {
    limitsOff: true,
    faults: {
      refuseAtConnect: 0.05,
      slowBanner: 0.1,
      slowBannerMs: 20_000,
      serverError: 0.03,
      dropMidData: 0.03,
      dropInData: 0.03,
      timeoutInData: 0.02,
    },
  },
  timeline: [{ kind: 'campaign', name: 'soak', at: '0h', volume: 6_000, over: '2h' }],
  limits: { simulatedDurationMaxMs: 3 * 86_400_000 },
  expect: [
    { metric: 'inFlight', operator: '<=', value: 0 },
    { metric: 'deliveredShare', operator: '>=', value: 0.98 },
    { metric: 'expired', operator: '<=', value: 0 },
  ],
});
