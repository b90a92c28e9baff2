/**
 * warmup-30d — four new IPs warmed to about a million messages a day in a month.
 *
 * A sender moves a 1,000,000-address European B2C list (Gmail, Outlook.com, Yahoo/AOL, and the
 * EU ISPs: Orange, SFR, Free, La Poste, GMX, Web.de, T-Online, Libero …) to four new dedicated
 * IPs. The first week mails only the engaged readers, growing from 2,000 to 30,000 a day; from
 * day 8 the whole list, growing to 1,000,000 on day 30. The reference engine follows SparkPost's
 * published 30-stage plan per IP and provider (advancing above 90 % delivered, holding on
 * deferrals, stepping back on blocks), and the receivers judge the new IPs by their own rules.
 * The report shows the daily volume per provider against the plan, the deferrals of the first
 * days, and each IP's reputation per provider as it builds. It runs at 1 % of its volume by
 * default (the plan's caps scaled alike); `--scale 1` runs the full month.
 */
import { defineScenario } from './scenario.ts';
import { EU_B2C_DOMAINS } from './domain-mixes.ts';

export default defineScenario({
  name: 'warmup-30d',
  story:
    "Four new IPs warmed to ~1 M messages a day in 30 days on a European B2C list: engaged readers first (2,000 → 30,000 a day), then everyone (50,000 → 1,000,000 a day), capped per IP and provider by SparkPost's published plan; the receivers judge the new IPs by their own rules.",
  scale: 0.01,
  population: {
    recipients: 1_000_000,
    domains: EU_B2C_DOMAINS,
    unknownShare: 0.01,
    traps: { pristine: 0.00005, recycled: 0.0001, typo: 0.0001 },
  },
  sender: {
    mailFrom: 'bounces@news.mailbench.test',
    sources: [
      { name: 'mta1', sourceIp: '127.0.0.2', heloName: 'mta1.mailbench.test' },
      { name: 'mta2', sourceIp: '127.0.0.3', heloName: 'mta2.mailbench.test' },
      { name: 'mta3', sourceIp: '127.0.0.4', heloName: 'mta3.mailbench.test' },
      { name: 'mta4', sourceIp: '127.0.0.5', heloName: 'mta4.mailbench.test' },
    ],
    warmup: { plan: 'sparkpost' },
  },
  timeline: [
    { kind: 'ramp', name: 'engaged first', from: '0d', to: '6d', start: '2000/d', end: '30000/d', segment: 'engaged' },
    { kind: 'ramp', name: 'whole list', from: '7d', to: '29d', start: '50000/d', end: '1000000/d' },
  ],
  // Long enough for the last day's send to be delivered or to expire.
  limits: { simulatedDurationMaxMs: 40 * 86_400_000 },
  // Gmail, Outlook and Yahoo take the plan; GMX, T-Online and Free defer or block part of the
  // new IPs' mail, the warm-up holds there and some of it expires: the bar is the field's.
  expect: [
    { metric: 'deliveredShare', operator: '>=', value: 0.85 },
    { metric: 'deliveredShare', provider: 'gmail', operator: '>=', value: 0.98 },
    { metric: 'deferralRate', provider: 'outlook', operator: '<', value: 0.05 },
    { metric: 'inFlight', operator: '<=', value: 0 },
  ],
});
