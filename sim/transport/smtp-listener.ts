/**
 * Wire mode's receiving side: a Receiver served over real SMTP by smtp-server, on a loopback
 * address, verb by verb (the hooks share listener-sessions.ts; DATA is listener-data.ts). A
 * reply becomes smtp-server's error-with-responseCode in listener-replies.ts only, which says
 * how it minds the two pitfalls of STYLE.md §1.1.
 *
 * smtp-server closes the connection itself after any 421 reply, which is what a receiver's
 * `session.closing` asks for.
 */
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream } from 'smtp-server';
import { isLoopbackIpv4, isPositive, listenSmtp } from '../../kernel/index.ts';
import type { Scheduler } from '../../kernel/index.ts';
import type { Fleet } from '../receivers/fleet.ts';
import type { BenchCa, TlsMaterial } from '../tls/bench-ca.ts';
import type { Receiver } from '../receivers/receiver.ts';
import { receiveData } from './listener-data.ts';
import { replyError } from './listener-replies.ts';
import { ListenerSessions } from './listener-sessions.ts';

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

export async function startListener(receiver: Receiver, options: ListenerOptions): Promise<Listener> {
  if (!isLoopbackIpv4(options.address)) {
    throw new RangeError(`listeners bind loopback only (127.0.0.0/8); refusing ${options.address}`);
  }
  const hooks = new ListenerSessions(receiver, options.scheduler);
  const server = new SMTPServer({
    name: receiver.identity.hostname,
    size: receiver.identity.maxMessageBytes,
    ...(options.tls === undefined
      ? { disabledCommands: ['STARTTLS', 'AUTH'] }
      : { disabledCommands: ['AUTH'], key: options.tls.key, cert: options.tls.cert }),
    authOptional: true,
    disableReverseLookup: true,
    // listener-replies.ts writes the receiver's own enhanced code: smtp-server must not add one.
    hideENHANCEDSTATUSCODES: true,
    logger: false,
    // A run closes its sender first; a client still connected after a second is cut off.
    closeTimeout: 1_000,
    onConnect(smtpSession, callback) {
      hooks.guarded(smtpSession, callback, () => {
        const opened = receiver.open({ peerIp: smtpSession.remoteAddress });
        if (opened.session === null || !isPositive(opened.reply)) {
          callback(replyError(opened.reply));
          return;
        }
        hooks.opened(smtpSession, opened.session);
        hooks.later(opened.delayMs ?? 0, () => {
          callback();
        });
      });
    },
    onSecure(_socket, smtpSession, callback) {
      hooks.guarded(smtpSession, callback, () => {
        const session = hooks.find(smtpSession);
        if (session !== undefined) receiver.startTls?.(session);
        callback();
      });
    },
    onMailFrom(address, smtpSession, callback) {
      hooks.guarded(smtpSession, callback, () => {
        const session = hooks.sessionOf(smtpSession);
        receiver.reset(session);
        const answer = receiver.mailFrom(session, address.address);
        callback(isPositive(answer) ? undefined : replyError(answer));
      });
    },
    onRcptTo(address, smtpSession, callback) {
      hooks.guarded(smtpSession, callback, () => {
        const answer = receiver.rcptTo(hooks.sessionOf(smtpSession), address.address);
        callback(isPositive(answer) ? undefined : replyError(answer));
      });
    },
    onData(stream: SMTPServerDataStream, smtpSession, callback) {
      receiveData(hooks, stream, smtpSession, callback, options.hangMs ?? 30_000);
    },
    onClose(smtpSession) {
      hooks.closed(smtpSession);
    },
  });
  server.server.on('connection', (socket: Socket) => hooks.track(socket));
  const listening = await listenSmtp(server, {
    address: options.address,
    port: options.port,
    name: 'receiver listener',
  });
  return { address: options.address, port: listening.port, close: () => listening.close() };
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
