/**
 * The engine's SMTP front door (submission, RFC 6409 in spirit), on a loopback address only:
 * smtp-server runs the pure decisions of submission-policy.ts and hands each accepted
 * message to the same `Enqueue` as the HTTP API.
 *
 * - AUTH PLAIN or LOGIN is required before MAIL; the accounts come from the options.
 * - Each RCPT is checked as an RFC 5321 address (`553 5.1.3 …` names the problem) and counted
 *   (`452 4.5.3` past the per-message limit).
 * - SIZE is advertised. A declared `SIZE=` over it is refused at MAIL FROM by smtp-server
 *   itself (`552`, its own text); a message that turns out bigger is refused after DATA with
 *   `552 5.3.4`, and nothing of it is queued.
 * - `250` goes out only after `enqueue` resolved, which the spool does after its fsync: an
 *   acknowledged message is durable. If enqueue rejects, the answer is `451 4.3.0` and the
 *   client still owns the message (it retries); nothing is half-accepted.
 *
 * Only this file knows smtp-server. Like sim/transport/smtp-listener.ts it keeps
 * `hideENHANCEDSTATUSCODES` on (smtp-server would otherwise derive enhanced codes from the
 * basic ones, e.g. 550 → 5.1.1) and writes each reply's own enhanced code into its text.
 */
import { SMTPServer } from 'smtp-server';
import type { SMTPServerAuthentication, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { isLoopbackIpv4, listenSmtp, replyText } from '../../../kernel/index.ts';
import type { SmtpReply } from '../../../kernel/index.ts';
import type { Admission, AdmissionTicket } from '../service/admission.ts';
import type { Enqueue } from './http-api.ts';
import { DEFAULT_INJECTION_LIMITS } from './request.ts';
import { authenticate } from './submission-account.ts';
import type { SubmissionAccounts } from './submission-account.ts';
import { mailFromReply, readSubmittedMessage, recipientReply } from './submission-policy.ts';
import type { SubmissionLimits } from './submission-policy.ts';

export interface SubmissionOptions {
  /** A 127.0.0.0/8 address; anything else is refused (DESIGN rule 6). */
  readonly address: string;
  /** @defaultValue 0 (an ephemeral port) */
  readonly port?: number;
  /** The same function the HTTP API enqueues through; resolves once the message is durable. */
  readonly enqueue: Enqueue;
  /** Pools a message may name (X-Pool or an account default). */
  readonly pools: ReadonlySet<string>;
  /** Who may submit: AUTH user name → password and defaults. */
  readonly accounts: SubmissionAccounts;
  /** @defaultValue the HTTP API's: 10 MiB, 1,000 recipients per message */
  readonly limits?: Partial<SubmissionLimits>;
  /** The name in the greeting and EHLO. @defaultValue `submission.mailbench.test` */
  readonly hostname?: string;
  /** Room for new mail; without it MAIL FROM is answered 452 4.3.1. @defaultValue always room */
  readonly admission?: Admission;
}

export interface SubmissionListener {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** smtp-server's hook error: the reply's code, its enhanced code at the start of the text. */
function replyError(smtpReply: SmtpReply): Error & { responseCode: number } {
  const enhanced = smtpReply.enhanced === null ? '' : `${smtpReply.enhanced} `;
  return Object.assign(new Error(`${enhanced}${replyText(smtpReply)}`), { responseCode: smtpReply.code });
}

/** What onAuth stores in `session.user`: the account's name. */
function accountName(session: SMTPServerSession): string {
  return typeof session.user === 'string' ? session.user : '';
}

/**
 * Starts the listener; resolves once it is bound. Throws a `RangeError` for an address outside
 * 127.0.0.0/8 and for an account whose default pool the engine does not have (all its mail
 * would be refused, so that is a configuration mistake, named at start).
 */
export async function startSubmissionListener(options: SubmissionOptions): Promise<SubmissionListener> {
  if (!isLoopbackIpv4(options.address))
    throw new RangeError(`the submission listener binds loopback only (127.0.0.0/8); refusing ${options.address}`);
  const limits: SubmissionLimits = {
    messageBytesMax: options.limits?.messageBytesMax ?? DEFAULT_INJECTION_LIMITS.messageBytesMax,
    recipientsPerMessageMax:
      options.limits?.recipientsPerMessageMax ?? DEFAULT_INJECTION_LIMITS.recipientsPerMessageMax,
  };
  checkAccounts(options.accounts, options.pools);
  const server = new SMTPServer({
    name: options.hostname ?? 'submission.mailbench.test',
    size: limits.messageBytesMax,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    // Plaintext AUTH is allowed because the listener is on loopback only: the password never
    // crosses a network a third party can read, and STARTTLS would protect nothing more.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    hideENHANCEDSTATUSCODES: true,
    disableReverseLookup: true,
    logger: false,
    // Closing waits at most a second for clients still connected.
    closeTimeout: 1_000,
    onAuth(auth: SMTPServerAuthentication, _session, callback) {
      const account = authenticate(options.accounts, auth.username ?? '', auth.password ?? '');
      if (account === undefined)
        callback(
          replyError({ code: 535, enhanced: '5.7.8', lines: ['authentication failed: wrong user name or password'] }),
        );
      else callback(null, { user: auth.username });
    },
    onMailFrom(address, session, callback) {
      callback(openTransaction(options, address.address, session));
    },
    onClose(session) {
      releaseTicket(session);
    },
    onRcptTo(address, session, callback) {
      const refusal = recipientReply(address.address, session.envelope.rcptTo.length, limits);
      callback(refusal === null ? undefined : replyError(refusal));
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      // This transaction's place, taken now: a pipelined MAIL FROM of the next one must not
      // give it back early, and it is given back when this transaction's answer is known.
      const ticket = takeTicket(session);
      // Past the size limit nothing more is kept: the transaction is refused at the end anyway.
      const chunks: Buffer[] = [];
      let kept = 0;
      stream.on('data', (chunk: Buffer) => {
        kept += chunk.byteLength;
        if (kept <= limits.messageBytesMax) chunks.push(chunk);
      });
      stream.once('end', () => {
        acceptData(options, limits, {
          bytes: Buffer.concat(chunks),
          sizeExceeded: stream.sizeExceeded || kept > limits.messageBytesMax,
          session,
        })
          .then(
            (queued) => callback(null, queued),
            (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
          )
          .finally(() => ticket?.leave());
      });
    },
  });

  return listenSmtp(server, { address: options.address, port: options.port, name: 'submission listener' });
}

/** Resolves with the 250 text once the message is durable; rejects with the refusal. */
async function acceptData(
  options: SubmissionOptions,
  limits: SubmissionLimits,
  message: { readonly bytes: Buffer; readonly sizeExceeded: boolean; readonly session: SMTPServerSession },
): Promise<string> {
  const { bytes, sizeExceeded, session } = message;
  const mailFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
  const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
  const defaults = options.accounts[accountName(session)]?.defaults ?? {};
  const decision = readSubmittedMessage({ bytes, sizeExceeded, mailFrom, recipients, defaults }, options.pools, limits);
  if (!decision.ok) throw replyError(decision.reply);
  let ids: readonly string[];
  try {
    ids = await options.enqueue([decision.input]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw replyError({
      code: 451,
      enhanced: '4.3.0',
      lines: [`the message was not queued (${reason}); nothing was accepted, try again later`],
    });
  }
  return `2.0.0 queued as ${ids[0] ?? '?'} for ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}`;
}

/**
 * MAIL FROM: the sender's address must read, and the engine's admission budget must have room
 * (452 4.3.1 when it has none); the place taken is held until the transaction ends.
 */
function openTransaction(options: SubmissionOptions, mailFrom: string, session: SMTPServerSession): Error | undefined {
  const refusal = mailFromReply(mailFrom);
  if (refusal !== null) return replyError(refusal);
  const entered = options.admission?.enter();
  if (entered?.admitted === false) {
    const lines = [`insufficient system storage: ${entered.reason}; try again later`];
    return replyError({ code: 452, enhanced: '4.3.1', lines });
  }
  if (entered !== undefined) holdTicket(session, entered.ticket);
  return undefined;
}

/** The admission place a transaction holds from MAIL FROM to its end (or the connection's). */
const tickets = new Map<string, AdmissionTicket>();

function holdTicket(session: SMTPServerSession, ticket: AdmissionTicket): void {
  tickets.get(session.id)?.leave();
  tickets.set(session.id, ticket);
}

function releaseTicket(session: SMTPServerSession): void {
  takeTicket(session)?.leave();
}

/** The place the session's transaction holds, now owned by the caller. */
function takeTicket(session: SMTPServerSession): AdmissionTicket | undefined {
  const ticket = tickets.get(session.id);
  tickets.delete(session.id);
  return ticket;
}

/** An account whose default pool does not exist would refuse all its mail: say so at start. */
function checkAccounts(accounts: SubmissionAccounts, pools: ReadonlySet<string>): void {
  const problems = Object.entries(accounts)
    .filter(([, account]) => account.defaults?.pool !== undefined && !pools.has(account.defaults.pool))
    .map(
      ([user, account]) =>
        `accounts.${user}.defaults.pool: unknown pool "${account.defaults?.pool ?? ''}" (known: ${[...pools].join(', ') || 'none'})`,
    );
  if (problems.length > 0) throw new RangeError(`the submission listener cannot start: ${problems.join('; ')}`);
}
