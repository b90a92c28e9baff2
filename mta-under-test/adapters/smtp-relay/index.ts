/**
 * The `smtp-relay` MTA adapter: any MTA that accepts SMTP and sends DSNs, known only by what
 * it accepts and the notices it sends back (smtp-relay-mta.ts).
 */
export { SmtpRelayError, SmtpRelayMta, smtpRelay } from './smtp-relay-mta.ts';
export type { PreparedRelay, SmtpRelayErrorCode, SmtpRelayOptions } from './smtp-relay-mta.ts';
export { ENVIRONMENT_FILE, TRANSPORT_FILE } from './relay-files.ts';
export type { LedgerTally } from './relay-ledger.ts';
export { relayCommand } from './relay-command.ts';
export type { RelayCommandOptions } from './relay-command.ts';
