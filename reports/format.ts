/**
 * Number, share and text formatting shared by the renderers, fixed to en-US so a report renders
 * the same bytes on every machine, whatever its locale.
 */

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const preciseFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

export function formatDecimal(value: number): string {
  return decimalFormat.format(value);
}

/** Up to 3 decimals: F1 scores and the like. */
export function formatPrecise(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : preciseFormat.format(value);
}

/** A share in [0, 1] as a percentage with one decimal; `–` when there is nothing to show. */
export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${decimalFormat.format(value * 100)} %`;
}

/** The run clock as a UTC timestamp (simulated in sim mode), to the minute. */
export function formatClock(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A run-clock offset from the start, e.g. `+2 h 05 min` or `+3 d 4 h`. */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.floor(offsetMs / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `+${days} d ${hours} h`;
  return `+${hours} h ${String(rest).padStart(2, '0')} min`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text into HTML text or a quoted attribute: every report string passes through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string);
}

/** Text into a Markdown table cell: pipes and newlines would break the row. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Counts by name (`{sendmail: 14, postfix: 3}`) as `sendmail 14 · postfix 3`, largest first. */
export function formatCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort(([nameA, a], [nameB, b]) => b - a || nameA.localeCompare(nameB))
    .map(([name, count]) => `${name} ${formatInteger(count)}`)
    .join(' · ');
}
