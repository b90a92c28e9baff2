/**
 * The SMTP command a bounce's remote reply answered, read from how MTAs say it: Postfix's
 * "(in reply to end of DATA command)", Exim's "SMTP error from remote mail server after RCPT
 * TO:<a@b>" / "after end of data", Sendmail's transcript (">>> DATA" then "<<< 550 …"), the
 * "SMTP command DATA" of filtering appliances. It matters to the classifier: a "user unknown"
 * answered to DATA comes after the receiver accepted the recipient at RCPT TO, so it is a filter
 * speaking, not a directory (the reading Sisimai and the sender-side literature share).
 */
import type { SmtpStage } from '../../../kernel/index.ts';

const COMMAND_STAGE: readonly (readonly [RegExp, SmtpStage])[] = [
  [/^(?:end of )?data\b|^\.$|^end of (?:message|body)/i, 'data'],
  [/^rcpt\b/i, 'rcpt'],
  [/^mail\b/i, 'mail'],
  [/^(?:e?hlo|helo)\b/i, 'helo'],
  [/^(?:connect|greeting|banner|initial)/i, 'connect'],
];

function stageOf(command: string): SmtpStage | undefined {
  return COMMAND_STAGE.find(([pattern]) => pattern.test(command.trim()))?.[1];
}

/** The stage a bounce's texts name for the reply, or undefined when they name none. */
export function commandOfReply(texts: readonly (string | undefined)[]): SmtpStage | undefined {
  const joined = texts.filter((each): each is string => each !== undefined).join('\n');
  // Postfix: "(in reply to RCPT TO command)", "(in reply to end of DATA command)".
  const postfix = /in reply to ((?:end of )?[a-z]+(?: [a-z]+)?) command/i.exec(joined)?.[1];
  if (postfix !== undefined) return stageOf(postfix);
  // Exim: "SMTP error from remote mail server after RCPT TO:<a@b>:", "after end of data:".
  const exim = /(?:error from remote (?:mail )?server|smtp error) after ((?:end of )?[a-z]+(?: [a-z]+)?)/i.exec(
    joined,
  )?.[1];
  if (exim !== undefined) return stageOf(exim);
  // Appliances: "SMTP command DATA", "-------SMTP command\nDATA", "while sending DATA".
  const named = /smtp command[\s:-]*([a-z]+(?: [a-z]+)?)|while (?:sending|talking after) ([a-z]+(?: [a-z]+)?)/i.exec(
    joined,
  );
  const namedCommand = named?.[1] ?? named?.[2];
  if (namedCommand !== undefined && stageOf(namedCommand) !== undefined) return stageOf(namedCommand);
  // Sendmail's transcript: the last command sent before the first refusal.
  const lines = joined.split(/\n|(?=>>>)|(?=<<<)/);
  let last: string | undefined;
  for (const line of lines) {
    const sent = /^\s*>>>\s*(.+)$/.exec(line)?.[1];
    if (sent !== undefined) last = sent;
    else if (/^\s*<<<\s*[45]\d\d/.test(line) && last !== undefined) return stageOf(last);
  }
  return undefined;
}
