/**
 * Google Workspace in front of corporate domains: the Gmail infrastructure (`aspmx.l.google.com`,
 * shared by every Workspace customer, so one site for a sender), Gmail's texts, and the
 * customer's own policy on top (`… violates <domain> email policy. - gcdp`). Workspace limits
 * count all domains whose MX is google.com (G-GUIDE). Its unknown-user text is Gmail's.
 */
import { MINUTE_MS, reply } from '../../../kernel/index.ts';
import { GMAIL } from '../providers/gmail.ts';
import { sourced } from '../profile.ts';
import type { GatewayFamily } from './gateway.ts';

export const GOOGLE_WORKSPACE: GatewayFamily = {
  id: 'google-workspace',
  mxHostsFor: () => [
    'aspmx.l.google.com',
    'alt1.aspmx.l.google.com',
    'alt2.aspmx.l.google.com',
    'alt3.aspmx.l.google.com',
    'alt4.aspmx.l.google.com',
  ],
  mxPattern: 'aspmx.l.google.com (+ alt1-alt4), shared by every tenant',
  thresholds: {
    velocityPerTenantHour: sourced(
      1_000,
      'recipients per tenant per sending IP per hour',
      '@assumption: Workspace customers rarely disguise; only heavy bursts trip tenant policy',
    ),
    disguiseBands: [],
  },
  asyncBounceDelayMs: sourced(2 * MINUTE_MS, 'ms', '@assumption'),
  downstreamUnknown: GMAIL.replies.unknownUser,
  profile: {
    ...GMAIL,
    name: 'Google Workspace',
    // responses.jsonl google-workspace: the customer's policy line.
    replies: {
      ...GMAIL.replies,
      rateLimited: () =>
        reply(450, '4.2.1', 'Peak SMTP relay limit exceeded for this customer. This is a temporary error.'),
    },
    sources: [...GMAIL.sources, 'sisimai/rb-sisimai@9c4a184:lib/sisimai/rhost/google.rb (aspmx.l.google.com)'],
  },
};
