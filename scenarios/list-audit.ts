/**
 * list-audit — a dirty list, audited before it is mailed.
 *
 * A sender bought into a list of 30,000 addresses across the consumer providers: 6 % no longer
 * exist, and 1 % sit at misspelt domains (gmial.com, hotmial.com …) whose catch-alls are typo
 * traps, with a few recycled traps among the rest. This scenario audits the list first
 * (`mailbench audit`: syntax, domains without MX, typo domains, role accounts, disposable
 * domains, trap-like patterns) and mails only what the audit keeps, from a new IP. Its twin
 * scenarios/examples/list-audit-as-is.yaml mails the same list as it is; compare the two
 * reports (`mailbench compare`) to see the typo traps never hit, the bounces that remain
 * (an audit cannot know a dead mailbox at a live domain: only bounce history can) and what the
 * receivers made of each IP.
 */
import { EU_B2C_DOMAINS } from './domain-mixes.ts';
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'list-audit',
  story:
    'A dirty 30,000-address list (6 % dead, 1 % typo-domain traps, a few recycled traps) audited before it is mailed from a new IP; its twin examples/list-audit-as-is.yaml mails it as it is: the audit keeps the typo traps out, the dead mailboxes at live domains still bounce.',
  scale: 0.5,
  population: {
    recipients: 30_000,
    domains: EU_B2C_DOMAINS,
    unknownShare: 0.06,
    traps: { typo: 0.01, recycled: 0.001 },
  },
  sender: {
    sourceIp: '127.0.0.2',
    heloName: 'mta1.mailbench.test',
    mailFrom: 'bounces@news.mailbench.test',
    auditList: true,
  },
  timeline: [{ kind: 'campaign', name: 'first send', at: '0h', over: '12h' }],
  expect: [
    { metric: 'trapHits', provider: 'typo-traps', operator: '<=', value: 0 },
    { metric: 'inFlight', operator: '<=', value: 0 },
  ],
});
