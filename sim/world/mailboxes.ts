/**
 * The mailboxes that really exist in the simulated world, and their state. Receivers consult
 * it to answer RCPT TO truthfully; the sender never sees it (it only has its list).
 *
 * A mailbox may die during a run (B2B turnover: people leave, their address is removed), and
 * a trap is a mailbox nobody reads, kept by the provider to catch senders that mail addresses
 * they should not have: pristine (never a real person), recycled (a dead address revived
 * after months), typo (a misspelt domain's catch-all).
 */
import type { EpochMs } from '../../kernel/index.ts';

/** The state of an address; an address the directory does not hold does not exist. */
export type MailboxStatus = 'active' | 'disabled' | 'full' | 'trap';
export type TrapKind = 'pristine' | 'recycled' | 'typo';
/** How the person behind an active mailbox treats bulk mail. */
export type Engagement = 'engaged' | 'passive' | 'dormant';

export interface Mailbox {
  readonly status: MailboxStatus;
  readonly trap?: TrapKind;
  readonly engagement?: Engagement;
  /** When the mailbox is removed (turnover); from then on the address is unknown. */
  readonly removedAtMs?: EpochMs;
}

export class MailboxDirectory {
  private readonly mailboxes = new Map<string, Mailbox>();

  /** Creates (or updates) the mailbox of `address`. Addresses compare case-insensitively. */
  set(address: string, status: MailboxStatus | Mailbox): void {
    this.mailboxes.set(address.toLowerCase(), typeof status === 'string' ? { status } : status);
  }

  /** The mailbox as it stands at `nowMs`, or undefined if there is none. */
  get(address: string, nowMs?: EpochMs): Mailbox | undefined {
    const mailbox = this.mailboxes.get(address.toLowerCase());
    if (mailbox === undefined) return undefined;
    if (mailbox.removedAtMs !== undefined && nowMs !== undefined && nowMs >= mailbox.removedAtMs) return undefined;
    return mailbox;
  }

  /** The mailbox state at `nowMs`, or `unknown` if there is no such mailbox. */
  status(address: string, nowMs?: EpochMs): MailboxStatus | 'unknown' {
    return this.get(address, nowMs)?.status ?? 'unknown';
  }

  get size(): number {
    return this.mailboxes.size;
  }
}
