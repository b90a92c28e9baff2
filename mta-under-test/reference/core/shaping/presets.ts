/**
 * Built-in provider blocks: what a careful sender configures for the big mailbox providers and
 * the EU ISPs. Every number names its source (`citations`) or is marked `@assumption` with the
 * reason. Sources are the shaping files senders use (KumoMTA policy-extras and community files,
 * research/engines.md §3.3) and what providers publish (../shared/facts/isp-behaviors.md §2, §4).
 * Receivers publish little; a number taken from a sender's shaping file is what senders *use*.
 *
 * MX suffixes come from the same fact base (§4 "MX" lines), so the presets match the host names
 * real DNS returns; they were checked against the simulated fleet's host names, which the engine
 * never imports.
 */
import type { MatchRule } from './provider-match.ts';
import type { ShapingOverrides, ShapingParamName } from './params.ts';

export interface ProviderPreset {
  /** The provider block's name, as a config file refers to it (`sources.x.providers.<name>`). */
  readonly name: string;
  readonly label: string;
  readonly match: readonly MatchRule[];
  readonly params: ShapingOverrides;
  /** For every parameter set: where the number comes from, or `@assumption: why`. */
  readonly citations: { readonly [K in ShapingParamName]?: string };
}

const KUMO_X = 'KumoCorp/kumomta@3ebc1e8:assets/policy-extras/shaping.toml (research/engines.md §3.3)';
const KUMO_C = 'KumoCorp/kumomta@3ebc1e8:assets/community/shaping.toml (research/engines.md §3.3)';
const FACTS = 'facts/isp-behaviors.md';
/** Used for EU ISPs that publish no concurrency. */
const EU_CONNECTIONS_ASSUMPTION =
  '@assumption: not published; the French ISPs that do publish (Orange, SFR, La Poste) allow 2 connections per IP (facts/isp-behaviors.md §2)';
const EU_DELIVERIES_ASSUMPTION =
  '@assumption: not published; 50, the figure Gmail and Outlook get in KumoMTA policy-extras, half its default of 100 (research/engines.md §3.2, §3.3)';

const GMAIL: ProviderPreset = {
  name: 'gmail',
  label: 'Gmail / Google Workspace',
  match: [{ mxSuffix: '.google.com' }, { mxSuffix: '.googlemail.com' }],
  params: {
    enableTls: 'required',
    maxDeliveriesPerConnection: 50,
    providerConnectionLimit: 5,
    consecutiveConnectionFailuresBeforeDelay: 5,
  },
  citations: {
    enableTls: `${KUMO_X}; Google requires TLS of all senders (${FACTS} §1, G-GUIDE)`,
    maxDeliveriesPerConnection: KUMO_X,
    providerConnectionLimit: `${KUMO_X}; ${FACTS} §2`,
    consecutiveConnectionFailuresBeforeDelay: KUMO_X,
  },
};

const OUTLOOK: ProviderPreset = {
  name: 'outlook',
  label: 'Outlook.com / Hotmail / Live',
  // `.hotmail.com`: the legacy mx1-4.hotmail.com names Microsoft still lists (facts §4, MS-TRB).
  match: [{ mxSuffix: '.olc.protection.outlook.com' }, { mxSuffix: '.hotmail.com' }],
  params: { maxDeliveriesPerConnection: 50, providerConnectionLimit: 5 },
  citations: { maxDeliveriesPerConnection: KUMO_X, providerConnectionLimit: `${KUMO_X}; ${FACTS} §2` },
};

const YAHOO: ProviderPreset = {
  name: 'yahoo',
  label: 'Yahoo / AOL (and AT&T)',
  match: [{ mxSuffix: '.yahoodns.net' }],
  // Yahoo publishes no concurrency (facts §9), so the default connection limit stays.
  params: { maxDeliveriesPerConnection: 20 },
  citations: { maxDeliveriesPerConnection: `${KUMO_X} ("provided by Yahoo directly"); ${FACTS} §2` },
};

const ORANGE: ProviderPreset = {
  name: 'orange',
  label: 'Orange / Wanadoo',
  match: [{ mxSuffix: '.orange.fr' }],
  params: {
    providerConnectionLimit: 2,
    maxDeliveriesPerConnection: 100,
    enableTls: 'required',
    maxRecipientsPerMessage: 100,
  },
  citations: {
    providerConnectionLimit: `${KUMO_X}; Orange postmaster via egressif.io: 2 connections per IP (${FACTS} §2)`,
    maxDeliveriesPerConnection: `${KUMO_X}; egressif.io (${FACTS} §2)`,
    enableTls: KUMO_X,
    maxRecipientsPerMessage: `Orange postmaster via egressif.io: 100 recipients per message (${FACTS} §2)`,
  },
};

const SFR: ProviderPreset = {
  name: 'sfr',
  label: 'SFR / neuf / numericable',
  match: [{ mxSuffix: '.sfr.fr' }],
  params: { providerConnectionLimit: 2, maxDeliveriesPerConnection: 50 },
  citations: {
    providerConnectionLimit: `https://bentonow.com/smtp-errors/sfr (secondary): 2 connections per IP (${FACTS} §2)`,
    maxDeliveriesPerConnection: EU_DELIVERIES_ASSUMPTION,
  },
};

const FREE: ProviderPreset = {
  name: 'free',
  label: 'Free',
  match: [{ mxSuffix: '.free.fr' }],
  params: { providerConnectionLimit: 2, maxDeliveriesPerConnection: 50 },
  citations: {
    providerConnectionLimit: EU_CONNECTIONS_ASSUMPTION,
    maxDeliveriesPerConnection: EU_DELIVERIES_ASSUMPTION,
  },
};

const LA_POSTE: ProviderPreset = {
  name: 'laposte',
  label: 'La Poste',
  match: [{ mxSuffix: '.laposte.net' }],
  params: { providerConnectionLimit: 2, maxDeliveriesPerConnection: 100 },
  citations: {
    providerConnectionLimit: `https://bentonow.com/smtp-errors/laposte (secondary): 2 concurrent connections (${FACTS} §2)`,
    maxDeliveriesPerConnection: `https://bentonow.com/smtp-errors/laposte (secondary): ~100 messages per connection (${FACTS} §2)`,
  },
};

const GMX_WEBDE: ProviderPreset = {
  name: 'gmx-webde',
  label: 'GMX / Web.de / mail.com',
  match: [{ mxSuffix: '.gmx.net' }, { mxSuffix: '.web.de' }],
  // KumoMTA's community block sets `connection_limit` (per site), not a provider-wide limit.
  params: {
    connectionLimit: 4,
    maxDeliveriesPerConnection: 20,
    enableTls: 'required',
    consecutiveConnectionFailuresBeforeDelay: 5,
  },
  citations: {
    connectionLimit: `${KUMO_C}; ${FACTS} §2`,
    maxDeliveriesPerConnection: `${KUMO_C}; ${FACTS} §2`,
    enableTls: KUMO_C,
    consecutiveConnectionFailuresBeforeDelay: KUMO_C,
  },
};

const T_ONLINE: ProviderPreset = {
  name: 't-online',
  label: 'T-Online (Deutsche Telekom)',
  match: [{ mxSuffix: '.t-online.de' }],
  params: { providerConnectionLimit: 2, maxDeliveriesPerConnection: 50 },
  citations: {
    providerConnectionLimit: EU_CONNECTIONS_ASSUMPTION,
    maxDeliveriesPerConnection: EU_DELIVERIES_ASSUMPTION,
  },
};

const LIBERO: ProviderPreset = {
  name: 'libero',
  label: 'Italiaonline (Libero, Virgilio)',
  // Italiaonline answers from smtp-in.libero.it and smtp-in.virgilio.it; its replies name
  // `*.iol.local`/`iol.it` nodes (facts §4). Without `.virgilio.it` the every-MX rule fails.
  match: [{ mxSuffix: '.libero.it' }, { mxSuffix: '.iol.it' }, { mxSuffix: '.virgilio.it' }],
  params: { providerConnectionLimit: 2, maxDeliveriesPerConnection: 50 },
  citations: {
    providerConnectionLimit: EU_CONNECTIONS_ASSUMPTION,
    maxDeliveriesPerConnection: EU_DELIVERIES_ASSUMPTION,
  },
};

/**
 * B2B gateways in front of many corporate domains: their limits count per sending IP across
 * all their customers (facts/isp-behaviors.md §5), so the blocks set provider-wide limits,
 * and each customer's own MX (one site per tenant) shares them.
 */
const OFFICE365: ProviderPreset = {
  name: 'office365',
  label: 'Microsoft 365 / Exchange Online Protection',
  match: [{ mxSuffix: '.mail.protection.outlook.com' }],
  params: { maxDeliveriesPerConnection: 50, providerConnectionLimit: 5 },
  citations: { maxDeliveriesPerConnection: KUMO_X, providerConnectionLimit: `${KUMO_X} (office365: provider limit 5)` },
};

const MIMECAST: ProviderPreset = {
  name: 'mimecast',
  label: 'Mimecast',
  match: [{ mxSuffix: '.mimecast.com' }, { mxSuffix: '.mimecast.co.za' }, { mxSuffix: '.mimecast-offshore.com' }],
  params: { maxDeliveriesPerConnection: 100, connectionLimit: 10, maxRecipientsPerMessage: 100 },
  citations: {
    maxDeliveriesPerConnection: `${KUMO_X} ("provided directly by Mimecast")`,
    connectionLimit: `${KUMO_X} (10 per regional site)`,
    maxRecipientsPerMessage: `${FACTS} §5 (≤ 100 RCPT per DATA)`,
  },
};

const BARRACUDA: ProviderPreset = {
  name: 'barracuda',
  label: 'Barracuda Email Security',
  match: [{ mxSuffix: '.barracudanetworks.com' }],
  params: { providerConnectionLimit: 10, maxDeliveriesPerConnection: 15 },
  citations: { providerConnectionLimit: KUMO_C, maxDeliveriesPerConnection: KUMO_C },
};

/** The built-in provider blocks, in the order they are tried (after the config's own providers). */
export const BUILT_IN_PROVIDERS: readonly ProviderPreset[] = [
  GMAIL,
  OUTLOOK,
  YAHOO,
  ORANGE,
  SFR,
  FREE,
  LA_POSTE,
  GMX_WEBDE,
  T_ONLINE,
  LIBERO,
  OFFICE365,
  MIMECAST,
  BARRACUDA,
];
