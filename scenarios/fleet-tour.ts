/**
 * fleet-tour — every receiver in one run.
 *
 * A sender on one new IP mails 20,000 people at once: consumers at Gmail, Outlook.com,
 * Yahoo/AOL and the European ISPs (Orange, SFR, Free, La Poste, GMX, Web.de, T-Online,
 * Libero, Seznam, WP, Onet, Interia), weighted roughly as a European B2C list is, and 15 % at
 * 200 companies behind B2B gateways (Microsoft 365, Google Workspace, Mimecast, Proofpoint,
 * Barracuda, Cisco, on-premise Exchange). 2 % of the addresses do not exist, a few are traps
 * (pristine, recycled and typo domains such as gmial.com). Mailing everything at once trips
 * each provider's new-IP throttle in its own words and pushes the gateways past their
 * velocity thresholds, where they refuse real users with their unknown-user text. It shows
 * the whole fleet's replies by true cause, per receiver, and how the sender read them.
 */
import { defineScenario } from './scenario.ts';
import { EU_B2C_DOMAINS } from './domain-mixes.ts';

export default defineScenario({
  name: 'fleet-tour',
  story:
    'One new IP mails 20,000 people at once across every simulated provider and 200 companies behind B2B gateways; 2 % unknown users and a few traps. Each provider throttles the new IP in its own words and the gateways, past their velocity thresholds, refuse real users as unknown: the replies by true cause per receiver, and how the sender read them.',
  population: {
    recipients: 20_000,
    domains: EU_B2C_DOMAINS,
    unknownShare: 0.02,
    corporate: { share: 0.15, tenants: 200 },
    traps: { pristine: 0.0002, recycled: 0.0005, typo: 0.0005 },
  },
  sender: { sourceIp: '127.0.0.2', heloName: 'mta1.mailbench.test', mailFrom: 'bounces@news.mailbench.test' },
});
