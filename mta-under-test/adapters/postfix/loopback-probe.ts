/**
 * Two small loopback helpers for starting an instance: a free port to give its smtpd, and a
 * bounded wait until that smtpd greets with 220 (Postfix's start returns once the master is
 * up, a moment before its listener accepts).
 */
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoopbackRoute } from '../mta-under-test.ts';
import { wallClockMs } from '../../../kernel/index.ts';
import { PostfixAdapterError } from './errors.ts';

/** A port nobody listens on at `address` right now (the OS picks it). */
export function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const bound = server.address();
      const port = bound !== null && typeof bound === 'object' ? bound.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`no port bound on ${address}`))));
    });
  });
}

/** One try: connect, read the first line, say QUIT. */
function greeting(route: LoopbackRoute, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: route.address, port: route.port });
    let received = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('no greeting in time')));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\n');
      if (end < 0) return;
      socket.end('QUIT\r\n');
      resolve(received.slice(0, end).trim());
    });
  });
}

/** Resolves with the 220 greeting once the listener gives one; E_POSTFIX_TIMEOUT after `timeoutMs`. */
export async function waitForGreeting(route: LoopbackRoute, timeoutMs: number, hint: string): Promise<string> {
  const deadline = wallClockMs() + timeoutMs;
  let last = 'no answer';
  while (wallClockMs() < deadline) {
    try {
      const line = await greeting(route, Math.max(100, deadline - wallClockMs()));
      if (line.startsWith('220')) return line;
      last = line;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new PostfixAdapterError(
    'E_POSTFIX_TIMEOUT',
    `Postfix's smtpd at ${route.address}:${route.port} gave no 220 within ${timeoutMs} ms (last: ${last})`,
    hint,
  );
}
