/**
 * isp-outage-and-greylist — a provider down for hours, another greylisting from one day on.
 *
 * An established sender mails 30,000 people at the French and German ISPs and Gmail each
 * morning. On day 2 Orange's inbound MX goes down for six hours (every connection answered with
 * a 421) in the middle of the send; on day 3 T-Online starts greylisting unknown senders (first
 * attempts refused with 451 until retried after its minimum delay). Neither is the sender's
 * fault and neither is a reason to drop an address: a good engine retries on schedule, keeps
 * the queue, and delivers everything once the receivers let it, without bouncing a single
 * valid address. The report shows the deferral spikes on the timeline and the retries that
 * cleared them.
 */
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'isp-outage-and-greylist',
  story:
    'Orange is down for six hours in the middle of the day-2 send (421 to every connection) and T-Online starts greylisting on day 3: a good engine retries on schedule and delivers everything, bouncing no valid address.',
  scale: 0.5,
  population: {
    recipients: 30_000,
    domains: ['orange.fr', 'wanadoo.fr', 't-online.de', 'gmx.de', 'gmail.com', 'sfr.fr'],
    unknownShare: 0.005,
  },
  sender: {
    sourceIp: '127.0.0.2',
    heloName: 'mta1.mailbench.test',
    mailFrom: 'bounces@news.mailbench.test',
    history: { cleanPerDay: 30_000, engagedShare: 0.2 },
  },
  timeline: [
    {
      kind: 'ramp',
      name: 'morning send',
      from: '0d',
      to: '4d',
      start: '10000/d',
      end: '10000/d',
      growth: 'linear',
      over: '4h',
    },
    { kind: 'outage', at: '1d 1h', for: '6h', receiver: 'orange', mode: 'connect-421' },
    { kind: 'policy-change', at: '2d', receiver: 't-online', change: { greylisting: true } },
  ],
  limits: { simulatedDurationMaxMs: 10 * 86_400_000 },
  expect: [
    { metric: 'deliveredShare', operator: '>=', value: 0.99 },
    { metric: 'expired', operator: '<=', value: 0 },
    { metric: 'inFlight', operator: '<=', value: 0 },
  ],
});
