/**
 * auth-break — a DKIM key rotated wrong.
 *
 * An established sender mails 12,000 people a day, 60 % of them at Gmail, the rest at
 * Outlook.com and Yahoo. On day 4 its operators rotate the DKIM key: a new public key is
 * published, but the MTA keeps signing with the old private key. From then on every signature
 * fails. SPF still passes and aligns, so DMARC passes and Outlook and Yahoo (where this sender
 * stays under the bulk threshold) keep accepting; Gmail requires SPF and DKIM of a bulk sender
 * (5,000 a day, since February 2024) and refuses it with its authentication reply. The sender
 * reads auth failures, holds Gmail, and the held mail expires: the report shows the day the
 * refusals start and Gmail's delivered share falling, the figures a team would watch to catch
 * a broken rotation within hours.
 */
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'auth-break',
  story:
    "An established sender rotates its DKIM key wrong on day 4 (the published key no longer matches the signing key): from then on Gmail refuses its bulk mail for failing DKIM while Outlook and Yahoo, where SPF carries DMARC, still accept; the sender reads auth failures and Gmail's share delivered falls.",
  population: {
    recipients: 10_000,
    domains: ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'yahoo.com'],
    unknownShare: 0.005,
  },
  sender: {
    sourceIp: '127.0.0.2',
    heloName: 'mta1.mailbench.test',
    mailFrom: 'bounces@news.mailbench.test',
    history: { cleanPerDay: 12_000, engagedShare: 0.2 },
    auth: { dmarc: 'quarantine', dkimBreaks: { at: '3d', to: 'wrong-key' } },
  },
  timeline: [
    {
      kind: 'ramp',
      name: 'daily',
      from: '0d',
      to: '4d',
      start: '12000/d',
      end: '12000/d',
      growth: 'linear',
      over: '6h',
    },
  ],
  limits: { simulatedDurationMaxMs: 10 * 86_400_000 },
  // The break must show where it should and only there.
  expect: [
    { metric: 'deliveredShare', provider: 'gmail', operator: '<', value: 0.8 },
    { metric: 'deliveredShare', provider: 'outlook', operator: '>=', value: 0.98 },
    { metric: 'deliveredShare', provider: 'yahoo', operator: '>=', value: 0.98 },
    { metric: 'inFlight', operator: '<=', value: 0 },
  ],
});
