/**
 * black-friday-spike — ten times the volume in one day.
 *
 * An established retailer (its IP and domain known for weeks of 20,000 clean messages a day)
 * mails its daily newsletter to 200,000 people across Gmail, Outlook.com, Yahoo and the EU ISPs,
 * then on Black Friday (day 4) sends ten times as much in one day. Receivers judge volume
 * against history: the spike trips their per-IP rate limits and new-volume throttles, replies
 * turn into deferrals, and a sender that keeps pushing pays for it in reputation. The reference
 * engine's adaptive throttle backs off on the deferral share and ramps back, so the spike is
 * delivered over the following hours instead of being refused. The report shows the deferral
 * wave per provider on the throughput timeline, the engine's throttles on it, and how much of
 * the spike arrived. It runs at 10 % of its volume by default (`--scale 1` for the full day).
 */
import { EU_B2C_DOMAINS } from './domain-mixes.ts';
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'black-friday-spike',
  story:
    'An established retailer mails 20,000 a day to a 200,000-address list, then ten times as much on Black Friday: receivers defer the spike against its history, the engine throttles on the deferral share and delivers it over the following hours.',
  scale: 0.1,
  population: { recipients: 200_000, domains: EU_B2C_DOMAINS, unknownShare: 0.005 },
  sender: {
    sourceIp: '127.0.0.2',
    heloName: 'mta1.mailbench.test',
    mailFrom: 'bounces@news.mailbench.test',
    history: { cleanPerDay: 20_000, engagedShare: 0.2 },
  },
  timeline: [
    {
      kind: 'ramp',
      name: 'daily newsletter',
      from: '0d',
      to: '6d',
      start: '20000/d',
      end: '20000/d',
      growth: 'linear',
      over: '4h',
    },
    { kind: 'spike', at: '4d', for: '1d', factor: 10 },
  ],
  limits: { simulatedDurationMaxMs: 12 * 86_400_000 },
  expect: [
    { metric: 'deliveredShare', operator: '>=', value: 0.97 },
    { metric: 'expiredShare', operator: '<=', value: 0.01 },
    { metric: 'inFlight', operator: '<=', value: 0 },
  ],
});
