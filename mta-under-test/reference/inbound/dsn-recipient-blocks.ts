/**
 * The per-recipient blocks of a DSN (RFC 3464 §2.3): the field groups as the MTAs really write
 * them (orphaned fields merged into their recipient), each read into a block with the notice's
 * own words where the fields fall short, or why it cannot be read.
 */
import { quoteOfDiagnostic } from './diagnostic.ts';
import { first, mtaName, stripComment, typedAddress } from './fields.ts';
import type { FieldGroup } from './fields.ts';
import type { ProseRecipient } from './plain-bounce.ts';
import type { DsnRecipientBlock } from './report.ts';
import { commandOfReply } from './smtp-command.ts';
import { sameAddress } from '../verp.ts';

const STATUS_CODE = /^[245]\.\d{1,3}\.\d{1,3}$/;

/**
 * Recipient groups with the fields of groups that name no recipient merged into the next one
 * (or the last one): Facebook writes a Diagnostic-Code group, then an empty line, then the
 * Final-Recipient and Action.
 */
export function withOrphansMerged(groups: readonly FieldGroup[]): FieldGroup[] {
  const merged: Map<string, string[]>[] = [];
  let pending: FieldGroup[] = [];
  for (const group of groups) {
    if (!isRecipientGroup(group)) {
      pending.push(group);
      continue;
    }
    merged.push(mergeGroups([...pending, group]));
    pending = [];
  }
  const last = merged.pop();
  if (last !== undefined) merged.push(mergeGroups([last, ...pending]));
  return merged;
}

function mergeGroups(groups: readonly FieldGroup[]): Map<string, string[]> {
  const merged = new Map<string, string[]>();
  for (const group of groups) for (const [name, values] of group) if (!merged.has(name)) merged.set(name, [...values]);
  return merged;
}

export function isRecipientGroup(group: FieldGroup): boolean {
  return group.has('final-recipient') || group.has('original-recipient');
}

/** One RFC 3464 §2.3 block, or what is wrong with it. */
export function recipientBlock(
  group: FieldGroup,
  prose: readonly ProseRecipient[],
  wholeNotice: string | undefined,
): DsnRecipientBlock | string {
  const originalRecipient = typedAddress(first(group, 'original-recipient'));
  const written = typedAddress(first(group, 'final-recipient')) ?? originalRecipient;
  if (written === undefined) return 'no Final-Recipient (RFC 3464 §2.3.2)';
  // The notice's words for this recipient; with one recipient on each side, they are the same
  // one even when the two name it differently (Exim's "save to /path" Final-Recipient).
  const named =
    prose.find(
      (each) =>
        sameAddress(each.recipient, written) ||
        (originalRecipient !== undefined && sameAddress(each.recipient, originalRecipient)),
    ) ?? (wholeNotice !== undefined && prose.length === 1 ? prose[0] : undefined);
  const told = named?.diagnostic;
  // A Final-Recipient that is a file or a program, not an address: the notice's address is the one.
  const finalRecipient = !written.includes('@') && named !== undefined ? named.recipient : written;
  // A Diagnostic-Code that quotes no reply (`X-Unix; 77`) gives way to a notice that does.
  const diagnostic = first(group, 'diagnostic-code');
  const diagnosticCode =
    diagnostic === undefined ||
    (quoteOfDiagnostic(diagnostic).code === null && told !== undefined && quoteOfDiagnostic(told).code !== null)
      ? (told ?? diagnostic)
      : diagnostic;
  const smtpCommand = commandOfReply([first(group, 'diagnostic-code'), told, wholeNotice]);
  const status = statusOf(first(group, 'status'), first(group, 'action'), diagnosticCode);
  if (status === undefined) return `no Status for ${finalRecipient} (RFC 3464 §2.3.4), and no code in its diagnostic`;
  const action = first(group, 'action')?.toLowerCase().split(/\s+/)[0] ?? actionOf(status);
  return {
    finalRecipient,
    ...optional('originalRecipient', originalRecipient),
    action,
    status,
    ...optional('diagnosticCode', diagnosticCode),
    ...optional('remoteMta', mtaName(first(group, 'remote-mta'))),
    ...optional('lastAttemptDate', first(group, 'last-attempt-date')),
    ...optional('willRetryUntil', first(group, 'will-retry-until')),
    ...optional('smtpCommand', smtpCommand),
  };
}

/**
 * The Status, as RFC 3463 code: the field when it holds one (`5.1.1 (bad destination mailbox)`,
 * `#5.1.1`, `550 5.1.1`), else the code the diagnostic quotes, else the class the Action implies.
 */
function statusOf(
  rawStatus: string | undefined,
  rawAction: string | undefined,
  diagnostic: string | undefined,
): string | undefined {
  const written =
    rawStatus === undefined
      ? undefined
      : /(?<![\d.])#?([245]\.\d{1,3}\.\d{1,3})(?![\d.])/.exec(stripComment(rawStatus))?.[1];
  if (written !== undefined && STATUS_CODE.test(written)) return written;
  const quoted = diagnostic === undefined ? undefined : quoteOfDiagnostic(diagnostic);
  if (quoted !== undefined && quoted.enhanced !== null) return quoted.enhanced;
  if (quoted !== undefined && quoted.code !== null) return `${String(quoted.code)[0]}.0.0`;
  const action = rawAction?.toLowerCase() ?? '';
  if (action.startsWith('failed')) return '5.0.0';
  if (action.startsWith('delayed')) return '4.0.0';
  return undefined;
}

/** The Action a Status implies, when the block gives none. */
export function actionOf(status: string): string {
  if (status.startsWith('5')) return 'failed';
  return status.startsWith('4') ? 'delayed' : 'delivered';
}

/** `{ [key]: value }` when the value is present, `{}` otherwise (optional fields are omitted, not undefined). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
