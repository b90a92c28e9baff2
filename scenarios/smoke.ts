/**
 * smoke — the walking skeleton's scenario.
 *
 * A sender on one new IP mails 10,000 Gmail recipients in one go. 3 % of the addresses do not
 * exist, and Gmail answers them with its real `550-5.1.1` text. A new IP gets a small hourly
 * budget at Gmail, so the sender runs into `421-4.7.28` rate limiting after the first couple
 * of thousand messages and has to retry on its schedule over the following hours. It shows,
 * end to end and in both modes, that every message ends delivered, bounced or expired, and
 * how the sender classified each answer against what Gmail really meant.
 */
import { defineScenario } from './scenario.ts';

export default defineScenario({
  name: 'smoke',
  story:
    "One new IP mails 10,000 Gmail recipients; 3 % are unknown users (550 5.1.1) and the new IP runs into Gmail's hourly rate limit (421 4.7.28), so the sender must retry on its schedule until every message is delivered, bounced or expired.",
  population: { recipients: 10_000, domains: ['gmail.com'], unknownShare: 0.03 },
  sender: { sourceIp: '127.0.0.2', heloName: 'mta1.mailbench.test', mailFrom: 'bounces@news.mailbench.test' },
});
