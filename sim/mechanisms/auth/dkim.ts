/**
 * DKIM verification (RFC 6376) against the sim DNS, with node:crypto: rsa-sha256 and
 * ed25519-sha256 (RFC 8463), simple and relaxed canonicalization, the l= body length.
 *
 * The sim-mode verifier. On the wire the receivers take mailauth's verdicts instead
 * (mailauth-verdicts.ts); sim mode cannot wait on mailauth's promises and could not afford its
 * half millisecond a message, so it verifies here, synchronously, and a property test
 * (test/property/dkim-agreement.property.test.ts) holds every verdict to mailauth's.
 *
 * The signature check goes through the receivers' signature memo (signature-memo.ts), which
 * only this verifier writes: a check already made (a retried message) is not computed again.
 */
import { createPublicKey, hash, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { DnsZone } from '../../dns/zone.ts';
import { bodyHash as bodyHashOf, canonicalBody, canonicalHeaderRelaxed } from './dkim-canonical.ts';
import type { HeaderField, MessageParts } from './message-parts.ts';
import { SIGNATURES, publicKeyId } from './signature-memo.ts';
import type { SignatureCheck, SignatureMemo } from './signature-memo.ts';

/** `temperror` comes only from a verifier resolving over a network (wire mode's mailauth); the sim DNS always answers. */
export type DkimResult = 'pass' | 'fail' | 'permerror' | 'temperror' | 'none';

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

interface PublishedKey {
  readonly key: KeyObject;
  /** Its SPKI spelling, which names it in the signature memo. */
  readonly id: string;
}

export class DkimVerifier {
  private readonly keys = new Map<string, PublishedKey | string>();

  /** `signatures`: where checks are remembered; the process's shared memo unless a test gives its own. */
  constructor(
    private readonly dns: DnsZone,
    private readonly signatures: SignatureMemo = SIGNATURES,
  ) {}

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
    if (
      domain === null ||
      selector === null ||
      signedHeaders === undefined ||
      bodyHash === undefined ||
      signatureValue === undefined
    ) {
      return verdict('permerror', 'signature misses a required tag');
    }
    if (algorithm !== 'rsa-sha256' && algorithm !== 'ed25519-sha256')
      return verdict('permerror', `unsupported algorithm ${algorithm ?? '(none)'}`);
    const [headerCanon = 'simple', bodyCanon = 'simple'] = (tags.get('c') ?? 'simple/simple').toLowerCase().split('/');

    const length = tags.get('l');
    const computedBodyHash =
      length === undefined
        ? bodyHashOf(parts.body, bodyCanon === 'relaxed')
        : hash('sha256', canonicalBody(parts.body, bodyCanon === 'relaxed').slice(0, Number(length)), 'base64');
    if (computedBodyHash !== bodyHash) return verdict('fail', 'body hash did not verify');

    const published = this.publicKey(`${selector}._domainkey.${domain}`);
    if (typeof published === 'string') return verdict(published === 'no key' ? 'permerror' : 'fail', published);

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

    const digest = hash('sha256', signedData, 'buffer');
    const check: SignatureCheck = {
      algorithm,
      publicKey: published.id,
      dataDigest: digest.toString('base64'),
      signature: signatureValue,
    };
    let valid = this.signatures.recall(check);
    if (valid === undefined) {
      const signatureBytes = Buffer.from(signatureValue, 'base64');
      valid =
        algorithm === 'rsa-sha256'
          ? verify('sha256', Buffer.from(signedData), published.key, signatureBytes)
          : verify(null, digest, published.key, signatureBytes);
      this.signatures.remember(check, valid);
    }
    return valid ? verdict('pass', 'signature verified') : verdict('fail', 'signature did not verify');
  }

  /** The key published at `name` (with its id in the signature memo), or why there is none usable. Cached per record text. */
  private publicKey(name: string): PublishedKey | string {
    const answer = this.dns.txt(name);
    if (answer.kind !== 'records') return 'no key';
    const text = answer.records.join('');
    const cached = this.keys.get(text);
    if (cached !== undefined) return cached;
    const tags = parseTags(text);
    const data = tags.get('p')?.replace(/\s+/g, '') ?? '';
    let key: PublishedKey | string;
    if (data === '') {
      key = 'key revoked';
    } else {
      try {
        const bytes = Buffer.from(data, 'base64');
        const keyObject =
          (tags.get('k') ?? 'rsa').toLowerCase() === 'ed25519'
            ? createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, bytes]), format: 'der', type: 'spki' })
            : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
        key = { key: keyObject, id: publicKeyId(keyObject) };
      } catch {
        key = 'key record unreadable';
      }
    }
    this.keys.set(text, key);
    return key;
  }
}
