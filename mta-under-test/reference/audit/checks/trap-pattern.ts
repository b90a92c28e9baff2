/**
 * Check `trap-pattern`: shapes that spamtraps and scraped lists have and real subscribers do
 * not. A trap cannot be recognised for certain (that is the point of one), so every heuristic
 * here is deliberately narrow: each matches only what a person practically never has, and the
 * one that could hit a real person (a very long local part) only flags. Each is explained where
 * it is defined. All compare lower-cased.
 */
import { parse } from 'tldts';
import type { Finding, FindingCode } from '../report.ts';

/**
 * Local-part words trap operators and honeypot pages use for the addresses they seed
 * ("spamtrap@", "trap.01@", "honeypot-x@"). Matched as whole tokens between `.`, `-`, `_`,
 * `+` (so "trapani@" or "strapline@" are not hit), and as substrings only for the compounds
 * no name contains.
 */
const TRAP_TOKENS: ReadonlySet<string> = new Set([
  'trap',
  'traps',
  'spamtrap',
  'spamtraps',
  'honeypot',
  'honeytrap',
  'spambait',
  'spam',
]);
const TRAP_COMPOUNDS = ['spamtrap', 'honeypot', 'honeytrap', 'spambait'];

/**
 * File extensions a scraper picks up as a "domain" from web pages: `logo@2x.png` comes from an
 * image's srcset, `main@3.1.js` from a script name. None is a real TLD (checked against the
 * public suffix list, so a future `.js` TLD would stop matching); `.zip` and `.mov` are real
 * TLDs and are deliberately absent.
 */
const FILE_EXTENSIONS: ReadonlySet<string> = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'bmp',
  'ico',
  'tif',
  'tiff',
  'avif',
  'css',
  'js',
  'mjs',
  'json',
  'xml',
  'php',
  'html',
  'htm',
  'asp',
  'aspx',
  'jsp',
  'pdf',
  'txt',
  'woff',
  'woff2',
  'ttf',
  'eot',
  'mp3',
  'mp4',
]);

/**
 * Escapes a scraper failed to decode, left at the start of the local part: `u003e` (a JSON
 * `\u003e`, ">") or `%20` (a URL-encoded space) glued to the address it preceded.
 */
const ESCAPE_PREFIX = /^(u00[0-7][0-9a-f]|%[0-9a-f]{2})/;

/**
 * Domains that are placeholders, not mailboxes: RFC 2606 reserves example.com/.net/.org for
 * documentation (and the real ones publish a null MX), and "yourdomain.com" is template text.
 * Not the `.example` TLD: the simulated world puts its corporate domains there.
 */
const PLACEHOLDER_DOMAINS: ReadonlySet<string> = new Set([
  'example.com',
  'example.net',
  'example.org',
  'yourdomain.com',
  'your-domain.com',
  'yoursite.com',
  'yourcompany.com',
]);

/** A real local part is at most 64 octets; past 40 it is rarely typed by a person. */
const LONG_LOCAL_OCTETS = 40;

/** Every trap-like shape of `local@domain` (domain in lower-case ASCII), each its own finding. */
export function trapPatternFindings(local: string, domain: string): Finding[] {
  const localLower = local.toLowerCase();
  const findings: Finding[] = [];
  const word = trapWord(localLower);
  if (word !== undefined)
    findings.push(drop('trap-pattern.trap-word', `the local part contains "${word}", a word trap operators seed`));
  const extension = fileExtension(domain);
  if (extension !== undefined)
    findings.push(
      drop(
        'trap-pattern.file-artefact',
        `the domain ends in .${extension}, a file name scraped from a web page, not a TLD`,
      ),
    );
  const escape = ESCAPE_PREFIX.exec(localLower);
  if (escape !== null)
    findings.push(
      drop(
        'trap-pattern.escape-artefact',
        `the local part starts with "${escape[0]}", an undecoded escape a scraper left`,
      ),
    );
  const placeholder = placeholderDomain(domain);
  if (placeholder !== undefined)
    findings.push(
      drop(
        'trap-pattern.placeholder-domain',
        `${placeholder} is a placeholder domain (RFC 2606 or template text), not a mailbox`,
      ),
    );
  const random = randomShape(localLower);
  if (random !== undefined)
    findings.push(
      drop(
        'trap-pattern.random-local',
        `the local part looks generated (${random}), as honeypot pages and leaked keys do`,
      ),
    );
  else if (Buffer.byteLength(local) > LONG_LOCAL_OCTETS)
    findings.push({
      check: 'trap-pattern',
      code: 'trap-pattern.long-local',
      effect: 'flag',
      detail: `the local part is ${Buffer.byteLength(local)} octets long, past what people type`,
    });
  return findings;
}

function trapWord(local: string): string | undefined {
  const token = local.split(/[._+-]/).find((part) => TRAP_TOKENS.has(part));
  return token ?? TRAP_COMPOUNDS.find((compound) => local.includes(compound));
}

function fileExtension(domain: string): string | undefined {
  const last = domain.slice(domain.lastIndexOf('.') + 1);
  if (!FILE_EXTENSIONS.has(last)) return undefined;
  return parse(domain).isIcann === true ? undefined : last;
}

function placeholderDomain(domain: string): string | undefined {
  for (const placeholder of PLACEHOLDER_DOMAINS)
    if (domain === placeholder || domain.endsWith(`.${placeholder}`)) return placeholder;
  return undefined;
}

/**
 * Generated local parts, three narrow shapes:
 * - a UUID (`3f2b…-…`), as form bots and leaked API keys have;
 * - 24 or more hex digits with at least 4 letters and 4 digits (an MD5/SHA-1 or a Sentry key
 *   scraped from page scripts), so a long all-letter word is not hit;
 * - 12 or more letters and digits without a separator that switch between letters and digits
 *   at least 6 times (`k3j9x2m8q7p1`), where names with a year (`jsmith1984`) switch once.
 */
function randomShape(local: string): string | undefined {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(local)) return 'a UUID';
  if (/^[0-9a-f]{24,}$/.test(local) && count(local, /[a-f]/g) >= 4 && count(local, /[0-9]/g) >= 4)
    return `${local.length} hex digits`;
  if (/^[a-z0-9]{12,}$/.test(local) && (local.match(/[a-z](?=[0-9])|[0-9](?=[a-z])/g)?.length ?? 0) >= 6)
    return 'letters and digits alternating';
  return undefined;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function drop(code: FindingCode, detail: string): Finding {
  return { check: 'trap-pattern', code, effect: 'drop', detail };
}
