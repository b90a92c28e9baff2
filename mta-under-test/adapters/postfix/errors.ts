import { MailbenchError } from '../../../kernel/index.ts';
/**
 * Operational failures of the `postfix` adapter (STYLE.md §2.7, kind 2): thrown, with a code
 * from one closed list and a hint that says what to do. Refusals by receivers are never
 * errors here; they are records (log-records.ts).
 */

/** Where the fix for "Postfix is not installed" lives, named in every such error. */
export const INSTALL_SCRIPT = 'mta-under-test/adapters/postfix/install-postfix.sh';

export type PostfixErrorCode =
  /** postfix/postconf not found: the install script has not run on this machine. */
  | 'E_POSTFIX_NOT_INSTALLED'
  /** The environment or options cannot be turned into a safe instance (names, addresses, paths). */
  | 'E_POSTFIX_CONFIG'
  /** `postfix check` or `postfix start` failed, or its smtpd never answered. */
  | 'E_POSTFIX_START'
  /** The master process outlived `stop` and `abort`. */
  | 'E_POSTFIX_STOP'
  /** Postfix's smtpd refused a message or a recipient the bench injected. */
  | 'E_POSTFIX_INJECT'
  /** A bounded wait ran out. */
  | 'E_POSTFIX_TIMEOUT';

export class PostfixAdapterError extends MailbenchError {
  override readonly name = 'PostfixAdapterError';
  declare readonly code: PostfixErrorCode;

  constructor(code: PostfixErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, hint === undefined ? message : `${message} (${hint})`, {
      ...(hint === undefined ? {} : { hint }),
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}
