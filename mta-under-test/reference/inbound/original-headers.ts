/**
 * The original message's headers inside a report: a `text/rfc822-headers` part (RFC 6522 §4),
 * a whole `message/rfc822` (RFC 3464 §2 allows either), or their RFC 6532/6533 `global` forms.
 * Reports join on two of them: the correlation header (verp.ts) and the Message-ID.
 */
import { fieldGroups, first } from './fields.ts';
import type { OriginalHeaders } from './report.ts';

/** Content types that carry the original message or its headers, in the order they are preferred. */
export const ORIGINAL_PART_TYPES: readonly string[] = [
  'text/rfc822-headers',
  'message/rfc822',
  'message/global-headers',
  'message/global',
  'text/rfc822',
];

/** Reads the header section of a part's text; undefined when it has no header fields at all. */
export function readOriginalHeaders(content: string): OriginalHeaders | undefined {
  const normalised = content.replace(/\r?\n/g, '\r\n').replace(/^(\r\n)+/, '');
  const end = normalised.indexOf('\r\n\r\n');
  const text = end === -1 ? normalised : `${normalised.slice(0, end)}\r\n`;
  const group = fieldGroups(text)[0];
  if (group === undefined) return undefined;
  const messageId = first(group, 'message-id')?.replace(/^<(.*)>$/, '$1');
  const ref = first(group, 'x-mailbench-ref');
  const to = firstAddress(first(group, 'to'));
  return {
    text,
    ...(messageId === undefined ? {} : { messageId }),
    ...(ref === undefined ? {} : { ref }),
    ...(to === undefined ? {} : { to }),
  };
}

/** The first address of an address list: `"A" <a@b>, c@d` gives `a@b`. */
function firstAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
  if (angled !== null) return angled[1];
  const bare = /([^\s,<>"]+@[^\s,<>"]+)/.exec(value);
  return bare?.[1];
}

/**
 * The original message from the report's own top-level parts, read from the raw text. Needed
 * because mailparser flattens an inline `message/rfc822` part (Content-Disposition: inline, as
 * Yahoo sends it) into the text body and keeps only From, To and Subject of it. Reading it raw
 * is safe: RFC 2046 §5.2.1 allows no transfer encoding on message/rfc822 but 7bit, 8bit and
 * binary, so its text is the message.
 */
export function originalFromRaw(raw: string, boundary: string): OriginalHeaders | undefined {
  const delimiter = `--${boundary}`;
  const lines = raw.replace(/\r?\n/g, '\r\n').split('\r\n');
  const parts: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (line.startsWith(delimiter)) {
      if (current !== undefined) parts.push(current);
      current = line.startsWith(`${delimiter}--`) ? undefined : [];
      if (current === undefined) break;
      continue;
    }
    current?.push(line);
  }
  for (const part of parts) {
    const blank = part.indexOf('');
    const head = (blank === -1 ? part : part.slice(0, blank)).join('\r\n').replace(/\r\n[ \t]+/g, ' ');
    const type = /^content-type:\s*([^;\s]+)/im.exec(head)?.[1]?.toLowerCase();
    if (type !== 'message/rfc822' && type !== 'message/global') continue;
    const headers = readOriginalHeaders(part.slice(blank + 1).join('\r\n'));
    if (headers !== undefined) return headers;
  }
  return undefined;
}
