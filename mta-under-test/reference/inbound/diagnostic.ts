/**
 * What a bounce's diagnostic quotes of the remote server's reply: the reply code, the enhanced
 * code and the text, so the engine's one classifier (core/classify.ts) decides async bounces the
 * way it decides SMTP-time ones.
 *
 * RFC 3464 §2.3.6 writes `Diagnostic-Code: smtp; 550 5.1.1 <text>`, but real bounces quote the
 * reply in many ways, and this reader takes them all:
 * - other diagnostic types, or none: `X-Postfix; host mx[192.0.2.1] said: 550 5.1.1 …`,
 *   `X-Unix; …`, a bare `550 5.1.1 …` (Exim and qmail write the reply into prose);
 * - multi-line replies joined, Gmail's `550-5.1.1 … 550-5.1.1 … 550 5.1.1 …`: the repeated
 *   prefixes are removed from the text;
 * - the enhanced code written with a hash (`550 #5.1.0 Address rejected`, Yahoo and qmail's
 *   `(#5.1.1 - chkusr)`);
 * - a greeting line quoted before the real answer (`220-mx.example.jp ESMTP … 421 …`): only a
 *   4xx or 5xx code is the reply the bounce is about;
 * - Sendmail's session transcript (`>>> RCPT To:<a@b>` / `<<< 550 5.1.1 … User unknown`): the
 *   reply after `<<<` is the one, and it ends where the transcript goes on.
 * A diagnostic that quotes no reply code keeps its text (`connect to mx.example.org: Connection
 * refused`), with the enhanced code it names, if any; the DSN's Status then gives the class.
 */
import { isEnhancedCode, reply } from '../../../kernel/index.ts';
import type { EnhancedCode, SmtpReply } from '../../../kernel/index.ts';

/** The remote reply a diagnostic quotes; `code` null when it quotes none. */
export interface QuotedReply {
  readonly code: number | null;
  readonly enhanced: EnhancedCode | null;
  /** The reply's text, unfolded, without the diagnostic type, the codes and their repetitions. */
  readonly text: string;
}

// `smtp;`, `X-Postfix;`, `X-Unix;`, `mta;` … at the start. RFC 3464 §2.3.6 names the type with an
// atom; a real text never starts with a one-word clause ended by a semicolon.
const DIAGNOSTIC_TYPE = /^\s*[A-Za-z][A-Za-z0-9-]{0,19}\s*;\s*/;
// A reply code where a reply starts: the text's start, a new line, after a colon, bracket, angle
// bracket or "said", or followed by an enhanced code. Never a piece of an IP, a date or a count.
const REPLY_CODE = /(?<![\w.#/=-])([245][0-5]\d)(?=[ -]|$)(?![\d.])/gm;
const ENHANCED_AFTER_CODE = /^[ -]+\(?#?([245]\.\d{1,3}\.\d{1,3})\)?(?![\d.])/;
const ENHANCED_ANYWHERE = /(?<![\d.])#?([245]\.\d{1,3}\.\d{1,3})(?![\d.])/;

/** Reads what the diagnostic quotes; never fails (a text without codes comes back as text). */
export function quoteOfDiagnostic(diagnostic: string): QuotedReply {
  let body = diagnostic.replace(DIAGNOSTIC_TYPE, '').replace(/\s+/g, ' ').trim();
  // A session transcript quotes the reply itself after "<<<": read that, not the summary.
  const transcribed = /<<<\s*(?=[45]\d\d\b)/.exec(body);
  if (transcribed !== null) body = body.slice(transcribed.index + transcribed[0].length);
  const start = replyStart(body);
  if (start === null) {
    const named = ENHANCED_ANYWHERE.exec(body)?.[1];
    return { code: null, enhanced: named !== undefined && isEnhancedCode(named) ? named : null, text: body };
  }
  const code = Number(body.slice(start, start + 3));
  let rest = body.slice(start + 3);
  const after = ENHANCED_AFTER_CODE.exec(rest);
  let enhanced: EnhancedCode | null = null;
  if (after !== null && isEnhancedCode(after[1] ?? '') && after[1]?.[0] === String(code)[0]) {
    enhanced = after[1] as EnhancedCode;
    rest = rest.slice(after[0].length);
  } else {
    const named = ENHANCED_ANYWHERE.exec(rest)?.[1];
    if (named !== undefined && isEnhancedCode(named) && named[0] === String(code)[0]) enhanced = named;
  }
  // The continuation lines' own prefixes, e.g. ` 550-5.1.1 ` in Gmail's multi-line replies.
  const prefix = new RegExp(
    `(?:^|\\s)${code}[ -](?:#?${enhanced === null ? '[245]\\.\\d{1,3}\\.\\d{1,3}' : enhanced.replace(/\./g, '\\.')}\\s+)?`,
    'g',
  );
  // The reply ends where the transcript or the notice goes on (">>> DATA", "----- Transcript").
  const ended = rest.split(/\s(?:>>>|<<<|-{3,})/)[0] ?? rest;
  const text = ` ${ended.replace(/^[ -]+/, '')}`.replace(prefix, ' ').replace(/\s+/g, ' ').trim();
  return { code, enhanced, text };
}

/** Where the quoted reply starts: the first 4xx or 5xx code in a reply position, else null. */
function replyStart(body: string): number | null {
  for (const match of body.matchAll(REPLY_CODE)) {
    const index = match.index;
    const code = match[1] ?? '';
    if (code.startsWith('2')) continue;
    const before = body.slice(Math.max(0, index - 6), index);
    const startsReply =
      index === 0 || /(?:[:>\]]\s*|said\s*|\n)$/i.test(before) || ENHANCED_AFTER_CODE.test(body.slice(index + 3));
    if (startsReply) return index;
  }
  // A code written into prose ("ResponseCode 421, Host not reachable", "server message 550
  // unknown user"): the first 4xx or 5xx standing on its own.
  const loose = /(?<![\w.#/=-])[45][0-5]\d(?![\w.])/.exec(body);
  return loose === null ? null : loose.index;
}

/**
 * The reply an `smtp;` Diagnostic-Code quotes, or null when it quotes no reply code: the form
 * the engine's own DSN tests and the relay ledger use.
 */
export function replyFromDiagnostic(diagnosticCode: string): SmtpReply | null {
  const quoted = quoteOfDiagnostic(diagnosticCode);
  return quoted.code === null ? null : reply(quoted.code, quoted.enhanced, quoted.text);
}

/** A reply made of the Status alone (`5.1.1` → 550 5.1.1), for diagnostics that quote none. */
export function replyFromStatus(status: string): SmtpReply | null {
  if (!isEnhancedCode(status)) return null;
  const basic = { '2': 250, '4': 450, '5': 550 }[status[0] as '2' | '4' | '5'];
  return reply(basic, status, '');
}
