/**
 * DKIM verification (RFC 6376) against the sim DNS, with node:crypto: rsa-sha256 and
 * ed25519-sha256 (RFC 8463), simple and relaxed canonicalization, the l= body length.
 *
 * Written here rather than taken from a library on purpose: receivers answer synchronously
 * (the same code runs in sim mode at hundreds of thousands of recipients per second), and
 * the well-kept verifiers (mailauth) are stream- and promise-based with DNS over callbacks.
 * The tests check it against signatures made by nodemailer's DKIM signer.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { DnsZone } from '../../dns/zone.ts';
import { canonicalBody, canonicalHeaderRelaxed } from './dkim-canonical.ts';
import type { HeaderField, MessageParts } from './message-parts.ts';

export type DkimResult = 'pass' | 'fail' | 'permerror' | 'none';

export interface DkimVerdict {
  readonly result: DkimResult;
  /** The signing domain (d=), when the signature names one. */
  readonly domain: string | null;
  readonly selector: string | null;
  /** Why it did not pass, for truth records and tests. */
  readonly reason: string;
}

/** Ed25519 public keys in DNS are the raw 32 bytes; node wants them wrapped as SPKI. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function parseTags(text: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of text.split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    tags.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  return tags;
}

export class DkimVerifier {
  private readonly keys = new Map<string, KeyObject | string>();

  constructor(private readonly dns: DnsZone) {}

  /** One verdict per DKIM-Signature field; `none` when the message carries no signature. */
  verify(parts: MessageParts): DkimVerdict[] {
    const signatures = parts.headers.filter((field) => field.name.toLowerCase() === 'dkim-signature');
    if (signatures.length === 0) return [{ result: 'none', domain: null, selector: null, reason: 'no signature' }];
    return signatures.map((signature) => this.verifyOne(parts, signature));
  }

  private verifyOne(parts: MessageParts, signature: HeaderField): DkimVerdict {
    const colon = signature.raw.indexOf(':');
    const tags = parseTags(signature.raw.slice(colon + 1).replace(/\r\n/g, ''));
    const domain = tags.get('d')?.toLowerCase() ?? null;
    const selector = tags.get('s') ?? null;
    const verdict = (result: DkimResult, reason: string): DkimVerdict => ({ result, domain, selector, reason });
    const algorithm = tags.get('a');
    const signedHeaders = tags.get('h');
    const bodyHash = tags.get('bh')?.replace(/\s+/g, '');
    const signatureValue = tags.get('b')?.replace(/\s+/g, '');
    if (domain === null || selector === null || signedHeaders === undefined || bodyHash === undefined || signatureValue === undefined) {
      return verdict('permerror', 'signature misses a required tag');
    }
    if (algorithm !== 'rsa-sha256' && algorithm !== 'ed25519-sha256') return verdict('permerror', `unsupported algorithm ${algorithm ?? '(none)'}`);
    const [headerCanon = 'simple', bodyCanon = 'simple'] = (tags.get('c') ?? 'simple/simple').toLowerCase().split('/');

    let body = canonicalBody(parts.body, bodyCanon === 'relaxed');
    const length = tags.get('l');
    if (length !== undefined) body = body.slice(0, Number(length));
    if (createHash('sha256').update(body).digest('base64') !== bodyHash) return verdict('fail', 'body hash did not verify');

    const key = this.publicKey(`${selector}._domainkey.${domain}`);
    if (typeof key === 'string') return verdict(key === 'no key' ? 'permerror' : 'fail', key);

    const relaxed = headerCanon === 'relaxed';
    const canon = (field: HeaderField): string => (relaxed ? canonicalHeaderRelaxed(field) : field.raw);
    const used = new Set<HeaderField>();
    let signedData = '';
    for (const name of signedHeaders.split(':').map((item) => item.trim().toLowerCase())) {
      // The last unused instance of each named field, bottom-up (RFC 6376 §5.4.2).
      for (let index = parts.headers.length - 1; index >= 0; index--) {
        const field = parts.headers[index] as HeaderField;
        if (field.name.toLowerCase() !== name || used.has(field) || field === signature) continue;
        used.add(field);
        signedData += canon(field);
        break;
      }
    }
    const unsigned: HeaderField = { name: signature.name, raw: signature.raw.replace(/(^|;)(\s*b\s*=)[^;]*/i, '$1$2') };
    signedData += canon(unsigned).replace(/\r\n$/, '');

    const signatureBytes = Buffer.from(signatureValue, 'base64');
    const valid =
      algorithm === 'rsa-sha256'
        ? verify('sha256', Buffer.from(signedData), key, signatureBytes)
        : verify(null, createHash('sha256').update(signedData).digest(), key, signatureBytes);
    return valid ? verdict('pass', 'signature verified') : verdict('fail', 'signature did not verify');
  }

  /** The key published at `name`, or why there is none usable. Cached per record text. */
  private publicKey(name: string): KeyObject | string {
    const answer = this.dns.txt(name);
    if (answer.kind !== 'records') return 'no key';
    const text = answer.records.join('');
    const cached = this.keys.get(text);
    if (cached !== undefined) return cached;
    const tags = parseTags(text);
    const data = tags.get('p')?.replace(/\s+/g, '') ?? '';
    let key: KeyObject | string;
    if (data === '') {
      key = 'key revoked';
    } else {
      try {
        const bytes = Buffer.from(data, 'base64');
        key =
          (tags.get('k') ?? 'rsa').toLowerCase() === 'ed25519'
            ? createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, bytes]), format: 'der', type: 'spki' })
            : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
      } catch {
        key = 'key record unreadable';
      }
    }
    this.keys.set(text, key);
    return key;
  }
}
