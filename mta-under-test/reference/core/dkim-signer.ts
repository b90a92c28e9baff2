/**
 * DKIM signing (RFC 6376; ed25519-sha256 per RFC 8463, rsa-sha256), relaxed/relaxed, over
 * the header fields receivers care about — including List-Unsubscribe and
 * List-Unsubscribe-Post, which RFC 8058 wants covered by the signature.
 *
 * The engine's own: its canonicalisation is dkim-canonical.ts, and it tells nobody what it
 * signed. A receiver checks the signature as any verifier does, from the key in DNS; tests
 * hold the signatures to mailauth's verifier.
 *
 * Synchronous on purpose: the engine signs at injection in sim mode too, and node:crypto's
 * one-shot sign is what makes that cheap (Ed25519 signs in tens of microseconds).
 */
import { hash, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { relaxedBodyHash, relaxedField, signableParts } from './dkim-canonical.ts';
import type { SignableField } from './dkim-canonical.ts';

export interface DkimKey {
  readonly domain: string;
  readonly selector: string;
  readonly privateKey: KeyObject;
}

/** What a bulk sender signs; absent fields are skipped. */
const SIGNED_FIELDS = [
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'feedback-id',
];

export function dkimSign(given: string, key: DkimKey): string {
  // What SMTP carries ends with a line end (RFC 5321 §4.1.1.4): sign exactly that. Verifiers
  // differ on a last line with no CRLF (mailauth keeps its trailing spaces, the RFC's relaxed
  // rule drops them), so a body signed without one may not verify where it arrives.
  const message = given.endsWith('\r\n') ? given : `${given}\r\n`;
  const parts = signableParts(message);
  const algorithm = key.privateKey.asymmetricKeyType === 'ed25519' ? 'ed25519-sha256' : 'rsa-sha256';
  const signed: SignableField[] = [];
  for (const name of SIGNED_FIELDS) {
    // The last instance of a field is the one a verifier takes first (§5.4.2).
    const field = parts.fields.findLast((each) => each.lowerName === name);
    if (field !== undefined) signed.push(field);
  }
  const value = `v=1; a=${algorithm}; c=relaxed/relaxed; d=${key.domain}; s=${key.selector}; h=${signed.map((field) => field.lowerName).join(':')}; bh=${relaxedBodyHash(parts.body)}; b=`;
  // The signature field itself, relaxed, with an empty b= and no CRLF (§3.7).
  const data =
    signed.map((field) => relaxedField(field.lowerName, field.text)).join('') +
    relaxedField('dkim-signature', `DKIM-Signature: ${value}`).slice(0, -2);
  const signature = (
    algorithm === 'ed25519-sha256'
      ? sign(null, sha256(data), key.privateKey)
      : sign('sha256', Buffer.from(data), key.privateKey)
  ).toString('base64');
  return `DKIM-Signature: ${value}${signature}\r\n${message}`;
}

/** ed25519-sha256 signs the SHA-256 digest of the data (RFC 8463 §3). */
function sha256(data: string): Buffer {
  return hash('sha256', data, 'buffer');
}
