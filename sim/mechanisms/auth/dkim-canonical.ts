/**
 * DKIM canonicalization (RFC 6376 §3.4), shared by the receivers' verifier and the senders'
 * signer so that both sides read a message the same way.
 */
import { hash } from 'node:crypto';
import { memoised } from '../../../kernel/index.ts';
import type { HeaderField } from './message-parts.ts';

/** §3.4.2 relaxed: lower-case name, unfolded value, runs of WSP as one space, trimmed. */
export function canonicalHeaderRelaxed(field: HeaderField): string {
  const colon = field.raw.indexOf(':');
  const name = field.raw.slice(0, colon).trim().toLowerCase();
  const rest = field.raw.slice(colon + 1);
  // Most fields are one line with single spaces: nothing to unfold or squeeze, only the line end to drop.
  const plain =
    rest.indexOf('\r') === rest.length - 2 && rest.endsWith('\r\n') && !rest.includes('\t') && !rest.includes('  ');
  const value = plain
    ? rest.slice(0, -2).trim()
    : rest
        .replace(/\r\n/g, '')
        .replace(/[ \t]+/g, ' ')
        .trim();
  return `${name}:${value}\r\n`;
}

/** §3.4.3 simple and §3.4.4 relaxed body: trailing empty lines dropped, CRLF-terminated. */
export function canonicalBody(body: string, relaxed: boolean): string {
  let text = body;
  if (relaxed) {
    text = text
      .split('\r\n')
      .map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
      .join('\r\n');
  }
  text = text.replace(/(\r\n)*$/, '');
  if (text === '') return relaxed ? '' : '\r\n';
  return `${text}\r\n`;
}

/** Bodies recur (a campaign sends one body to every recipient); larger ones are hashed every time. */
const BODY_HASH_MEMO = { capacity: 64, maxKeyLength: 64 * 1024 };
const bodyHashRelaxed = memoised((body) => sha256Base64(canonicalBody(body, true)), BODY_HASH_MEMO);
const bodyHashSimple = memoised((body) => sha256Base64(canonicalBody(body, false)), BODY_HASH_MEMO);

function sha256Base64(text: string): string {
  return hash('sha256', text, 'base64');
}

/** The bh= value of a body: base64 SHA-256 of its canonical form (the whole body; no l=). */
export function bodyHash(body: string, relaxed: boolean): string {
  return relaxed ? bodyHashRelaxed(body) : bodyHashSimple(body);
}
