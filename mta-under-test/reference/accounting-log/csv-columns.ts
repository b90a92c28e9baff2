/**
 * The accounting CSV's columns: one fixed order for every record type, so a spreadsheet or a
 * script reads any export the same way (PowerMTA's accounting CSV is the model: one row per
 * event, `type` first, a record's unused columns empty; research/engines.md §4.5).
 *
 * Every field of every record type has a column. `FIELD_CELLS` is a `Record` over the union of
 * all record fields, so a field added to accounting.ts does not compile until it has one here;
 * and a record that arrives with a field this file does not know (a newer writer) is refused
 * with the field's name rather than exported without it.
 *
 * Encodings that are a choice:
 * - `reply` is flattened into `reply_code`, `reply_enhanced` and `reply_text` (its lines
 *   joined by a space, as in a DSN); `scope` into `scope_source`, `scope_site`, `scope_provider`;
 * - arrays (`evidence`) are joined with ` | `;
 * - times stay epoch milliseconds (`*_ms`), and `at` repeats `at_ms` as ISO 8601 UTC for people;
 * - in a Throttle row an empty `rate_per_hour_before` / `_after` means no limit (null);
 * - `redelivery` is `true` or empty.
 */
import type { AccountingRecord } from '../../accounting.ts';
import type { SmtpReply } from '../../../kernel/index.ts';

export const CSV_COLUMNS = [
  'type',
  'at_ms',
  'at',
  'message_id',
  'recipient',
  'mail_from',
  'tenant',
  'campaign',
  'pool',
  'queue',
  'redelivery',
  'attempt',
  'attempts',
  'site',
  'mx_host',
  'source_ip',
  'source',
  'provider',
  'stage',
  'reply_code',
  'reply_enhanced',
  'reply_text',
  'network_error',
  'class',
  'action',
  'rule',
  'evidence',
  'next_attempt_at_ms',
  'reason',
  'status',
  'diagnostic',
  'reporting_mta',
  'joined_by',
  'feedback_type',
  'reporter',
  'change',
  'until_ms',
  'scope_source',
  'scope_site',
  'scope_provider',
  'rate_per_hour_before',
  'rate_per_hour_after',
  'decision',
  'subject',
  'detail',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Every field name any record type has. */
type RecordField = AccountingRecord extends infer R ? (R extends unknown ? keyof R : never) : never;

type Cells = Partial<Record<CsvColumn, string>>;

/** A scalar as written; anything else (a malformed record) as JSON rather than `[object Object]`. */
const cell = (value: unknown): string =>
  typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
const text =
  (column: CsvColumn) =>
  (value: unknown): Cells => ({ [column]: cell(value) });
const optionalNumber =
  (column: CsvColumn) =>
  (value: unknown): Cells => ({ [column]: value === null ? '' : cell(value) });

/** How each record field becomes cells; `Record` over every field, so none can be missed. */
const FIELD_CELLS: Record<RecordField, (value: unknown) => Cells> = {
  type: text('type'),
  atMs: (value) => ({ at_ms: cell(value), at: Number.isFinite(value) ? new Date(value as number).toISOString() : '' }),
  messageId: text('message_id'),
  recipient: text('recipient'),
  mailFrom: text('mail_from'),
  tenant: text('tenant'),
  campaign: text('campaign'),
  pool: text('pool'),
  queue: text('queue'),
  redelivery: text('redelivery'),
  attempt: text('attempt'),
  attempts: text('attempts'),
  site: text('site'),
  mxHost: text('mx_host'),
  sourceIp: text('source_ip'),
  source: text('source'),
  provider: text('provider'),
  stage: text('stage'),
  reply: (value) => {
    const reply = value as SmtpReply;
    return { reply_code: String(reply.code), reply_enhanced: reply.enhanced ?? '', reply_text: reply.lines.join(' ') };
  },
  networkError: text('network_error'),
  class: text('class'),
  action: text('action'),
  rule: text('rule'),
  evidence: (value) => ({ evidence: (value as readonly string[]).join(' | ') }),
  nextAttemptAtMs: text('next_attempt_at_ms'),
  reason: text('reason'),
  status: text('status'),
  diagnostic: text('diagnostic'),
  reportingMta: text('reporting_mta'),
  joinedBy: text('joined_by'),
  feedbackType: text('feedback_type'),
  reporter: text('reporter'),
  change: text('change'),
  untilMs: text('until_ms'),
  scope: (value) => {
    const scope = value as { source: string; site?: string; provider?: string };
    return { scope_source: scope.source, scope_site: scope.site ?? '', scope_provider: scope.provider ?? '' };
  },
  ratePerHourBefore: optionalNumber('rate_per_hour_before'),
  ratePerHourAfter: optionalNumber('rate_per_hour_after'),
  decision: text('decision'),
  subject: text('subject'),
  detail: text('detail'),
};

/** A record field with no CSV column (a record from a newer writer): exporting it would drop data. */
export class UnknownFieldError extends RangeError {
  constructor(
    readonly recordType: string,
    readonly field: string,
  ) {
    super(`${recordType} record has a field the CSV has no column for: ${field}`);
  }
}

/** One CSV row for a record, in `CSV_COLUMNS` order; throws `UnknownFieldError` for a field it has no column for. */
export function csvRow(record: AccountingRecord): string[] {
  const cells: Cells = {};
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue;
    const toCells = Object.hasOwn(FIELD_CELLS, field) ? FIELD_CELLS[field as RecordField] : undefined;
    if (toCells === undefined) throw new UnknownFieldError(record.type, field);
    Object.assign(cells, toCells(value));
  }
  return CSV_COLUMNS.map((column) => cells[column] ?? '');
}
