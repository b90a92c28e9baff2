/**
 * What an MTA without a classifier "concluded" about an attempt, in the bench's vocabulary.
 * Postfix (research/engines.md §6.2) and any MTA known only through its DSNs (the smtp-relay
 * adapter) act on the first digit of the status alone. The adapters read the DSN status as a
 * naive sender would, from RFC 3463's subject and detail codes and nothing else (never the
 * reply text); that naivety is what the baseline measures.
 *
 * | dsn | class | action (from `status=`) |
 * |---|---|---|
 * | 2.x.x | delivered | none |
 * | 4.2.2 | mailbox-full | retry |
 * | 4.4.x | network-error | retry |
 * | 4.5.x | protocol-error | retry |
 * | 4.7.x | policy-block | retry |
 * | other 4.x.x | server-error | retry |
 * | 5.1.2, 5.1.10, 5.4.4 | bad-domain | fail-message |
 * | other 5.1.x | unknown-user | fail-message |
 * | 5.2.1 | mailbox-disabled | fail-message |
 * | 5.2.2 | mailbox-full | fail-message |
 * | 5.2.3, 5.3.4 | message-too-large | fail-message |
 * | 5.7.23, 5.7.25, 5.7.26 | auth-failure | fail-message |
 * | other 5.7.x | policy-block | fail-message |
 * | 5.5.x | protocol-error | fail-message |
 * | other 5.x.x (5.0.0 …) | unclassified | fail-message |
 *
 * The rule is `<prefix>.<the row that matched>`, the prefix naming the adapter (`postfix.dsn`,
 * `relay.dsn`), so a report says whose reading it was.
 */
import type { Class } from '../../kernel/index.ts';

export interface DsnVerdict {
  readonly class: Class;
  /** `<prefix>.<the row that matched>`, e.g. `postfix.dsn.5.1.x`. */
  readonly rule: string;
}

const DSN = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

function transientClass(subject: string, detail: string): [Class, string] {
  if (subject === '2' && detail === '2') return ['mailbox-full', '4.2.2'];
  if (subject === '4') return ['network-error', '4.4.x'];
  if (subject === '5') return ['protocol-error', '4.5.x'];
  if (subject === '7') return ['policy-block', '4.7.x'];
  return ['server-error', '4.x.x'];
}

function permanentClass(subject: string, detail: string): [Class, string] {
  const code = `5.${subject}.${detail}`;
  if (code === '5.1.2' || code === '5.1.10' || code === '5.4.4') return ['bad-domain', code];
  if (subject === '1') return ['unknown-user', '5.1.x'];
  if (code === '5.2.1') return ['mailbox-disabled', code];
  if (code === '5.2.2') return ['mailbox-full', code];
  if (code === '5.2.3' || code === '5.3.4') return ['message-too-large', code];
  if (code === '5.7.23' || code === '5.7.25' || code === '5.7.26') return ['auth-failure', code];
  if (subject === '7') return ['policy-block', '5.7.x'];
  if (subject === '5') return ['protocol-error', '5.5.x'];
  return ['unclassified', '5.x.x'];
}

/** The naive class of an RFC 3463 status; a malformed one is `unclassified`. */
export function classifyDsnStatus(dsn: string, rulePrefix: string): DsnVerdict {
  const match = DSN.exec(dsn);
  if (match === null) return { class: 'unclassified', rule: `${rulePrefix}.malformed` };
  const [, kind, subject = '', detail = ''] = match;
  if (kind === '2') return { class: 'delivered', rule: `${rulePrefix}.2.x.x` };
  const [cls, row] = kind === '4' ? transientClass(subject, detail) : permanentClass(subject, detail);
  return { class: cls, rule: `${rulePrefix}.${row}` };
}
