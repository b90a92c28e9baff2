/**
 * Check `typo-domain`: a misspelt consumer domain (gmial.com, hotmial.com, orange.fe). Such
 * domains are registered by trap operators whose catch-all accepts everything and reports
 * the sender (facts: typo traps); the person meant the big provider, so the address is
 * dropped and the likely intended address reported as the suggestion.
 *
 * The distance is the package `@zootools/email-spell-checker` (MIT; a maintained rewrite of
 * mailcheck.js using the Sift3 string distance), asked to compare whole domains only against
 * `TYPO_TARGET_DOMAINS`: its second-level and top-level fallbacks are switched off, because
 * they "correct" any unknown company domain towards the nearest popular TLD. Three guards
 * keep real domains from being read as typos:
 * - `KNOWN_MAIL_DOMAINS` are never typos (ymail.com is not gmail.com, mail.com is a provider);
 * - the same provider name under another real country TLD is a sibling, not a typo (gmx.at,
 *   yahoo.ca, seznam.sk), judged with the public suffix list (package `tldts`), unless the TLD
 *   is one people type for .com or .net by mistake (gmail.co, yahoo.cm, laposte.ne);
 * - a provider name shorter than five letters (aol, gmx, web, sfr, msn, live, free) is one
 *   letter away from many real companies (aon.com, bmw.de, lidl.fr), which B2B lists are full
 *   of, so under such a name only a mistyped TLD (gmx.ed) or two swapped letters count.
 */
import emailSpellChecker from '@zootools/email-spell-checker';
import { parse } from 'tldts';
import type { Finding } from '../report.ts';

/** The big consumer domains, Europe's ISPs included: what a typo most likely meant. */
export const TYPO_TARGET_DOMAINS: readonly string[] = [
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'outlook.fr',
  'outlook.de',
  'hotmail.com',
  'hotmail.fr',
  'hotmail.co.uk',
  'hotmail.de',
  'hotmail.it',
  'hotmail.es',
  'live.com',
  'live.fr',
  'msn.com',
  'yahoo.com',
  'yahoo.fr',
  'yahoo.co.uk',
  'yahoo.de',
  'yahoo.it',
  'yahoo.es',
  'aol.com',
  'icloud.com',
  'orange.fr',
  'wanadoo.fr',
  'sfr.fr',
  'free.fr',
  'laposte.net',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'libero.it',
  'virgilio.it',
  'seznam.cz',
  'wp.pl',
  'onet.pl',
  'interia.pl',
];

/** Real mail domains near a target that must never be read as its typo. */
export const KNOWN_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  ...TYPO_TARGET_DOMAINS,
  'ymail.com',
  'rocketmail.com',
  'mail.com',
  'email.com',
  'gmx.com',
  'gmx.at',
  'gmx.ch',
  'gmx.fr',
  'gmx.us',
  'gmx.eu',
  'online.de',
  'mail.de',
  'me.com',
  'mac.com',
  'aim.com',
  'live.de',
  'live.it',
  'live.co.uk',
  'live.nl',
  'live.be',
  'neuf.fr',
  'aol.fr',
  'aol.de',
  'aol.co.uk',
  'sfr.net',
  'orange.com',
  'laposte.fr',
  'o2.pl',
  'op.pl',
  // Real companies one edit away from a longer provider name.
  'cloud.com',
]);

/** Provider names shorter than this only count as misspelt by TLD or by two swapped letters. */
const SHORT_NAME_LETTERS = 5;

/** TLDs that exist but are mostly typed by mistake for the target's TLD. */
const MISTYPED_TLDS: Readonly<Record<string, readonly string[]>> = { com: ['co', 'cm', 'om'], net: ['ne'] };

/** The intended domain when `domain` looks like a misspelt consumer domain, else undefined. */
export function typoSuggestion(domain: string): string | undefined {
  if (domain.startsWith('[') || KNOWN_MAIL_DOMAINS.has(domain)) return undefined;
  // Only the whole-domain comparison: empty second- and top-level lists switch the fallbacks off.
  const suggestion = emailSpellChecker.run({
    email: `x@${domain}`,
    domains: [...TYPO_TARGET_DOMAINS],
    secondLevelDomains: [],
    topLevelDomains: [],
  });
  if (suggestion === undefined || suggestion.domain === domain) return undefined;
  const mine = nameAndSuffix(domain);
  const theirs = nameAndSuffix(suggestion.domain);
  if (mine.name === theirs.name) return isSiblingSuffix(mine, theirs) ? undefined : suggestion.domain;
  if (theirs.name.length < SHORT_NAME_LETTERS)
    return mine.suffix === theirs.suffix && isAdjacentSwap(mine.name, theirs.name) ? suggestion.domain : undefined;
  return suggestion.domain;
}

/**
 * The typo finding for `local@domain`, dropping it with the intended address as suggestion.
 * `suggestion` may be passed in when the caller has already asked `typoSuggestion` for the
 * domain (the audit asks once per domain).
 */
export function typoFindings(
  local: string,
  domain: string,
  suggestion: string | undefined = typoSuggestion(domain),
): Finding[] {
  if (suggestion === undefined) return [];
  return [
    {
      check: 'typo-domain',
      code: 'typo-domain.suggestion',
      effect: 'drop',
      detail: `${domain} looks like a misspelling of ${suggestion} (typo domains are trap catch-alls)`,
      suggestion: `${local}@${suggestion}`,
    },
  ];
}

/** A domain split at its public suffix: `hotmail` + `co.uk`. */
interface NameAndSuffix {
  readonly name: string;
  readonly suffix: string;
  /** Whether the suffix is a real (ICANN) public suffix. */
  readonly isRealSuffix: boolean;
}

function nameAndSuffix(domain: string): NameAndSuffix {
  const parsed = parse(domain);
  const suffix = parsed.publicSuffix ?? domain.slice(domain.lastIndexOf('.') + 1);
  return {
    name: domain.slice(0, Math.max(0, domain.length - suffix.length - 1)),
    suffix,
    isRealSuffix: parsed.isIcann === true,
  };
}

/** Another real public suffix that is not a known mistyping of the target's (gmx.at for gmx.de). */
function isSiblingSuffix(mine: NameAndSuffix, theirs: NameAndSuffix): boolean {
  return mine.isRealSuffix && !(MISTYPED_TLDS[theirs.suffix] ?? []).includes(mine.suffix);
}

/** `a` is `b` with two neighbouring letters swapped (gmx → gxm). */
function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differ = [...a].flatMap((char, index) => (char === b[index] ? [] : [index]));
  const [first, second] = differ;
  return (
    differ.length === 2 &&
    first !== undefined &&
    second === first + 1 &&
    a[first] === b[second] &&
    a[second] === b[first]
  );
}
