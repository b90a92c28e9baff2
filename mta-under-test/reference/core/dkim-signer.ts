/**
 * DKIM signing (RFC 6376; ed25519-sha256 per RFC 8463, rsa-sha256), relaxed/relaxed, over
 * the header fields receivers care about — including List-Unsubscribe and
 * List-Unsubscribe-Post, which RFC 8058 wants covered by the signature.
 *
 * Synchronous on purpose: the engine signs at injection in sim mode too, and node:crypto's
 * one-shot sign is what makes that cheap (Ed25519 signs in tens of microseconds). Each
 * signature made is told to the process's signature memo, so a receiver in the same process
 * (sim mode) that finds this key in DNS need not redo the arithmetic that proves it.
 */
import { hash, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { bodyHash as bodyHashOf, canonicalHeaderRelaxed } from '../../../sim/mechanisms/auth/dkim-canonical.ts';
import { splitMessage } from '../../../sim/mechanisms/auth/message-parts.ts';
import type { HeaderField } from '../../../sim/mechanisms/auth/message-parts.ts';
import { SIGNATURES, publicKeyId } from '../../../sim/mechanisms/auth/signature-memo.ts';

export interface DkimKey {
  readonly domain: string;
  readonly selector: string;
  readonly privateKey: KeyObject;
}

/** What a bulk sender signs; absent fields are skipped. */
const SIGNED_FIELDS = ['from', 'to', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'list-unsubscribe', 'list-unsubscribe-post', 'feedback-id'];

export function dkimSign(message: string, key: DkimKey): string {
  const parts = splitMessage(message);
  const algorithm = key.privateKey.asymmetricKeyType === 'ed25519' ? 'ed25519-sha256' : 'rsa-sha256';
  const bodyHash = bodyHashOf(parts.body, true);
  const signed: HeaderField[] = [];
  const names: string[] = [];
  for (const name of SIGNED_FIELDS) {
    for (let index = parts.headers.length - 1; index >= 0; index--) {
      const field = parts.headers[index] as HeaderField;
      if (field.name.toLowerCase() === name) {
        signed.push(field);
        names.push(name);
        break;
      }
    }
  }
  const value = `v=1; a=${algorithm}; c=relaxed/relaxed; d=${key.domain}; s=${key.selector}; h=${names.join(':')}; bh=${bodyHash}; b=`;
  const unsigned: HeaderField = { name: 'DKIM-Signature', raw: `DKIM-Signature: ${value}\r\n` };
  const data = signed.map(canonicalHeaderRelaxed).join('') + canonicalHeaderRelaxed(unsigned).replace(/\r\n$/, '');
  const digest = hash('sha256', data, 'buffer');
  const signature = (algorithm === 'ed25519-sha256' ? sign(null, digest, key.privateKey) : sign('sha256', Buffer.from(data), key.privateKey)).toString('base64');
  const keyType = key.privateKey.asymmetricKeyType;
  if (keyType === 'ed25519' || keyType === 'rsa') SIGNATURES.remember({ algorithm, publicKey: publicKeyId(key.privateKey), dataDigest: digest.toString('base64'), signature }, true);
  return `DKIM-Signature: ${value}${signature}\r\n${message}`;
}
