/**
 * DATA on the wire: the body is taken up to the receiver's SIZE, a real verifier (mailauth)
 * authenticates it when the receiver asks to (`prepareData`), then the receiver answers, or a
 * fault cuts or hangs the connection with no answer at all.
 */
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { isPositive, replyText } from '../../kernel/index.ts';
import type { ArrivingMessage } from '../receivers/receiver.ts';
import { replyError } from './listener-replies.ts';
import type { ListenerSessions } from './listener-sessions.ts';

type DataCallback = (error?: Error | null, message?: string) => void;

export function receiveData(
  hooks: ListenerSessions,
  stream: SMTPServerDataStream,
  smtpSession: SMTPServerSession,
  callback: DataCallback,
  hangMs: number,
): void {
  const { receiver } = hooks;
  // A fault may cut the connection while the client is still sending.
  const cutNow = hooks.guarded(smtpSession, callback, () => {
    if (receiver.dataBegins?.(hooks.sessionOf(smtpSession)) !== 'drop') return false;
    hooks.socketOf(smtpSession)?.destroy();
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
      tooLarge || prepare === undefined ? arrived : prepare(hooks.sessionOf(smtpSession), arrived),
    );
    prepared.then(
      (message) => answerData(hooks, smtpSession, callback, message, hangMs),
      (error: unknown) =>
        hooks.guarded(smtpSession, callback, () => {
          throw error;
        }),
    );
  });
}

/** The receiver's answer to the message, or, for a fault, none: `drop` cuts at once, `timeout` hangs first. */
function answerData(
  hooks: ListenerSessions,
  smtpSession: SMTPServerSession,
  callback: DataCallback,
  message: ArrivingMessage,
  hangMs: number,
): void {
  hooks.guarded(smtpSession, callback, () => {
    const session = hooks.sessionOf(smtpSession);
    const answer = hooks.receiver.data(session, message);
    hooks.receiver.reset(session);
    if (session.fault !== 'none') {
      const socket = hooks.socketOf(smtpSession);
      hooks.later(session.fault === 'timeout' ? hangMs : 0, () => {
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
}
