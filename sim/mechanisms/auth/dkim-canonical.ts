/**
 * DKIM canonicalization (RFC 6376 §3.4), shared by the receivers' verifier and the senders'
 * signer so that both sides read a message the same way.
 */
import type { HeaderField } from './message-parts.ts';

/** §3.4.2 relaxed: lower-case name, unfolded value, runs of WSP as one space, trimmed. */
export function canonicalHeaderRelaxed(field: HeaderField): string {
  const colon = field.raw.indexOf(':');
  const name = field.raw.slice(0, colon).trim().toLowerCase();
  const value = field.raw
    .slice(colon + 1)
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
