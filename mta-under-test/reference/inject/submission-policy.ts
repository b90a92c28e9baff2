/**
 * What the SMTP submission listener decides, as pure functions that return replies as data
 * (STYLE.md §0 items 1 and 2); smtp-submission.ts only runs them from smtp-server's hooks.
 *
 * Reply codes, chosen so a submitting client can tell what to fix:
 * - `553 5.1.7` a MAIL FROM that is not an envelope address (RFC 3463 X.1.7, bad sender syntax);
 *   the null sender `<>` included: bulk mail needs a return path for its bounces;
 * - `553 5.1.3` a recipient that is not one (X.1.3, bad destination syntax), naming the problem;
 * - `452 4.5.3` one recipient more than a message may have (RFC 5321 §4.5.3.1.10: 452, and
 *   the client sends the rest in another transaction);
 * - `552 5.3.4` a message over the size limit (X.3.4, message too big for system);
 * - `554 5.6.1` a message that is not UTF-8 text: the spool stores text, and decoding other
 *   bytes would change them. 8-bit content must come in a transfer encoding;
 * - `550 5.6.0` an X-Tenant, X-Campaign or X-Pool header that is not a name, or one given twice
 *   with different values (X.6.0, the content is wrong);
 * - `550 5.7.1` an X-Pool (or account default) naming a pool the engine does not have (X.7.1,
 *   not authorised: the submitter may not send through it). Permanent, because resending the
 *   same message cannot help; it names the pool and the known ones.
 */
import { reply } from '../../../kernel/index.ts';
import type { SmtpReply } from '../../../kernel/index.ts';
import { addressProblem } from './address.ts';
import type { EnqueueInput } from './http-api.ts';
import type { InjectionLimits, MessageMeta } from './request.ts';
import { takeInstructionHeaders } from './submission-headers.ts';

/** The limits that apply to one SMTP transaction (the HTTP API's, without its per-request one). */
export type SubmissionLimits = Pick<InjectionLimits, 'messageBytesMax' | 'recipientsPerMessageMax'>;

/** The same names the HTTP API accepts for pool, tenant and campaign. */
const META_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function mailFromReply(address: string): SmtpReply | null {
  const problem = addressProblem(address);
  if (problem === null) return null;
  return reply(
    553,
    '5.1.7',
    `the sender (MAIL FROM) "${address}" ${problem}${address === '' ? '; bulk mail needs a return path for its bounces' : ''}`,
  );
}

/** Why this recipient is refused, or null; `acceptedCount` is how many the transaction already has. */
export function recipientReply(address: string, acceptedCount: number, limits: SubmissionLimits): SmtpReply | null {
  const problem = addressProblem(address);
  if (problem !== null) return reply(553, '5.1.3', `the recipient "${address}" ${problem}`);
  if (acceptedCount >= limits.recipientsPerMessageMax) {
    return reply(
      452,
      '4.5.3',
      `too many recipients: at most ${limits.recipientsPerMessageMax} per message; send the rest in another transaction`,
    );
  }
  return null;
}

export interface SubmittedMessage {
  readonly bytes: Buffer;
  /** smtp-server's flag: more than the advertised SIZE arrived (`bytes` may be cut short). */
  readonly sizeExceeded: boolean;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  /** The account's defaults, overridden field by field by the message's instruction headers. */
  readonly defaults: MessageMeta;
}

export type DataDecision =
  { readonly ok: true; readonly input: EnqueueInput } | { readonly ok: false; readonly reply: SmtpReply };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Turns the DATA of a transaction into what the spool takes, or the reply that refuses it. */
export function readSubmittedMessage(
  message: SubmittedMessage,
  pools: ReadonlySet<string>,
  limits: SubmissionLimits,
): DataDecision {
  if (message.sizeExceeded || message.bytes.byteLength > limits.messageBytesMax) {
    return refuse(
      552,
      '5.3.4',
      `the message is over the ${limits.messageBytesMax}-byte size limit (SIZE ${limits.messageBytesMax}); nothing was queued`,
    );
  }
  if (message.bytes.byteLength === 0) return refuse(554, '5.6.0', 'the message is empty');
  let text: string;
  try {
    text = utf8.decode(message.bytes);
  } catch {
    return refuse(
      554,
      '5.6.1',
      'the message is not valid UTF-8; send 8-bit content in a transfer encoding (base64 or quoted-printable)',
    );
  }
  const split = takeInstructionHeaders(text);
  const meta: { tenant?: string; campaign?: string; pool?: string } = { ...message.defaults };
  const seen = new Map<string, string>();
  for (const header of split.instructions) {
    if (!META_NAME.test(header.value)) {
      return refuse(
        550,
        '5.6.0',
        `header ${header.name}: "${header.value}" is not a name of letters, digits, '.', '_' or '-', at most 64 characters`,
      );
    }
    const earlier = seen.get(header.field);
    if (earlier !== undefined && earlier !== header.value)
      return refuse(
        550,
        '5.6.0',
        `header ${header.name} is given twice with different values ("${earlier}", "${header.value}")`,
      );
    seen.set(header.field, header.value);
    meta[header.field] = header.value;
  }
  if (meta.pool !== undefined && !pools.has(meta.pool)) {
    return refuse(
      550,
      '5.7.1',
      `unknown pool "${meta.pool}" (known: ${[...pools].join(', ') || 'none'}); nothing was queued`,
    );
  }
  return { ok: true, input: { mailFrom: message.mailFrom, recipients: message.recipients, data: split.data, meta } };
}

function refuse(code: number, enhanced: `${2 | 4 | 5}.${number}.${number}`, text: string): DataDecision {
  return { ok: false, reply: reply(code, enhanced, text) };
}
