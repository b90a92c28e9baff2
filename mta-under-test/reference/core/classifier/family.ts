/**
 * The receiver family: which mailbox provider or B2B gateway answered. A sender knows it from
 * the MX host it connected to (public DNS), from the recipient domain, or from the names a
 * reply text carries (`gsmtp`, `prod.protection.outlook.com`). Rules use it to read phrasings
 * that only mean something at one family, and the verdict reports it so the engine can treat
 * a gateway's "user unknown" with suspicion (../shared/research/engines.md §9.2).
 *
 * The MX names are the ones each operator publishes in its setup guides: Google Workspace
 * (`aspmx.l.google.com`, `smtp.google.com`), Microsoft 365 (`<tenant>.mail.protection.outlook.com`),
 * Mimecast (`*.mimecast.com`), Proofpoint (`*.pphosted.com`), Barracuda Email Security Service
 * (`*.ess.barracudanetworks.com`), Cisco Secure Email Cloud (`*.iphmx.com`).
 */
import { memoised } from '../../../../kernel/index.ts';
import { foldText } from './facts.ts';

/** Mailbox providers. */
export const PROVIDER_FAMILIES = [
  'gmail',
  'outlook',
  'yahoo',
  'orange',
  'sfr',
  'free',
  'laposte',
  'gmx',
  't-online',
  'libero',
  'seznam',
  'wp',
  'onet',
  'interia',
  'icloud',
  'comcast',
  'godaddy',
  'yandex',
  'mailru',
  'qq',
] as const;
/** B2B gateways that answer for many corporate domains. */
export const GATEWAY_FAMILIES = [
  'microsoft-365',
  'google-workspace',
  'mimecast',
  'proofpoint',
  'barracuda',
  'cisco',
  'exchange',
  'symantec',
  'trend-micro',
] as const;
export type Family = (typeof PROVIDER_FAMILIES)[number] | (typeof GATEWAY_FAMILIES)[number];

/** True for the gateway families, whose "user unknown" may be a disguised policy block. */
export function isGateway(family: Family | null): boolean {
  return family !== null && (GATEWAY_FAMILIES as readonly string[]).includes(family);
}

type Pattern = readonly [RegExp, Family];

const MX_PATTERNS: readonly Pattern[] = [
  [/(^|\.)gmail-smtp-in\.l\.google\.com$/, 'gmail'],
  [/(^|\.)aspmx\.l\.google\.com$|(^|\.)aspmx\d\.googlemail\.com$|^smtp\.google\.com$/, 'google-workspace'],
  [/\.olc\.protection\.outlook\.com$|(^|\.)hotmail\.com$/, 'outlook'],
  [/\.mail\.protection\.outlook\.com$|\.mx\.microsoft$|\.eop-[a-z0-9-]+\.outlook\.com$/, 'microsoft-365'],
  [/\.yahoodns\.net$|(^|\.)yahoo\.com$|(^|\.)aol\.com$/, 'yahoo'],
  [/(^|\.)orange\.fr$|(^|\.)wanadoo\.fr$/, 'orange'],
  [/(^|\.)sfr\.fr$|(^|\.)neuf\.fr$/, 'sfr'],
  [/(^|\.)free\.fr$/, 'free'],
  [/(^|\.)laposte\.net$/, 'laposte'],
  [/(^|\.)(gmx\.(net|com|de)|web\.de|kundenserver\.de|ionos\.[a-z]+)$/, 'gmx'],
  [/(^|\.)t-online\.de$/, 't-online'],
  [/(^|\.)(libero\.it|iol\.it|italiaonline\.it)$/, 'libero'],
  [/(^|\.)seznam\.cz$/, 'seznam'],
  [/(^|\.)wp\.pl$|(^|\.)o2\.pl$/, 'wp'],
  [/(^|\.)onet\.pl$/, 'onet'],
  [/(^|\.)interia\.pl$|(^|\.)poczta\.fm$/, 'interia'],
  [/(^|\.)icloud\.com$|(^|\.)me\.com$/, 'icloud'],
  [/(^|\.)comcast\.net$/, 'comcast'],
  [/(^|\.)secureserver\.net$/, 'godaddy'],
  [/(^|\.)yandex\.(net|ru)$/, 'yandex'],
  [/(^|\.)mail\.ru$/, 'mailru'],
  [/(^|\.)qq\.com$/, 'qq'],
  [/(^|\.)mimecast(-offshore)?\.(com|co\.za)$/, 'mimecast'],
  [/(^|\.)(pphosted|ppe-hosted)\.com$/, 'proofpoint'],
  [/(^|\.)barracudanetworks\.com$|(^|\.)cudamail\.com$/, 'barracuda'],
  [/(^|\.)iphmx\.com$/, 'cisco'],
  [/(^|\.)messagelabs\.com$/, 'symantec'],
  [/(^|\.)tmes\.trendmicro\.(com|eu)$/, 'trend-micro'],
];

// Recipient domains of the consumer providers (their own published domains).
const DOMAIN_PATTERNS: readonly Pattern[] = [
  [/^(gmail|googlemail)\.com$/, 'gmail'],
  [/^(outlook|hotmail|live|msn)\.[a-z.]+$/, 'outlook'],
  [/^(yahoo|ymail|rocketmail|aol|aim|verizon)\.[a-z.]+$/, 'yahoo'],
  [/^(orange|wanadoo)\.fr$/, 'orange'],
  [/^(sfr|neuf|cegetel)\.fr$/, 'sfr'],
  [/^free\.fr$/, 'free'],
  [/^laposte\.net$/, 'laposte'],
  [/^(gmx\.[a-z.]+|web\.de)$/, 'gmx'],
  [/^t-online\.de$/, 't-online'],
  [/^(libero|inwind|iol|blu)\.it$/, 'libero'],
  [/^(seznam|email|post)\.cz$/, 'seznam'],
  [/^(wp|o2)\.pl$/, 'wp'],
  [/^(onet|op|vp)\.pl$|^onet\.eu$/, 'onet'],
  [/^interia\.(pl|eu)$|^poczta\.fm$/, 'interia'],
  [/^(icloud|me|mac)\.com$/, 'icloud'],
  [/^comcast\.net$/, 'comcast'],
];

// Names that a reply text carries about the host that wrote it: banners, host names, Google's
// `gsmtp` trailer, Microsoft's `*.prod.protection.outlook.com` server names, Barracuda's `cuda_nsu`.
const TEXT_HINTS: readonly Pattern[] = [
  [/prod\.protection\.outlook\.com|\.eop-[a-z0-9]+\.|\bresolver\.(adr|rst)\b|\bstoredrv\b/, 'microsoft-365'],
  [/\boutlook\.com\b|\bhotmail\b|mail\.live\.com/, 'outlook'],
  [/\bgsmtp\b|support\.google\.com|\bgmail\b/, 'gmail'],
  [/\bmsexch\b/, 'exchange'],
  [/yahoo|\baol\b|\.aol\.com/, 'yahoo'],
  [/mimecast/, 'mimecast'],
  [/proofpoint|pphosted/, 'proofpoint'],
  [/\bcuda_nsu\b|barracuda/, 'barracuda'],
  [/iphmx|ironport/, 'cisco'],
  [/messagelabs/, 'symantec'],
  [/\bofr\d*_\d+|\bmwinf\w*|orange\.fr/, 'orange'],
  [/\blpn\d*_\d+|laposte/, 'laposte'],
  [/postmaster\.free\.fr/, 'free'],
  [/\bsfr\.fr\b/, 'sfr'],
  [/\bnemesis esmtp\b|postmaster\.(gmx|web)\.|kundenserver/, 'gmx'],
  [/t-online\.de/, 't-online'],
  [/\blib_\d+|iol\.local|libero/, 'libero'],
  [/seznam/, 'seznam'],
  [/\bicloud\b|support\.apple\.com|\bme\.com\b/, 'icloud'],
  [/comcast/, 'comcast'],
  [/\bib\d{3}\b|x\.co\/\w+bounce/, 'godaddy'],
];

// Provider names as other tools and logs spell them (e.g. ../shared/facts/responses.jsonl).
const PROVIDER_ALIASES: Readonly<Record<string, Family>> = {
  'outlook.com': 'outlook',
  hotmail: 'outlook',
  'windows-live': 'outlook',
  aol: 'yahoo',
  'yahoo.co.jp': 'yahoo',
  verizon: 'yahoo',
  wanadoo: 'orange',
  'free.fr': 'free',
  'la-poste': 'laposte',
  'gmx-webde': 'gmx',
  'web.de': 'gmx',
  webde: 'gmx',
  telekom: 't-online',
  apple: 'icloud',
  google: 'gmail',
  workspace: 'google-workspace',
  'g-suite': 'google-workspace',
  gsuite: 'google-workspace',
  office365: 'microsoft-365',
  'office-365': 'microsoft-365',
  m365: 'microsoft-365',
  eop: 'microsoft-365',
  'cisco-secure-email': 'cisco',
  ironport: 'cisco',
  'broadcom-symantec': 'symantec',
  messagelabs: 'symantec',
  tencent: 'qq',
  'mail.ru': 'mailru',
  'exchange-on-premise': 'exchange',
};

const ALL_FAMILIES: readonly string[] = [...PROVIDER_FAMILIES, ...GATEWAY_FAMILIES];

function firstMatch(patterns: readonly Pattern[], value: string): Family | null {
  return patterns.find(([pattern]) => pattern.test(value))?.[1] ?? null;
}

/** A sender meets the same few MX hosts and domains for every answer: their families are remembered. */
const NAME_MEMO = { capacity: 4096, maxKeyLength: 255 };
const mxFamily = memoised((host) => firstMatch(MX_PATTERNS, host.trim().toLowerCase().replace(/\.$/, '')), NAME_MEMO);
const domainFamily = memoised((name) => firstMatch(DOMAIN_PATTERNS, name.trim().toLowerCase()), NAME_MEMO);

/** The family an MX host name belongs to, or null for an MX this classifier does not know. */
export function familyOfMx(mxHost: string): Family | null {
  return mxFamily(mxHost);
}

/** A provider name as logs spell it (`gmail`, `outlook.com`, `gmx-webde`) → its family. */
export function familyOfProvider(name: string): Family | null {
  const key = name.trim().toLowerCase();
  if (ALL_FAMILIES.includes(key)) return key as Family;
  return PROVIDER_ALIASES[key] ?? null;
}

/** The recipient domain of a consumer provider → its family (corporate domains say nothing). */
export function familyOfDomain(domain: string): Family | null {
  return domainFamily(domain);
}

/** The family that names in the reply text point to, if any. */
export function familyOfText(text: string): Family | null {
  return firstMatch(TEXT_HINTS, foldText(text));
}

/** Best knowledge first: the MX that answered, then a given provider name, the domain, the text. */
export function familyOf(where: {
  readonly mx?: string | undefined;
  readonly provider?: string | undefined;
  readonly domain?: string | undefined;
  readonly text: string;
}): Family | null {
  return (
    (where.mx === undefined ? null : familyOfMx(where.mx)) ??
    (where.provider === undefined ? null : familyOfProvider(where.provider)) ??
    (where.domain === undefined ? null : familyOfDomain(where.domain)) ??
    familyOfText(where.text)
  );
}
