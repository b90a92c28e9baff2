/**
 * grid-graduation — a good customer earns the grid, a bad one falls out of it.
 *
 * A platform sends for two customers from one established infrastructure. Each starts on its
 * dedicated IP; the shared high-quality pool (the "grid", two warm IPs) takes a customer whose
 * mail is delivered above 98 % over seven days, and drops one that bounces, gets blocked or
 * draws complaints. good-shop mails its engaged readers every day and graduates after its first
 * week; bad-shop, on the grid from the start, mails the rest of an old list every day — 4 % of
 * the list no longer exists — and is demoted back to its dedicated IP once its bounces pass 5 %.
 * The report shows both moves on the decision timeline and each IP's reputation per provider.
 */
import { EU_B2C_DOMAINS } from './domain-mixes.ts';
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'grid-graduation',
  story:
    'Two customers of one platform: good-shop mails its engaged readers daily from its dedicated IP and graduates to the shared grid above 98 % delivered over 7 days; bad-shop starts on the grid, mails a stale list with 4 % dead addresses and falls back to its dedicated IP.',
  scale: 0.5,
  population: { recipients: 60_000, domains: EU_B2C_DOMAINS, unknownShare: 0.04 },
  sender: {
    mailFrom: 'bounces@mail.platform.test',
    sources: [
      { name: 'good-ip', sourceIp: '127.0.0.2', heloName: 'good.mail.platform.test' },
      { name: 'bad-ip', sourceIp: '127.0.0.3', heloName: 'bad.mail.platform.test' },
      { name: 'grid-1', sourceIp: '127.0.0.10', heloName: 'grid1.mail.platform.test' },
      { name: 'grid-2', sourceIp: '127.0.0.11', heloName: 'grid2.mail.platform.test' },
    ],
    pools: { 'good-dedicated': ['good-ip'], 'bad-dedicated': ['bad-ip'], grid: ['grid-1', 'grid-2'] },
    defaultPool: 'grid',
    tenants: { 'good-shop': { pool: 'good-dedicated' }, 'bad-shop': { pool: 'bad-dedicated' } },
    grid: { pool: 'grid', initialMembers: ['bad-shop'] },
    // Established IPs: what moves them is the customers' lists, not their age.
    history: { cleanPerDay: 8_000, engagedShare: 0.2 },
  },
  timeline: [
    {
      kind: 'ramp',
      name: 'good-shop daily',
      from: '0d',
      to: '13d',
      start: '3000/d',
      end: '3000/d',
      growth: 'linear',
      over: '6h',
      segment: 'engaged',
      tenant: 'good-shop',
    },
    {
      kind: 'ramp',
      name: 'bad-shop daily',
      from: '0d',
      to: '13d',
      start: '3000/d',
      end: '3000/d',
      growth: 'linear',
      over: '6h',
      segment: 'unengaged',
      tenant: 'bad-shop',
    },
  ],
  limits: { simulatedDurationMaxMs: 20 * 86_400_000 },
  expect: [
    { metric: 'gridPromotions', operator: '>=', value: 1 },
    { metric: 'gridDemotions', operator: '>=', value: 1 },
    { metric: 'inFlight', operator: '<=', value: 0 },
  ],
});
