/**
 * spamtrap-hit — a partner's list merged in, traps and all.
 *
 * An established sender mails its 40,000 subscribers at Gmail, Outlook.com, Yahoo and the EU
 * ISPs every other day. On day 5 a co-registration partner's addresses are merged into the list
 * without confirmation: among them 300 pristine traps (addresses that never belonged to anyone)
 * and 200 recycled ones (dead addresses a provider revived to catch senders who never clean).
 * The next sends hit them. Traps answer like any mailbox — the sender cannot see a hit — but
 * the receivers count them against the sending IP's reputation. The report shows the hits per
 * receiver and the reputation of the IP per provider before and after day 5. It runs at 20 %
 * of its volume by default.
 */
import { EU_B2C_DOMAINS } from './domain-mixes.ts';
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'spamtrap-hit',
  story:
    "An established sender merges a partner's unconfirmed addresses into its list on day 5, among them 300 pristine and 200 recycled spamtraps; the next sends hit them, the receivers count the hits against the IP.",
  scale: 0.2,
  population: { recipients: 40_000, domains: EU_B2C_DOMAINS, unknownShare: 0.005 },
  sender: {
    sourceIp: '127.0.0.2',
    heloName: 'mta1.mailbench.test',
    mailFrom: 'bounces@news.mailbench.test',
    history: { cleanPerDay: 20_000, engagedShare: 0.2 },
  },
  timeline: [
    { kind: 'campaign', name: 'newsletter 1', at: '0d', over: '6h' },
    { kind: 'campaign', name: 'newsletter 2', at: '2d', over: '6h' },
    { kind: 'campaign', name: 'newsletter 3', at: '4d', over: '6h' },
    { kind: 'trap-injection', at: '4d 12h', trapKind: 'pristine', count: 300 },
    { kind: 'trap-injection', at: '4d 12h', trapKind: 'recycled', count: 200 },
    { kind: 'campaign', name: 'newsletter 4', at: '6d', over: '6h' },
    { kind: 'campaign', name: 'newsletter 5', at: '8d', over: '6h' },
  ],
  limits: { simulatedDurationMaxMs: 14 * 86_400_000 },
  expect: [
    { metric: 'trapHits', operator: '>=', value: 50 },
    { metric: 'inFlight', operator: '<=', value: 0 },
  ],
});
