/**
 * The sender's own DKIM canonicalisation (RFC 6376 §3.4.2 and §3.4.4, relaxed), written for
 * the engine and shared with nothing: the receivers verify with their own code, and tests hold
 * this one to mailauth's verifier. Two independent implementations are what let a bug in
 * either show up as a failed signature instead of agreeing with itself.
 */
import { hash } from 'node:crypto';

/** One header field as it stands in the message: its lower-cased name and its lines (folds kept, CRLF ends). */
export interface SignableField {
  readonly lowerName: string;
  readonly text: string;
}

export interface SignableMessage {
  readonly fields: readonly SignableField[];
  /** Everything after the empty line that ends the header, CRLF line ends. */
  readonly body: string;
}

/** Splits a CRLF message into its header fields (continuation lines joined to their field) and its body. */
export function signableParts(message: string): SignableMessage {
  const end = message.indexOf('\r\n\r\n');
  const header = end < 0 ? message : message.slice(0, end + 2);
  const fields: SignableField[] = [];
  for (const line of header.split(/(?<=\r\n)/)) {
    if (line === '') continue;
    const previous = fields[fields.length - 1];
    if ((line[0] === ' ' || line[0] === '\t') && previous !== undefined) {
      fields[fields.length - 1] = { lowerName: previous.lowerName, text: previous.text + line };
      continue;
    }
    const colon = line.indexOf(':');
    fields.push({
      lowerName: (colon < 0 ? line : line.slice(0, colon)).trim().toLowerCase(),
      text: line.endsWith('\r\n') ? line : `${line}\r\n`,
    });
  }
  return { fields, body: end < 0 ? '' : message.slice(end + 4) };
}

/**
 * §3.4.2: the name lower-cased, the value unfolded, each run of spaces and tabs one space, none
 * at either end of the value, then CRLF.
 */
export function relaxedField(name: string, text: string): string {
  const value = text
    .slice(text.indexOf(':') + 1)
    .split('\r\n')
    .join('')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}\r\n`;
}

/**
 * §3.4.4 then §3.4.3's last rule: per line, runs of spaces and tabs one space and none at the
 * end; empty lines at the end removed; a non-empty body ends with one CRLF, an empty one is empty.
 */
export function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

/** bh=: base64 SHA-256 of the relaxed body. */
export function relaxedBodyHash(body: string): string {
  return hash('sha256', relaxedBody(body), 'base64');
}
