/**
 * What one receiver's listener hooks share: the receiver sessions by smtp-server session, the
 * sockets by peer (smtp-server hands hooks no socket, and a fault that cuts a connection must
 * find it), the clock for what a fault makes the peer wait, and the guard that keeps an error in
 * one session from bringing the fleet down.
 */
import type { Socket } from 'node:net';
import type { SMTPServerSession } from 'smtp-server';
import type { Scheduler } from '../../kernel/index.ts';
import type { Receiver, ReceiverSession } from '../receivers/receiver.ts';

export class ListenerSessions {
  private readonly sessions = new Map<string, ReceiverSession>();
  private readonly sockets = new Map<string, Socket>();

  constructor(
    readonly receiver: Receiver,
    private readonly scheduler: Scheduler | undefined,
  ) {}

  opened(smtpSession: SMTPServerSession, session: ReceiverSession): void {
    this.sessions.set(smtpSession.id, session);
  }

  /** The receiver's session; smtp-server has no HELO hook, so the name is passed on at the first command that needs it. */
  sessionOf(smtpSession: SMTPServerSession): ReceiverSession {
    const session = this.sessions.get(smtpSession.id);
    if (session === undefined) throw new Error(`smtp-server session ${smtpSession.id} has no receiver session`);
    const heloName = typeof smtpSession.hostNameAppearsAs === 'string' ? smtpSession.hostNameAppearsAs : '';
    if (heloName !== session.heloName) this.receiver.helo(session, heloName);
    return session;
  }

  /** The session, if the greeting opened one (after TLS, before any command). */
  find(smtpSession: SMTPServerSession): ReceiverSession | undefined {
    return this.sessions.get(smtpSession.id);
  }

  closed(smtpSession: SMTPServerSession): void {
    const session = this.sessions.get(smtpSession.id);
    if (session === undefined) return;
    this.sessions.delete(smtpSession.id);
    this.receiver.close(session);
  }

  /** Runs `task` after `delayMs` of the run's clock (at once without a clock, or with no delay). */
  later(delayMs: number, task: () => void): void {
    if (this.scheduler === undefined || delayMs <= 0) task();
    else this.scheduler.at(this.scheduler.now() + delayMs, task);
  }

  track(socket: Socket): void {
    const key = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`;
    this.sockets.set(key, socket);
    socket.once('close', () => this.sockets.delete(key));
  }

  socketOf(smtpSession: SMTPServerSession): Socket | undefined {
    return this.sockets.get(`${smtpSession.remoteAddress}:${smtpSession.remotePort}`);
  }

  /**
   * Runs a hook's work so that nothing a peer sends can bring the fleet down: an error in one
   * session is answered 421 4.3.0 and ends that session only (the other receivers and sessions
   * go on). A bug this catches is still a bug: it is reported on stderr with the session.
   */
  guarded<T>(smtpSession: SMTPServerSession, callback: (error?: Error | null) => void, work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      console.error(
        `mailbench fleet: ${this.receiver.identity.id} session ${smtpSession.id} failed and was closed:`,
        error,
      );
      callback(
        Object.assign(new Error('4.3.0 local error in processing; closing the connection'), { responseCode: 421 }),
      );
      return undefined;
    }
  }
}
