/**
 * The `postfix` MTA adapter: a private Postfix instance as a sender under test. Install
 * Postfix first with mta-under-test/adapters/postfix/install-postfix.sh.
 */
export { PostfixMta } from './postfix-mta.ts';
export type { PostfixMtaOptions } from './postfix-mta.ts';
export { PostfixAdapterError, INSTALL_SCRIPT } from './errors.ts';
export type { PostfixErrorCode } from './errors.ts';
export { POSTFIX_DEFAULT_TIMERS, scaledTimers } from './timers.ts';
export type { PostfixTimers } from './timers.ts';
/** The path of a Postfix command; throws E_POSTFIX_NOT_INSTALLED naming the install script. */
export { postfixCommand } from './commands.ts';
