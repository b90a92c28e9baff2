/**
 * What the receivers' verifier knows about DKIM signatures it checked in this process: whether
 * a signature verifies under a public key over signed data with a given SHA-256. The check is a
 * pure function of exactly these (ed25519-sha256 verifies the digest itself; rsa-sha256 verifies
 * PKCS #1 over the same digest), so a remembered answer is the answer, and a run reads the same
 * whether it was remembered or computed. It pays off when the same signed message comes again
 * (a retry after a deferral).
 *
 * One writer: the verifier. The sender's signer tells it nothing (issue 17: the sender and the
 * judge share nothing but the wire), so every first check is the curve arithmetic itself.
 *
 * Bounded: the entry remembered longest ago goes first. Sized for the messages a large run
 * has signed but not yet delivered; past that, verification is simply done again.
 */
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { BoundedMemo } from '../../../kernel/index.ts';

export type DkimAlgorithm = 'rsa-sha256' | 'ed25519-sha256';

export interface SignatureCheck {
  readonly algorithm: DkimAlgorithm;
  /** The public key as SPKI DER in base64: one spelling per key, however its DNS record is written. */
  readonly publicKey: string;
  /** SHA-256 of the signed header data, base64. */
  readonly dataDigest: string;
  /** The b= value, base64 without whitespace. */
  readonly signature: string;
}

interface Known {
  readonly algorithm: DkimAlgorithm;
  readonly publicKey: string;
  readonly dataDigest: string;
  readonly valid: boolean;
}

/** About 250 bytes an entry: 200,000 entries stay under 50 MB. */
export const SIGNATURE_MEMO_CAPACITY = 200_000;

export class SignatureMemo {
  /** By signature: it names one check in practice; the rest of the check is compared in full. */
  private readonly known: BoundedMemo<string, Known>;

  constructor(capacity: number = SIGNATURE_MEMO_CAPACITY) {
    this.known = new BoundedMemo(capacity);
  }

  get size(): number {
    return this.known.size;
  }

  /** Whether the signature verifies, when this exact check is known; undefined otherwise. */
  recall(check: SignatureCheck): boolean | undefined {
    const known = this.known.get(check.signature);
    if (
      known === undefined ||
      known.algorithm !== check.algorithm ||
      known.publicKey !== check.publicKey ||
      known.dataDigest !== check.dataDigest
    )
      return undefined;
    return known.valid;
  }

  remember(check: SignatureCheck, valid: boolean): void {
    this.known.set(check.signature, {
      algorithm: check.algorithm,
      publicKey: check.publicKey,
      dataDigest: check.dataDigest,
      valid,
    });
  }
}

/** The memo shared by every signer and verifier in the process. */
export const SIGNATURES = new SignatureMemo();

const spkiOfKey = new WeakMap<KeyObject, string>();

/** A key's public half as SPKI DER in base64 (a private key gives its public key's), computed once per key object. */
export function publicKeyId(key: KeyObject): string {
  let id = spkiOfKey.get(key);
  if (id === undefined) {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    id = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    spkiOfKey.set(key, id);
  }
  return id;
}
