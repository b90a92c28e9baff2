/**
 * Who may submit over SMTP, and what their mail defaults to: the accounts of the submission
 * listener (user name → password and the tenant, campaign and pool their messages belong to
 * when the message does not say).
 *
 * Credentials are compared in constant time: both the given and the expected password are
 * hashed to fixed-length digests first, so neither a wrong length nor a wrong first byte
 * answers faster, and an unknown user costs the same comparison as a known one, so timings do
 * not tell which user names exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MessageMeta } from './request.ts';

/** One submission account. */
export interface SubmissionAccount {
  /** The AUTH PLAIN / LOGIN password. */
  readonly password: string;
  /** Tenant, campaign and pool for messages that carry no X-Tenant, X-Campaign or X-Pool header. */
  readonly defaults?: MessageMeta;
}

/** Accounts by AUTH user name. */
export type SubmissionAccounts = Readonly<Record<string, SubmissionAccount>>;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Compared against when the user is unknown, so that case takes as long as a wrong password. */
const NOBODY_DIGEST = digest('\u0000no such submission account\u0000');

/**
 * The account the credentials open, or undefined. Only own keys count (a user named
 * `__proto__` or `toString` is just an unknown user).
 */
export function authenticate(
  accounts: SubmissionAccounts,
  username: string,
  password: string,
): SubmissionAccount | undefined {
  const account = Object.hasOwn(accounts, username) ? accounts[username] : undefined;
  const expected = account === undefined ? NOBODY_DIGEST : digest(account.password);
  const matches = timingSafeEqual(digest(password), expected);
  return matches && account !== undefined ? account : undefined;
}
