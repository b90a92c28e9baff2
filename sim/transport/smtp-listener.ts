/**
 * Wire mode's receiving side: a Receiver served over real SMTP by smtp-server, on a loopback
 * address. This file is the only place that turns an `SmtpReply` into smtp-server's
 * error-with-responseCode, so it alone minds the two pitfalls of STYLE.md §1.1:
 *
 * - `hideENHANCEDSTATUSCODES` stays true (smtp-server's default). Otherwise smtp-server adds an
 *   enhanced code derived from the basic one (550 → 5.1.1) to hook errors, and a policy block
 *   would read as an unknown user. The receiver's own enhanced code is written at the start of
 *   the text instead, which is where clients (and the engine's parseReply) look for it.
 * - Hook errors can produce only one reply line, so multi-line provider texts are folded into
 *   one line (lines joined by a space). The words are the provider's; only the line breaks go.
 *
 * smtp-server closes the connection itself after any 421 reply, which is what a receiver's
 * `session.closing` asks for.
 */
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { isLoopbackIpv4, isPositive, listenSmtp, replyText } from '../../kernel/index.ts';
import type { Scheduler, SmtpReply } from '../../kernel/index.ts';
import type { Fleet } from '../receivers/fleet.ts';
import type { BenchCa, TlsMaterial } from '../tls/bench-ca.ts';
import type { ArrivingMessage, Receiver, ReceiverSession } from '../receivers/receiver.ts';

export interface ListenerOptions {
  /** A 127.0.0.0/8 address; anything else is refused. */
  readonly address: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Offer STARTTLS with this certificate; clear text only when absent. */
  readonly tls?: TlsMaterial;
  /** Real (or scaled) time for what a fault makes the peer wait: slow banners, hung DATA. */
  readonly scheduler?: Scheduler;
  /** How long a hung DATA hangs before the connection is cut. @defaultValue 30 s */
  readonly hangMs?: number;
}

export interface Listener {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface Route {
  readonly address: string;
  readonly port: number;
}

export interface FleetListeners {
  /** Where each MX host of the fleet listens. */
  readonly routes: ReadonlyMap<string, Route>;
  close(): Promise<void>;
}

/** An smtp-server hook error carrying the receiver's reply. */
function replyError(smtpReply: SmtpReply): Error & { responseCode: number } {
  const enhanced = smtpReply.enhanced === null ? '' : `${smtpReply.enhanced} `;
  return Object.assign(new Error(`${enhanced}${replyText(smtpReply)}`), { responseCode: smtpReply.code });
}

export async function startListener(receiver: Receiver, options: ListenerOptions): Promise<Listener> {
  if (!isLoopbackIpv4(options.address)) {
    throw new RangeError(`listeners bind loopback only (127.0.0.0/8); refusing ${options.address}`);
  }
  const sessions = new Map<string, ReceiverSession>();
  const sessionOf = (smtpSession: SMTPServerSession): ReceiverSession => {
    const session = sessions.get(smtpSession.id);
    if (session === undefined) throw new Error(`smtp-server session ${smtpSession.id} has no receiver session`);
    // smtp-server has no HELO hook: the name is passed on at the first command that needs it.
    const heloName = typeof smtpSession.hostNameAppearsAs === 'string' ? smtpSession.hostNameAppearsAs : '';
    if (heloName !== session.heloName) receiver.helo(session, heloName);
    return session;
  };
  const scheduler = options.scheduler;
  const later = (delayMs: number, task: () => void): void => {
    if (scheduler === undefined || delayMs <= 0) task();
    else scheduler.at(scheduler.now() + delayMs, task);
  };
  const server = new SMTPServer({
    name: receiver.identity.hostname,
    size: receiver.identity.maxMessageBytes,
    ...(options.tls === undefined
      ? { disabledCommands: ['STARTTLS', 'AUTH'] }
      : { disabledCommands: ['AUTH'], key: options.tls.key, cert: options.tls.cert }),
    authOptional: true,
    disableReverseLookup: true,
    hideENHANCEDSTATUSCODES: true,
    logger: false,
    // A run closes its sender first; a client still connected after a second is cut off.
    closeTimeout: 1_000,
    onConnect(smtpSession, callback) {
      guarded(smtpSession, callback, () => {
        const opened = receiver.open({ peerIp: smtpSession.remoteAddress });
        if (opened.session === null || !isPositive(opened.reply)) {
          callback(replyError(opened.reply));
          return;
        }
        sessions.set(smtpSession.id, opened.session);
        later(opened.delayMs ?? 0, () => {
          callback();
        });
      });
    },
    onSecure(_socket, smtpSession, callback) {
      guarded(smtpSession, callback, () => {
        const session = sessions.get(smtpSession.id);
        if (session !== undefined) receiver.startTls?.(session);
        callback();
      });
    },
    onMailFrom(address, smtpSession, callback) {
      guarded(smtpSession, callback, () => {
        const session = sessionOf(smtpSession);
        receiver.reset(session);
        const answer = receiver.mailFrom(session, address.address);
        callback(isPositive(answer) ? undefined : replyError(answer));
      });
    },
    onRcptTo(address, smtpSession, callback) {
      guarded(smtpSession, callback, () => {
        const answer = receiver.rcptTo(sessionOf(smtpSession), address.address);
        callback(isPositive(answer) ? undefined : replyError(answer));
      });
    },
    onData(stream: SMTPServerDataStream, smtpSession, callback) {
      // A fault may cut the connection while the client is still sending.
      const cutNow = guarded(smtpSession, callback, () => {
        const session = sessionOf(smtpSession);
        if (receiver.dataBegins?.(session) !== 'drop') return false;
        socketOf(smtpSession)?.destroy();
        return true;
      });
      if (cutNow !== false) {
        stream.resume();
        return;
      }
      // The receiver's SIZE is enforced as it is advertised: past it nothing more is kept
      // (a 600 MB message costs its first 25 MB, not 600), and the answer is the receiver's 552.
      const sizeMax = receiver.identity.maxMessageBytes;
      let chunks: Buffer[] = [];
      let received = 0;
      stream.on('data', (chunk: Buffer) => {
        received += chunk.byteLength;
        if (received <= sizeMax) chunks.push(chunk);
        else chunks = [];
      });
      stream.once('error', () => (chunks = []));
      const answerData = (message: ArrivingMessage): void => {
        guarded(smtpSession, callback, () => {
          const session = sessionOf(smtpSession);
          const answer = receiver.data(session, message);
          receiver.reset(session);
          if (session.fault !== 'none') {
            // A fault: no reply. `drop` cuts at once; `timeout` hangs first, as a stuck server does.
            const socket = socketOf(smtpSession);
            later(session.fault === 'timeout' ? (options.hangMs ?? 30_000) : 0, () => {
              socket?.destroy();
            });
            return;
          }
          if (isPositive(answer)) {
            const enhanced = answer.enhanced === null ? '' : `${answer.enhanced} `;
            callback(null, `${enhanced}${replyText(answer)}`);
          } else {
            callback(replyError(answer));
          }
        });
      };
      stream.on('end', () => {
        const tooLarge = received > sizeMax || stream.sizeExceeded;
        const arrived: ArrivingMessage = {
          data: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'),
          sizeBytes: received,
        };
        chunks = [];
        // Authentication by a real verifier resolves over promises: the receiver does it before it answers.
        const prepare = receiver.prepareData?.bind(receiver);
        const prepared = Promise.resolve().then(() =>
          tooLarge || prepare === undefined ? arrived : prepare(sessionOf(smtpSession), arrived),
        );
        prepared.then(answerData, (error: unknown) =>
          guarded(smtpSession, callback, () => {
            throw error;
          }),
        );
      });
    },
    onClose(smtpSession) {
      const session = sessions.get(smtpSession.id);
      if (session === undefined) return;
      sessions.delete(smtpSession.id);
      receiver.close(session);
    },
  });
  // smtp-server hands hooks no socket; faults that cut a connection find it by peer address and port.
  const sockets = new Map<string, Socket>();
  const socketOf = (smtpSession: SMTPServerSession): Socket | undefined =>
    sockets.get(`${smtpSession.remoteAddress}:${smtpSession.remotePort}`);
  /**
   * Runs a hook's work so that nothing a peer sends can bring the fleet down: an error in one
   * session is answered 451 4.3.0 and ends that session only (the other receivers and sessions
   * go on). A bug this catches is still a bug: it is reported on stderr with the session.
   */
  const guarded = <T>(
    smtpSession: SMTPServerSession,
    callback: (error?: Error | null) => void,
    work: () => T,
  ): T | undefined => {
    try {
      return work();
    } catch (error) {
      console.error(`mailbench fleet: ${receiver.identity.id} session ${smtpSession.id} failed and was closed:`, error);
      callback(
        Object.assign(new Error('4.3.0 local error in processing; closing the connection'), { responseCode: 421 }),
      );
      return undefined;
    }
  };
  server.server.on('connection', (socket: Socket) => {
    const key = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`;
    sockets.set(key, socket);
    socket.once('close', () => sockets.delete(key));
  });
  const listening = await listenSmtp(server, {
    address: options.address,
    port: options.port,
    name: 'receiver listener',
  });
  return {
    address: options.address,
    port: listening.port,
    close: () => listening.close(),
  };
}

export interface FleetListenerOptions {
  /** Each receiver offers STARTTLS with a leaf from this CA naming its MX hosts. */
  readonly ca?: BenchCa;
  readonly scheduler?: Scheduler;
}

/** Certificates name at most this many hosts; gateways with thousands of tenants get wildcards first. */
const SAN_LIMIT = 200;

/** The names a receiver's certificate carries: a wildcard per parent domain, then exact hosts. */
export function certificateNames(mxHosts: readonly string[]): string[] {
  const wildcards = new Set<string>();
  for (const host of mxHosts) {
    const dot = host.indexOf('.');
    if (dot > 0 && host.slice(dot + 1).includes('.')) wildcards.add(`*.${host.slice(dot + 1)}`);
  }
  return [...new Set([...wildcards, ...mxHosts])].slice(0, SAN_LIMIT);
}

/** One listener per receiver, on the address its MX hosts resolve to. */
export async function startFleetListeners(fleet: Fleet, options: FleetListenerOptions = {}): Promise<FleetListeners> {
  const listeners: Listener[] = [];
  const routes = new Map<string, Route>();
  try {
    for (const receiver of fleet.receivers) {
      const offersTls = options.ca !== undefined && receiver.ehloExtensions?.includes('STARTTLS') === true;
      const tls = offersTls
        ? await options.ca?.issue(certificateNames([receiver.identity.hostname, ...receiver.identity.mxHosts]))
        : undefined;
      const listener = await startListener(receiver, {
        address: fleet.addressOf(receiver.identity.id),
        ...(tls === undefined ? {} : { tls }),
        ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
      });
      listeners.push(listener);
      for (const mxHost of receiver.identity.mxHosts)
        routes.set(mxHost.toLowerCase(), { address: listener.address, port: listener.port });
    }
  } catch (error) {
    await Promise.all(listeners.map((listener) => listener.close()));
    throw error;
  }
  return {
    routes,
    close: async () => {
      await Promise.all(listeners.map((listener) => listener.close()));
    },
  };
}
