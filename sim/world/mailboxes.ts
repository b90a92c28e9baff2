/**
 * The mailboxes that really exist in the simulated world, and their state. Receivers consult
 * it to answer RCPT TO truthfully; the sender never sees it (it only has its list).
 */

/** The state of an address; an address the directory does not hold does not exist. */
export type MailboxStatus = 'active' | 'disabled' | 'full';

export class MailboxDirectory {
  private readonly mailboxes = new Map<string, MailboxStatus>();

  /** Creates (or updates) the mailbox of `address`. Addresses compare case-insensitively. */
  set(address: string, status: MailboxStatus): void {
    this.mailboxes.set(address.toLowerCase(), status);
  }

  /** The mailbox state, or `unknown` if there is no such mailbox. */
  status(address: string): MailboxStatus | 'unknown' {
    return this.mailboxes.get(address.toLowerCase()) ?? 'unknown';
  }

  get size(): number {
    return this.mailboxes.size;
  }
}
