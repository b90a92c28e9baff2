/**
 * A raw SMTP client on a TCP socket, for tests that speak to a listener the way an abusive or
 * broken peer would: commands one at a time, the reply read whole (multi-line replies joined
 * with \n), and a body streamed with backpressure so that hundreds of megabytes cost the test
 * nothing. No SMTP library stands in between, so what the listener sends is what is asserted.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';

export interface RawSmtp {
  readonly socket: Socket;
  /** Waits for the next whole reply (all its lines). */
  reply(): Promise<string>;
  /** Sends one command line and waits for its reply. */
  command(line: string): Promise<string>;
  /** Writes bytes as they come, minding backpressure. */
  stream(chunks: Iterable<Buffer>): Promise<void>;
  /** Resolves when the peer closed the connection. */
  readonly closed: Promise<void>;
  end(): void;
}

export async function rawSmtp(options: {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
}): Promise<RawSmtp> {
  const socket = connect({
    host: options.host,
    port: options.port,
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
  });
  socket.on('error', () => undefined);
  let buffered = '';
  const waiting: ((reply: string) => void)[] = [];
  const replies: string[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    // A reply ends at a line whose code is followed by a space (RFC 5321 §4.2.1).
    for (let match = /^(\d{3}) .*\r\n/m.exec(buffered); match !== null; match = /^(\d{3}) .*\r\n/m.exec(buffered)) {
      const end = match.index + match[0].length;
      const text = buffered.slice(0, end).replace(/\r\n$/, '').split('\r\n').join('\n');
      buffered = buffered.slice(end);
      const next = waiting.shift();
      if (next === undefined) replies.push(text);
      else next(text);
    }
  });
  socket.once('close', () => {
    for (const next of waiting.splice(0)) next('(closed)');
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const reply = (): Promise<string> => {
    const ready = replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (socket.destroyed) return Promise.resolve('(closed)');
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    socket,
    reply,
    command: (line) => {
      const answer = reply();
      socket.write(`${line}\r\n`);
      return answer;
    },
    stream: async (chunks) => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        if (!socket.write(chunk))
          await new Promise<void>((resolve) => socket.once('drain', () => resolve()).once('close', () => resolve()));
      }
    },
    closed,
    end: () => socket.end(),
  };
}

/** `count` chunks of `bytes` each, of 76-character lines: a large body without large memory. */
export function* bodyChunks(count: number, bytes = 1024 * 1024): Generator<Buffer> {
  const line = `${'x'.repeat(76)}\r\n`;
  const chunk = Buffer.from(line.repeat(Math.floor(bytes / line.length)));
  for (let index = 0; index < count; index++) yield chunk;
}
