/**
 * The engine's instruction headers in a submitted message: `X-Tenant`, `X-Campaign` and
 * `X-Pool` (KumoMTA's convention, research/engines.md §3.1) say whose the message is and which
 * egress pool it leaves from.
 *
 * They are taken out of the message before it is spooled. They are instructions to the
 * engine, not part of the mail: left in, every receiver would learn how the sender partitions
 * its customers and IPs. Nothing is lost, because their values travel with the message as its
 * meta. And the HTTP API never writes them into a message either, so the same message spools
 * as the same bytes whichever door it came through.
 */

/** The instruction headers, lower case, and the meta field each one sets. */
export const INSTRUCTION_HEADERS = { 'x-tenant': 'tenant', 'x-campaign': 'campaign', 'x-pool': 'pool' } as const;

export type InstructionField = (typeof INSTRUCTION_HEADERS)[keyof typeof INSTRUCTION_HEADERS];

export interface InstructionHeader {
  /** The header name as written, e.g. `X-Pool`. */
  readonly name: string;
  readonly field: InstructionField;
  /** The unfolded value, trimmed. */
  readonly value: string;
}

export interface SplitMessage {
  /** The message without the instruction headers; every other byte as submitted. */
  readonly data: string;
  /** The instruction headers found, in order (a header given twice appears twice). */
  readonly instructions: readonly InstructionHeader[];
}

/**
 * Takes the instruction headers out of the header section (everything before the first empty
 * line; a message without one is all header). A folded header (continuation lines starting
 * with a space or tab, RFC 5322 §2.2.3) goes as a whole.
 */
export function takeInstructionHeaders(data: string): SplitMessage {
  const lines = data.split(/(?<=\n)/);
  const headerEnd = lines.findIndex((line) => line === '\r\n' || line === '\n');
  const headerLines = headerEnd < 0 ? lines : lines.slice(0, headerEnd);
  const fields: string[][] = [];
  for (const line of headerLines) {
    const last = fields.at(-1);
    if (last !== undefined && /^[ \t]/.test(line)) last.push(line);
    else fields.push([line]);
  }
  const kept: string[] = [];
  const instructions: InstructionHeader[] = [];
  for (const field of fields) {
    const text = field.join('');
    const colon = text.indexOf(':');
    const name = colon < 0 ? '' : text.slice(0, colon).trim();
    const key = name.toLowerCase();
    if (Object.hasOwn(INSTRUCTION_HEADERS, key)) {
      const value = text
        .slice(colon + 1)
        .replace(/\r?\n/g, '')
        .trim();
      instructions.push({ name, field: INSTRUCTION_HEADERS[key as keyof typeof INSTRUCTION_HEADERS], value });
    } else {
      kept.push(text);
    }
  }
  if (instructions.length === 0) return { data, instructions };
  const body = headerEnd < 0 ? '' : lines.slice(headerEnd).join('');
  return { data: kept.join('') + body, instructions };
}
