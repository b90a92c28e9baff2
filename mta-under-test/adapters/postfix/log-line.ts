/**
 * One line of Postfix's maillog_file (written by postlogd, Postfix ≥ 3.4) as data. Only the
 * lines the adapter learns decisions from are read; every other line is `undefined`:
 *
 *     Dec 01 18:24:00 host postfix/smtpd[8643]: 4516F20C29F: client=unknown[127.0.0.1]
 *     Dec 01 18:24:00 host postfix/qmgr[8638]: 4516F20C29F: from=<a@example.com>, size=382, nrcpt=1 (queue active)
 *     Dec 01 18:24:00 host postfix/egress-0/smtp[8647]: 4516F20C29F: to=<b@gmail.com>, relay=127.0.1.1[127.0.1.1]:2601,
 *         delay=0.02, delays=0.01/0.01/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)      (one line in the file)
 *     Dec 01 18:24:30 host postfix/qmgr[9087]: 71A8620C333: from=<a@example.com>, status=expired, returned to sender
 *     Dec 01 18:24:30 host postfix/qmgr[9087]: 71A8620C333: removed
 *
 * The timestamp has no year and whole seconds (Postfix 3.7's format); the caller supplies the
 * year. Queue ids are Postfix's short ones (hex; enable_long_queue_ids stays off).
 */

export type DeliveryStatus = 'sent' | 'deferred' | 'bounced' | 'expired';

interface LineBase {
  /** Local wall-clock time of the line, epoch ms (whole seconds). */
  readonly atMs: number;
  readonly queueId: string;
  /** The syslog name's middle part, `egress-0` in `postfix/egress-0/smtp`; absent for `postfix/qmgr`. */
  readonly service?: string;
  /** The daemon, `smtp`, `qmgr`, `smtpd`, `error` … */
  readonly daemon: string;
}

/** smtpd created a queue file for a client: the message came in through the front door. */
export interface ClientLine extends LineBase {
  readonly kind: 'client';
}

/** qmgr took the message into the active queue (logged at every attempt). */
export interface QueuedLine extends LineBase {
  readonly kind: 'queued';
  readonly from: string;
  readonly recipientCount: number;
}

/** The result of one delivery attempt for one recipient. */
export interface RecipientLine extends LineBase {
  readonly kind: 'recipient';
  readonly recipient: string;
  /** `host[ip]:port` or `none`. */
  readonly relay: string;
  /** Seconds since the message arrived. */
  readonly delayS: number;
  /** The four parts of `delays=a/b/c/d` (before qmgr, in qmgr, connection setup, transmission). */
  readonly delaysS: readonly number[];
  readonly dsn: string;
  readonly status: DeliveryStatus;
  /** What Postfix wrote in parentheses after the status, if anything. */
  readonly text: string;
}

/** The whole message expired (maximal_queue_lifetime) and was returned to the sender. */
export interface ExpiredLine extends LineBase {
  readonly kind: 'expired';
  readonly from: string;
}

export interface RemovedLine extends LineBase {
  readonly kind: 'removed';
}

export type PostfixLogLine = ClientLine | QueuedLine | RecipientLine | ExpiredLine | RemovedLine;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LINE =
  /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? \S+ ([^\s[]+)\[\d+\]: ([0-9A-F]{6,20}): (.*)$/;
const STATUS = /^(sent|deferred|bounced|expired)(?: \((.*)\))?$/s;

/**
 * The line's local time. Postfix writes no year: the line is put in the year of `nowMs`, or
 * the year before when that would place it more than a month in the future (a log read just
 * after New Year).
 */
function lineTimeMs(
  parts: { month: number; day: number; hour: number; minute: number; second: number; fraction: string | undefined },
  nowMs: number,
): number {
  const year = new Date(nowMs).getFullYear();
  const fractionMs = parts.fraction === undefined ? 0 : Math.round(Number(`0.${parts.fraction}`) * 1000);
  const at = new Date(year, parts.month, parts.day, parts.hour, parts.minute, parts.second, fractionMs).getTime();
  const monthMs = 31 * 86_400_000;
  return at - nowMs > monthMs
    ? new Date(year - 1, parts.month, parts.day, parts.hour, parts.minute, parts.second, fractionMs).getTime()
    : at;
}

/** `key=value, key=value, … status=…` → the fields before status, and what follows `status=`. */
function splitFields(body: string): { fields: Map<string, string>; status: string } | undefined {
  const statusAt = body.indexOf(', status=');
  if (statusAt < 0) return undefined;
  const fields = new Map<string, string>();
  for (const part of body.slice(0, statusAt).split(', ')) {
    const equals = part.indexOf('=');
    if (equals > 0) fields.set(part.slice(0, equals), part.slice(equals + 1));
  }
  return { fields, status: body.slice(statusAt + ', status='.length) };
}

function unbracket(address: string | undefined): string | undefined {
  return address?.startsWith('<') === true && address.endsWith('>') ? address.slice(1, -1) : undefined;
}

function parseBody(base: LineBase, body: string): PostfixLogLine | undefined {
  if (body.startsWith('client=')) return { ...base, kind: 'client' };
  if (body === 'removed') return { ...base, kind: 'removed' };
  const split = splitFields(body);
  if (split === undefined) {
    const queued = /^from=<(.*)>, size=\d+, nrcpt=(\d+) \(queue active\)$/.exec(body);
    return queued === null
      ? undefined
      : { ...base, kind: 'queued', from: queued[1] ?? '', recipientCount: Number(queued[2]) };
  }
  const from = unbracket(split.fields.get('from'));
  if (from !== undefined && split.status.startsWith('expired, returned to sender'))
    return { ...base, kind: 'expired', from };
  const recipient = unbracket(split.fields.get('to'));
  const status = STATUS.exec(split.status.replace(/, returned to sender$/, ''));
  if (recipient === undefined || status === null) return undefined;
  const delaysS = (split.fields.get('delays') ?? '')
    .split('/')
    .map(Number)
    .filter((value) => Number.isFinite(value));
  return {
    ...base,
    kind: 'recipient',
    recipient,
    relay: split.fields.get('relay') ?? 'none',
    delayS: Number(split.fields.get('delay') ?? 0),
    delaysS,
    dsn: split.fields.get('dsn') ?? '',
    status: status[1] as DeliveryStatus,
    text: status[2] ?? '',
  };
}

/** Parses one maillog line; `undefined` for every line that carries no decision. */
export function parseLogLine(line: string, nowMs: number): PostfixLogLine | undefined {
  const match = LINE.exec(line.trimEnd());
  if (match === null) return undefined;
  const [, monthName, day, hour, minute, second, fraction, program, queueId, body] = match;
  const month = MONTHS.indexOf(monthName ?? '');
  if (month < 0 || program === undefined || queueId === undefined || body === undefined) return undefined;
  const names = program.split('/');
  const daemon = names[names.length - 1] ?? program;
  const service = names.length > 2 ? names.slice(1, -1).join('/') : undefined;
  const atMs = lineTimeMs(
    { month, day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second), fraction },
    nowMs,
  );
  return parseBody({ atMs, queueId, daemon, ...(service === undefined ? {} : { service }) }, body);
}
