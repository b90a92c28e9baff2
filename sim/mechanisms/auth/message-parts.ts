/**
 * The header fields and body of an RFC 5322 message, kept byte-faithful for DKIM: each field
 * keeps its folding and line ends, the body starts after the first empty line.
 */

export interface HeaderField {
  /** The field name as written. */
  readonly name: string;
  /** The whole field as written, `Name: value` with its folded lines and final CRLF. */
  readonly raw: string;
}

export interface MessageParts {
  readonly headers: readonly HeaderField[];
  readonly body: string;
}

export function splitMessage(message: string): MessageParts {
  const normalised = message.includes('\r\n') ? message : message.replace(/\n/g, '\r\n');
  const end = normalised.indexOf('\r\n\r\n');
  const headerBlock = end < 0 ? normalised : normalised.slice(0, end + 2);
  const body = end < 0 ? '' : normalised.slice(end + 4);
  const headers: HeaderField[] = [];
  // Line by line, each with its CRLF (the last may have none).
  for (let start = 0; start < headerBlock.length;) {
    const crlf = headerBlock.indexOf('\r\n', start);
    const stop = crlf < 0 ? headerBlock.length : crlf + 2;
    const line = headerBlock.slice(start, stop);
    start = stop;
    const last = headers[headers.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      headers[headers.length - 1] = { name: last.name, raw: last.raw + line };
      continue;
    }
    const colon = line.indexOf(':');
    headers.push({
      name: colon < 0 ? line.trim() : line.slice(0, colon).trim(),
      raw: line.endsWith('\r\n') ? line : `${line}\r\n`,
    });
  }
  return { headers, body };
}

/** The unfolded value of a field (after the colon, trimmed). */
export function fieldValue(field: HeaderField): string {
  const colon = field.raw.indexOf(':');
  return field.raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .trim();
}

/** The last field with this name, as receivers read From and List-Unsubscribe. */
export function lastField(parts: MessageParts, name: string): HeaderField | undefined {
  const lower = name.toLowerCase();
  for (let index = parts.headers.length - 1; index >= 0; index--) {
    const field = parts.headers[index] as HeaderField;
    if (field.name.toLowerCase() === lower) return field;
  }
  return undefined;
}
