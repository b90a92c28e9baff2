/**
 * The field syntax report parts share: RFC 3464 §2.1 (`message/delivery-status`: a per-message
 * group, then one group per recipient, groups separated by empty lines) and RFC 5965 §3
 * (`message/feedback-report`: one group), both in RFC 5322 header syntax, so fields may be
 * folded (§2.2.3) and carry comments.
 *
 * Real reports are sloppy: LF-only line ends, lines of spaces between groups, odd case in field
 * names. The reader tolerates all of that.
 */

/** One group: field name (lowercased) to its values in order; a name may repeat (Original-Rcpt-To). */
export type FieldGroup = ReadonlyMap<string, readonly string[]>;

/** Splits a block into groups of fields, unfolding continuation lines. */
export function fieldGroups(block: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  const lines = block.replace(/\r\n?/g, '\n').split('\n');
  let current = new Map<string, string[]>();
  let last: { name: string; values: string[] } | undefined;
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.size > 0) groups.push(current);
      current = new Map();
      last = undefined;
      continue;
    }
    if (/^[ \t]/.test(line) && last !== undefined) {
      const index = last.values.length - 1;
      last.values[index] = `${last.values[index] ?? ''} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = current.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    current.set(name, values);
    last = { name, values };
  }
  if (current.size > 0) groups.push(current);
  return groups;
}

// RFC 3464 §2.2 and §2.3 field names, and the extension fields real MTAs add (X-Postfix-Sender,
// X-Actual-Recipient, X-Display-Name, X-Supplementary-Info …).
const DSN_FIELD =
  /^(?:reporting-mta|dsn-gateway|received-from-mta|arrival-date|original-envelope-id|original-recipient|final-recipient|action|status|remote-mta|diagnostic-code|last-attempt-date|final-log-id|will-retry-until|x-[a-z0-9-]+)\s*:/i;

/**
 * The groups of a `message/delivery-status` body, read the way real MTAs write it rather than
 * strictly: a line that is not a known field continues the one before it even when it is not
 * indented (a Diagnostic-Code whose reply runs on over several lines), and a second
 * Final-Recipient (or an Original-Recipient after one) starts a new recipient group even when the
 * empty line between the two is missing, so no recipient vanishes.
 */
export function statusFieldGroups(block: string): FieldGroup[] {
  const groups: Map<string, string[]>[] = [];
  let current = new Map<string, string[]>();
  let last: string[] | undefined;
  const close = (): void => {
    if (current.size > 0) groups.push(current);
    current = new Map();
    last = undefined;
  };
  for (const line of block.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      close();
      continue;
    }
    if (!DSN_FIELD.test(line.trimStart()) || /^[ \t]/.test(line)) {
      if (last !== undefined) last[last.length - 1] = `${last[last.length - 1] ?? ''} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    // A second Final-Recipient (or Original-Recipient) is the next recipient; either may come
    // first, and Action may come before both. A recipient field right after per-message fields
    // starts the first recipient group.
    const perMessage = current.has('reporting-mta') || current.has('arrival-date') || current.has('received-from-mta');
    const isRecipientField = name === 'final-recipient' || name === 'original-recipient';
    const startsRecipient =
      (isRecipientField && current.has(name)) ||
      (isRecipientField && perMessage && !current.has('final-recipient') && !current.has('original-recipient'));
    if (startsRecipient) close();
    const values = current.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    current.set(name, values);
    last = values;
  }
  close();
  return groups;
}

/** The first value of a field, trimmed, or undefined when absent or empty. */
export function first(group: FieldGroup, name: string): string | undefined {
  const value = group.get(name.toLowerCase())?.[0]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * An address-typed value (`rfc822; <a@b>`, `utf-8; a@b`, RFC 3464 §2.1.2, RFC 6533 §3) as the
 * bare address: the type prefix, angle brackets and a trailing comment removed.
 */
export function typedAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bare = stripComment(value.replace(/^[A-Za-z0-9-]+\s*;\s*/, ''))
    .replace(/^<(.*)>$/, '$1')
    .trim();
  return bare === '' ? undefined : bare;
}

/** A host named by an MTA-typed value (`dns; mx.example.com [192.0.2.1]`) as the host name only. */
export function mtaName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const name = stripComment(value.replace(/^[A-Za-z0-9-]+\s*;\s*/, ''))
    .split(/\s+/)[0]
    ?.replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return name === undefined || name === '' ? undefined : name;
}

/** Removes a trailing RFC 5322 comment, e.g. `5.1.1 (bad destination mailbox address)`. */
export function stripComment(value: string): string {
  return value.replace(/\s*\([^()]*\)\s*$/, '').trim();
}
