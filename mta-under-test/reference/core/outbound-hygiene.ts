/**
 * What the engine does to a message before it leaves, once per message (not per attempt):
 * - RFC 8058 one-click unsubscribe: `List-Unsubscribe` and `List-Unsubscribe-Post`, which
 *   Gmail and Yahoo require of bulk senders (facts/isp-behaviors.md §1), added when the message
 *   has none and the sender configured where unsubscribes go;
 * - a correlation header, so a complaint (ARF keeps the original headers) can be joined to
 *   the message even when the return path is lost;
 * - DKIM, with the key of the From domain (or its parent: `news.example.com` signs with the
 *   `example.com` key when it has none of its own), over the headers above.
 *
 * The data goes out as given when nothing applies, so an MTA relaying for a signer adds nothing.
 */
import type { DkimKey } from './dkim-signer.ts';
import { dkimSign } from './dkim-signer.ts';

export interface HygieneOptions {
  /** DKIM keys by signing domain. */
  readonly dkimKeys?: readonly DkimKey[];
  /**
   * Where unsubscribes go, by From domain: an HTTPS base (RFC 8058 needs one for one-click) and
   * a mailto address. `{token}` in either is replaced by a per-message, per-recipient token.
   */
  readonly unsubscribe?: Readonly<Record<string, { readonly https: string; readonly mailto?: string }>>;
  /** The correlation header line for a message and its (first) recipient, e.g. `X-Mailbench-Ref: …`; absent: none added. */
  readonly correlationHeader?: (subject: { readonly messageId: string; readonly recipient: string }) => string;
}

export interface OutgoingMessage {
  readonly messageId: string;
  /** The first recipient (the token of a one-recipient message names it). */
  readonly recipient: string;
  readonly data: string;
}

const HEADER_END = '\r\n\r\n';

/** The header block (without the blank line) and where the body starts. */
function headerBlock(data: string): { headers: string; bodyAt: number } {
  const end = data.indexOf(HEADER_END);
  return end < 0
    ? { headers: data, bodyAt: data.length }
    : { headers: data.slice(0, end), bodyAt: end + HEADER_END.length };
}

function hasHeader(headers: string, name: string): boolean {
  return new RegExp(`(^|\\r\\n)${name}:`, 'i').test(headers);
}

/** The domain of the first From address, lower case; '' when there is none. */
export function fromDomain(data: string): string {
  const { headers } = headerBlock(data);
  const match = /(?:^|\r\n)From:([^\r\n]*(?:\r\n[ \t][^\r\n]*)*)/i.exec(headers);
  const address = /<?[^<>\s"]*@([A-Za-z0-9.-]+)>?/.exec(match?.[1] ?? '');
  return address?.[1]?.toLowerCase() ?? '';
}

/** The key for `domain`, or for its nearest parent that has one. */
function keyFor(keys: readonly DkimKey[], domain: string): DkimKey | undefined {
  for (let candidate = domain; candidate.includes('.'); candidate = candidate.slice(candidate.indexOf('.') + 1)) {
    const key = keys.find((entry) => entry.domain === candidate);
    if (key !== undefined) return key;
  }
  return undefined;
}

function unsubscribeToken(message: OutgoingMessage): string {
  return Buffer.from(`${message.messageId} ${message.recipient}`).toString('base64url');
}

/** The message with the engine's headers added and, where a key applies, DKIM-signed. */
export function prepareOutgoing(message: OutgoingMessage, options: HygieneOptions): string {
  const { headers, bodyAt } = headerBlock(message.data);
  const domain = fromDomain(message.data);
  const added: string[] = [];
  const unsubscribe = options.unsubscribe?.[domain];
  if (unsubscribe !== undefined && !hasHeader(headers, 'List-Unsubscribe')) {
    const token = unsubscribeToken(message);
    const targets = [
      `<${unsubscribe.https.replace('{token}', token)}>`,
      ...(unsubscribe.mailto === undefined ? [] : [`<mailto:${unsubscribe.mailto.replace('{token}', token)}>`]),
    ];
    added.push(`List-Unsubscribe: ${targets.join(', ')}`, 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  }
  if (options.correlationHeader !== undefined)
    added.push(options.correlationHeader({ messageId: message.messageId, recipient: message.recipient }));
  const data =
    added.length === 0 ? message.data : `${headers}\r\n${added.join('\r\n')}${HEADER_END}${message.data.slice(bodyAt)}`;
  const key = keyFor(options.dkimKeys ?? [], domain);
  return key === undefined ? data : dkimSign(data, key);
}
