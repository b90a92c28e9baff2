/**
 * VERP (variable envelope return path) and the correlation header: how a report that comes back
 * days later is tied to the message and the recipient it is about.
 *
 * **VERP.** Each message and recipient gets its own envelope sender, so a DSN, which goes to the
 * envelope sender (RFC 3464 §2, RFC 5321 §4.5.5), names both in the address it is sent to even
 * when the receiver's report is unreadable or names a forwarded address. The scheme:
 *
 *     <prefix>+<messageId>=<local>=<domain>@<return domain>     full form
 *     <prefix>+<messageId>=<hash>@<return domain>               hashed form
 *
 * e.g. `bounces+000001-k3j9x1=alice=example.com@news.example`. The separators are `=` (not the
 * `-` of qmail-style VERP) because the engine's message ids contain `-`. The message id is read
 * up to the first `=`, the domain after the last `=`, and the recipient's local part is all in
 * between. Each segment is escaped so that the whole local part is a plain dot-atom
 * (RFC 5321 §4.1.2) whatever the recipient's local part is (a dot-atom, a quoted string with
 * spaces and backslashes, or UTF-8 under RFC 6531): letters, digits, `-`, `+` and `.` stay,
 * `_` becomes `__`, and every other octet of the UTF-8 form (`=` included) becomes `_HH`; a
 * dot that would start or end a segment or follow another dot is escaped too. Only letters,
 * digits and `. _ + = -` appear, which every MTA passes through unchanged. The hex digits decode in
 * either case, and the message ids are lowercase, so a bouncer that folds case still names the
 * right message.
 *
 * RFC 5321 §4.5.3.1.1 limits a local part to 64 octets. When the full form would not fit, the
 * recipient is replaced by a 16-character hash of it (base32 of SHA-256, domain lowercased);
 * the message id still names the message, and the hash picks the recipient among its
 * recipients (`isVerpRecipient`).
 *
 * **Correlation header.** Feedback loops send ARF reports to a registered address, not to the
 * return path, so VERP is lost; but ARF carries the original message's headers (RFC 5965 §2).
 * `X-Mailbench-Ref: 1.<base64url(messageId)>.<base64url(recipient)>` carries both. Base64url
 * keeps the recipient out of plain sight: providers that redact the recipient's address in the
 * reports they forward (RFC 6590) look for it literally.
 */
import { createHash } from 'node:crypto';

export interface VerpConfig {
  /** The return path's local part before the `+`, e.g. `bounces`. Letters, digits, `.` and `-`. */
  readonly prefix: string;
  /** The return path's domain, e.g. `news.example`: its MX is the engine's inbound listener. */
  readonly domain: string;
}

/** Which message and recipient a VERP return path names. */
export type VerpToken =
  | { readonly kind: 'full'; readonly messageId: string; readonly recipient: string }
  | { readonly kind: 'hashed'; readonly messageId: string; readonly recipientHash: string };

export type VerpDecoded = VerpToken | { readonly kind: 'not-verp'; readonly reason: string };

export interface MessageRecipient {
  readonly messageId: string;
  readonly recipient: string;
}

/** RFC 5321 §4.5.3.1.1. */
export const LOCAL_PART_OCTETS_MAX = 64;
const HASH_LENGTH = 16;
const PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The return path for one message and one recipient; throws a RangeError when none can fit. */
export function verpReturnPath(config: VerpConfig, subject: MessageRecipient): string {
  checkConfig(config);
  if (subject.messageId === '') throw new RangeError('messageId is empty: a VERP return path must name a message');
  const at = subject.recipient.lastIndexOf('@');
  if (at <= 0 || at === subject.recipient.length - 1)
    throw new RangeError(`recipient "${subject.recipient}" is not local@domain`);
  const head = `${config.prefix}+${escapeSegment(subject.messageId, ID_LITERAL)}=`;
  const full = `${head}${escapeSegment(subject.recipient.slice(0, at), LOCAL_LITERAL)}=${escapeSegment(subject.recipient.slice(at + 1), DOMAIN_LITERAL)}`;
  if (full.length <= LOCAL_PART_OCTETS_MAX) return `${full}@${config.domain}`;
  const hashed = `${head}${recipientHash(subject.recipient)}`;
  if (hashed.length > LOCAL_PART_OCTETS_MAX) {
    throw new RangeError(
      `messageId "${subject.messageId}" is too long for a VERP return path: "${head}" and a ${HASH_LENGTH}-character hash need ${hashed.length} octets, RFC 5321 allows ${LOCAL_PART_OCTETS_MAX}`,
    );
  }
  return `${hashed}@${config.domain}`;
}

/** Reads a return path back; `not-verp` says why it is not one of ours. */
export function decodeVerp(address: string, config: VerpConfig): VerpDecoded {
  const bare = address.trim().replace(/^<(.*)>$/, '$1');
  const at = bare.lastIndexOf('@');
  if (at <= 0) return { kind: 'not-verp', reason: `"${address}" is not local@domain` };
  const domain = bare.slice(at + 1);
  if (domain.toLowerCase() !== config.domain.toLowerCase())
    return { kind: 'not-verp', reason: `domain "${domain}" is not the return-path domain ${config.domain}` };
  const local = bare.slice(0, at).replace(/^"(.*)"$/, '$1');
  const start = `${config.prefix}+`;
  if (local.slice(0, start.length).toLowerCase() !== start.toLowerCase())
    return { kind: 'not-verp', reason: `local part "${local}" does not start with "${start}"` };
  const segments = local.slice(start.length).split('=');
  if (segments.length < 2 || segments[0] === '')
    return { kind: 'not-verp', reason: `"${local}" has no <messageId>= after "${start}"` };
  try {
    if (segments.length === 2) {
      const hash = (segments[1] ?? '').toLowerCase();
      if (!new RegExp(`^[${BASE32}]{${HASH_LENGTH}}$`).test(hash))
        return {
          kind: 'not-verp',
          reason: `"${segments[1] ?? ''}" is neither local=domain nor a ${HASH_LENGTH}-character recipient hash`,
        };
      return { kind: 'hashed', messageId: unescapeSegment(segments[0] ?? ''), recipientHash: hash };
    }
    const messageId = unescapeSegment(segments[0] ?? '');
    const recipient = `${unescapeSegment(segments.slice(1, -1).join('='))}@${unescapeSegment(segments.at(-1) ?? '')}`;
    return { kind: 'full', messageId, recipient };
  } catch (error) {
    return { kind: 'not-verp', reason: `"${local}": ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Does the token name this recipient (exactly for the full form, by hash for the hashed one)? */
export function isVerpRecipient(token: VerpToken, recipient: string): boolean {
  return token.kind === 'full'
    ? sameAddress(token.recipient, recipient)
    : recipientHash(recipient) === token.recipientHash;
}

/** Base32 of SHA-256 of the recipient with its domain lowercased (domains are case-insensitive). */
export function recipientHash(recipient: string): string {
  const digest = createHash('sha256').update(normalAddress(recipient), 'utf8').digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < HASH_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31] ?? '';
      bits -= 5;
    }
    value &= 0xff;
    if (out.length === HASH_LENGTH) break;
  }
  return out;
}

/** Two addresses are the same mailbox: local parts exactly, domains without regard to case. */
export function sameAddress(left: string, right: string): boolean {
  return normalAddress(left) === normalAddress(right);
}

function normalAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? address : `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

function checkConfig(config: VerpConfig): void {
  if (!PREFIX.test(config.prefix))
    throw new RangeError(
      `VERP prefix "${config.prefix}" must be letters, digits, . and - (not starting or ending with . or -)`,
    );
  if (!/^[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$/.test(config.domain))
    throw new RangeError(`VERP domain "${config.domain}" must be a dotted host name`);
}

// Characters that stay as they are in each segment; `=` separates segments and `_` escapes.
const ID_LITERAL = /^[A-Za-z0-9.+-]$/;
const LOCAL_LITERAL = /^[A-Za-z0-9.+-]$/;
const DOMAIN_LITERAL = /^[A-Za-z0-9.-]$/;

function escapeSegment(value: string, literal: RegExp): string {
  const characters = [...value];
  let out = '';
  for (const [index, character] of characters.entries()) {
    const isEdgeOrDoubleDot =
      character === '.' && (index === 0 || index === characters.length - 1 || out.endsWith('.'));
    if (character === '_') out += '__';
    else if (literal.test(character) && !isEdgeOrDoubleDot) out += character;
    else
      for (const byte of Buffer.from(character, 'utf8')) out += `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function unescapeSegment(segment: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < segment.length; index++) {
    const character = segment[index] ?? '';
    if (character !== '_') {
      bytes.push(...Buffer.from(character, 'utf8'));
      continue;
    }
    if (segment[index + 1] === '_') {
      bytes.push(0x5f);
      index++;
      continue;
    }
    const hex = segment.slice(index + 1, index + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex))
      throw new Error(`bad escape "_${hex}" at offset ${index} (expected __ or _ and two hex digits)`);
    bytes.push(Number.parseInt(hex, 16));
    index += 2;
  }
  try {
    return UTF8.decode(Uint8Array.from(bytes));
  } catch {
    throw new Error('escapes do not decode as UTF-8');
  }
}

/** The correlation header's name. */
export const REF_HEADER = 'X-Mailbench-Ref';
const REF_VERSION = '1';

export type RefDecoded =
  ({ readonly kind: 'ref' } & MessageRecipient) | { readonly kind: 'not-ref'; readonly reason: string };

/** The header's value for one message and recipient: `1.<base64url id>.<base64url recipient>`. */
export function encodeRef(subject: MessageRecipient): string {
  if (subject.messageId === '' || subject.recipient === '')
    throw new RangeError('a correlation reference needs a messageId and a recipient');
  return `${REF_VERSION}.${Buffer.from(subject.messageId, 'utf8').toString('base64url')}.${Buffer.from(subject.recipient, 'utf8').toString('base64url')}`;
}

/** The whole header line, e.g. for the engine to prepend to the message. */
export function refHeaderLine(subject: MessageRecipient): string {
  return `${REF_HEADER}: ${encodeRef(subject)}`;
}

/** Reads a header value back; `not-ref` says what is wrong with it. */
export function decodeRef(value: string): RefDecoded {
  const token = value.replace(/\s+/g, '');
  const [version, id, recipient, ...rest] = token.split('.');
  if (version !== REF_VERSION || id === undefined || recipient === undefined || rest.length > 0) {
    return { kind: 'not-ref', reason: `"${value}" is not ${REF_VERSION}.<base64url>.<base64url>` };
  }
  const messageId = fromBase64Url(id);
  const address = fromBase64Url(recipient);
  if (messageId === undefined || address === undefined)
    return { kind: 'not-ref', reason: `"${value}" has a part that is not base64url of UTF-8 text` };
  return { kind: 'ref', messageId, recipient: address };
}

function fromBase64Url(part: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  // Reject non-canonical forms: the same bytes must encode to the same text.
  if (bytes.toString('base64url') !== part) return undefined;
  try {
    const text = UTF8.decode(bytes);
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
