/**
 * What Postfix's parenthesised status text says about an attempt: the receiver's reply (and
 * the SMTP stage it answered), or, when no reply came, the network problem. Postfix 3.7 writes:
 *
 *     host 127.0.1.2[127.0.1.2] said: 550 5.1.1 no such user (in reply to RCPT TO command)
 *     host mx[1.2.3.4] refused to talk to me: 554 5.7.1 go away
 *     250 2.0.0 Ok: queued as 4C1F2                       (status=sent)
 *     connect to 127.0.1.9[127.0.1.9]:2525: Connection refused
 *     lost connection with mx[…] while receiving the initial server greeting
 *     conversation with mx[…] timed out while sending end of data -- message may be sent more than once
 *     delivery temporarily suspended: connect to …: Connection refused
 *
 * Multi-line replies are logged joined, with each line's code repeated (`550-5.7.1 a 550-5.7.1
 * b`); the repeats are dropped so the text reads as one reply.
 */
import { parseReply } from '../../../kernel/index.ts';
import type { SmtpReply, SmtpStage } from '../../../kernel/index.ts';

export interface AttemptText {
  readonly reply?: SmtpReply;
  readonly networkError?: string;
  readonly stage?: SmtpStage;
}

/** Postfix's command names (`in reply to X command`, `while sending X`, `after X`) → stage. */
const STAGE_OF_COMMAND: readonly (readonly [RegExp, SmtpStage])[] = [
  [/^(MAIL FROM|MAIL)\b/i, 'mail'],
  [/^(RCPT TO|RCPT)\b/i, 'rcpt'],
  [/^(end of DATA|DATA|message content|message body)\b/i, 'data'],
  [/^(EHLO|HELO|LHLO|STARTTLS|XFORWARD|XCLIENT)\b/i, 'helo'],
  [/^(the initial server greeting|initial server greeting|CONNECT)\b/i, 'connect'],
];

function stageOfCommand(command: string): SmtpStage | undefined {
  return STAGE_OF_COMMAND.find(([pattern]) => pattern.test(command))?.[1];
}

/** The stage Postfix names anywhere in the text, if it names one. */
export function stageOfText(text: string): SmtpStage | undefined {
  if (/refused to talk to me/.test(text)) return 'connect';
  const named =
    /\(in reply to (.+?) command\)|while (?:sending|receiving) (.+?)(?: --|$|\))|\bafter (.+?)(?: command|$|\))/.exec(
      text,
    );
  const command = named?.[1] ?? named?.[2] ?? named?.[3];
  return command === undefined ? undefined : stageOfCommand(command);
}

/** `550 5.1.1 a 550 5.1.1 b` (a logged multi-line reply) → one reply with the repeats removed. */
function replyFrom(code: number, rest: string): SmtpReply {
  const parsed = parseReply(code, rest);
  const repeat = new RegExp(`\\s${code}[ -](?:${(parsed.enhanced ?? '').replaceAll('.', '\\.')}\\s)?`, 'g');
  return { ...parsed, lines: parsed.lines.map((line) => line.replace(repeat, ' ')) };
}

/** Reads the text of a `status=` line. */
export function readAttemptText(text: string): AttemptText {
  const stage = stageOfText(text);
  const withStage = stage === undefined ? {} : { stage };
  const said = /^host \S+ (?:said|refused to talk to me): ([2-5]\d\d)[ -](.*?)(?: \(in reply to .+ command\))?$/s.exec(
    text,
  );
  if (said !== null) return { reply: replyFrom(Number(said[1]), (said[2] ?? '').trim()), ...withStage };
  const bare = /^([2-5]\d\d)[ -](.*)$/s.exec(text);
  if (bare !== null) return { reply: replyFrom(Number(bare[1]), (bare[2] ?? '').trim()), stage: stage ?? 'data' };
  if (text === '') return withStage;
  // No reply: connection failures, timeouts, suspended destinations, Postfix-internal errors.
  const networkStage = stage ?? (/^(delivery temporarily suspended: )?connect to /.test(text) ? 'connect' : undefined);
  return { networkError: text, ...(networkStage === undefined ? {} : { stage: networkStage }) };
}
