/**
 * eu-isp-throughput — more IPs, more per minute into the European ISPs.
 *
 * Orange, SFR, Free, GMX/Web.de and T-Online each accept little per sending IP: a few
 * connections, a few messages per connection, a cap per hour, tighter still for an IP they
 * barely know. Two customers of one platform mail the same 20,000 subscribers at those ISPs at
 * the same moment: solo from its one dedicated IP, pooled from the grid's four IPs. Every IP
 * is established (weeks of clean mail), so what differs is only how many IPs share the load.
 * The throughput timeline and the per-IP series show the grid delivering several times more per
 * minute and finishing hours earlier, while the dedicated IP waits on the ISPs' per-IP limits.
 */
import { EU_ISP_DOMAINS } from './domain-mixes.ts';
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'eu-isp-throughput',
  story:
    'Two customers mail the same 20,000 subscribers at Orange, SFR, Free, GMX/Web.de and T-Online at once: one from its dedicated IP, one from the four-IP grid. The ISPs cap each IP, so the grid delivers several times more per minute and finishes hours earlier.',
  population: { recipients: 20_000, domains: EU_ISP_DOMAINS, unknownShare: 0.005 },
  sender: {
    mailFrom: 'bounces@mail.platform.test',
    sources: [
      { name: 'solo-ip', sourceIp: '127.0.0.2', heloName: 'solo.mail.platform.test' },
      { name: 'grid-1', sourceIp: '127.0.0.10', heloName: 'grid1.mail.platform.test' },
      { name: 'grid-2', sourceIp: '127.0.0.11', heloName: 'grid2.mail.platform.test' },
      { name: 'grid-3', sourceIp: '127.0.0.12', heloName: 'grid3.mail.platform.test' },
      { name: 'grid-4', sourceIp: '127.0.0.13', heloName: 'grid4.mail.platform.test' },
    ],
    pools: { dedicated: ['solo-ip'], grid: ['grid-1', 'grid-2', 'grid-3', 'grid-4'] },
    defaultPool: 'grid',
    tenants: { solo: { pool: 'dedicated' }, pooled: { pool: 'grid' } },
    history: { cleanPerDay: 20_000, engagedShare: 0.2 },
  },
  timeline: [
    { kind: 'campaign', name: 'solo newsletter', at: '0h', tenant: 'solo' },
    { kind: 'campaign', name: 'pooled newsletter', at: '0h', tenant: 'pooled' },
  ],
  limits: { simulatedDurationMaxMs: 5 * 86_400_000 },
  expect: [
    { metric: 'deliveredShare', operator: '>=', value: 0.98 },
    { metric: 'inFlight', operator: '<=', value: 0 },
  ],
});
