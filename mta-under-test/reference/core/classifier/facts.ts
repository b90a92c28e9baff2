/**
 * What the classifier reads about one answer, and the normalised observation its rules match.
 *
 * The input is what a sender can know: the basic code (or none, when no SMTP reply came back),
 * the enhanced code, the text, the SMTP stage and where the answer came from (the MX host, the
 * recipient domain, or a provider name a log already carries). Rules never see the raw text:
 * they see it lower-cased, with accents folded and addresses replaced by `<@>`, because real
 * bounce texts echo the recipient address and a local part such as `userunknown@` must not
 * decide anything (../shared/corpora/README.md).
 */
import type { SmtpStage } from '../../../../kernel/index.ts';
import type { Family } from './family.ts';
import { familyOf } from './family.ts';

/** One answer as the CLI and the engine describe it. `code: null` means no SMTP reply. */
export interface ReplyFacts {
  readonly code: number | null;
  readonly enhanced: string | null;
  readonly text: string;
  /** A provider or family name a log already carries, e.g. `gmail`, `mimecast`. */
  readonly provider?: string;
  /** The MX host that answered, e.g. `example-com.mail.protection.outlook.com`. */
  readonly mx?: string;
  /** The recipient domain, when known. */
  readonly domain?: string;
  readonly stage?: SmtpStage;
}

/** The normalised view every rule matches against. */
export interface Observation {
  readonly code: number | null;
  /** The enhanced code given, or the first one written in the text (`#5.1.1`). */
  readonly enhanced: string | null;
  /** Lower-case, accents folded, addresses replaced by `<@>`, whitespace collapsed. */
  readonly text: string;
  readonly stage: SmtpStage | null;
  readonly family: Family | null;
  /** The receiver said "try again": a 4xx code, or no code and a 4.x.x enhanced code. */
  readonly transient: boolean;
}

// An address in angle brackets, quoted or bare. Domains stop at characters that end an address
// in real texts: `(user@example.com:blocked)` keeps its `:blocked`. Lengths are bounded as RFC 5321
// §4.5.3.1 bounds them, so a long run of letters costs one scan, not one per position.
const ADDRESS =
  /<[^<>\s]{0,254}@[^<>\s]{0,254}>|"[^"\n]{0,64}"@[\w.-]{1,254}|[\w.+=!#$%&'*/?^`{|}~-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}/g;
// An enhanced code on its own, not a piece of an IP address or a version number.
const ENHANCED_IN_TEXT = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])/;
const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3}$/;

/** Lower case, German ß and Polish ł spelt out, other accents folded; Japanese is left whole. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}

/** The text rules match: addresses out, continuation prefixes (`550-5.7.1 `) out, one space. */
export function normaliseText(text: string): string {
  return foldText(text.replace(ADDRESS, ' <@> '))
    .replace(/(?:^|\s)[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3}\s)?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function enhancedOf(facts: ReplyFacts): string | null {
  const given = facts.enhanced?.trim().replace(/^#/, '') ?? '';
  if (ENHANCED.test(given)) return given;
  const written = ENHANCED_IN_TEXT.exec(facts.text);
  return written === null ? null : `${written[1]}.${written[2]}.${written[3]}`;
}

function isTransient(code: number | null, enhanced: string | null): boolean {
  if (code !== null) return code >= 400 && code < 500;
  return enhanced?.startsWith('4.') ?? false;
}

/**
 * Builds the observation once; every rule then reads the same normalised facts. The text is
 * normalised when first read: most answers are decided before any rule reads it (an accepted
 * answer by its code, the family by the MX host), and normalising is the costly part.
 */
export function observe(facts: ReplyFacts): Observation {
  const code = facts.code !== null && Number.isInteger(facts.code) ? facts.code : null;
  const enhanced = enhancedOf(facts);
  let normalised: string | undefined;
  const textOf = (): string => (normalised ??= normaliseText(facts.text));
  const where = {
    mx: facts.mx,
    provider: facts.provider,
    domain: facts.domain,
    get text(): string {
      return textOf();
    },
  };
  return {
    code,
    enhanced,
    get text(): string {
      return textOf();
    },
    stage: facts.stage ?? null,
    family: familyOf(where),
    transient: isTransient(code, enhanced),
  };
}
