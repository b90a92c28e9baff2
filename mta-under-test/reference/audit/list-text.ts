/**
 * Reads a recipient list's text into entries with their line numbers. Two forms:
 * - one address per line; blank lines and lines starting with `#` are skipped;
 * - a CSV whose header row has an `email` column (also `e-mail`, `email address`, `mail`),
 *   separated by `,` or `;`, fields optionally in double quotes (RFC 4180, one record per
 *   line: a quoted field spanning lines is not supported).
 * Pure: it takes the text, not the file. Problems name their line.
 */
import type { ListEntry } from './audit.ts';

/** A list's entries, the form it was in, and the rows that could not be read. */
export interface ListRead {
  readonly format: 'lines' | 'csv';
  readonly entries: readonly ListEntry[];
  /** `line N: …` for every row that could not be read; empty when the list is sound. */
  readonly problems: readonly string[];
}

const EMAIL_HEADERS: ReadonlySet<string> = new Set(['email', 'e-mail', 'email address', 'email_address', 'mail']);

/** Reads `text` as a plain list or, when its first row has an email column, as a CSV. */
export function readListText(text: string): ListRead {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => !isSkipped(line));
  const header = headerIndex === -1 ? null : csvHeader(lines[headerIndex] as string);
  if (header === null) {
    const entries = lines.flatMap((line, index) => (isSkipped(line) ? [] : [{ line: index + 1, text: line.trim() }]));
    return { format: 'lines', entries, problems: [] };
  }
  const entries: ListEntry[] = [];
  const problems: string[] = [];
  lines.forEach((line, index) => {
    if (index <= headerIndex || isSkipped(line)) return;
    const field = splitCsvLine(line, header.separator)[header.column];
    if (field === undefined) problems.push(`line ${index + 1}: has no field ${header.column + 1} (the email column)`);
    else if (field.trim() !== '') entries.push({ line: index + 1, text: field.trim() });
  });
  return { format: 'csv', entries, problems };
}

function isSkipped(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

/** The email column of a CSV header row, or null when the row is not one. */
function csvHeader(line: string): { separator: string; column: number } | null {
  for (const separator of [',', ';']) {
    if (!line.includes(separator)) continue;
    const column = splitCsvLine(line, separator).findIndex((field) => EMAIL_HEADERS.has(field.trim().toLowerCase()));
    if (column !== -1) return { separator, column };
  }
  // A one-column CSV: just the header word.
  return EMAIL_HEADERS.has(line.trim().replace(/^"|"$/g, '').toLowerCase()) ? { separator: ',', column: 0 } : null;
}

/** Splits one CSV record; `""` inside quotes is a quote. */
export function splitCsvLine(line: string, separator: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === separator) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}
