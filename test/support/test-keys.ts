/**
 * Ed25519 keys for tests, each made from one fill byte as its 32-byte seed: the same key on
 * every run and no key generation, so a signed message is the same bytes every time.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** PKCS#8 DER up to the seed, for an Ed25519 private key (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519Key(fill: number): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.alloc(32, fill)]),
    format: 'der',
    type: 'pkcs8',
  });
}

/** The DKIM key record (RFC 8463: `k=ed25519`, `p=` the raw 32-byte public key) for `privateKey`. */
export function ed25519DkimRecord(privateKey: KeyObject): string {
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
  return `v=DKIM1; k=ed25519; p=${raw.toString('base64')}`;
}
