/**
 * Asks an SMTP server what it offers (RFC 5321 §4.1.1.1: the EHLO reply's keywords) before the
 * bench relies on any of it. nodemailer drops DSN parameters silently when a server does not
 * offer DSN, and the smtp-relay adapter learns deliveries only from success DSNs, so it must
 * know up front: a relay without DSN is refused at start, with that said.
 */
import { connect } from 'node:net';

const PROBE_TIMEOUT_MS = 10_000;

/** One complete reply (the line `ddd ` ends it), or undefined if more is to come. */
function completeReply(buffer: string): { code: number; lines: string[] } | undefined {
  const lines = buffer.split('\r\n');
  const last = lines.findIndex((line) => /^\d{3} /.test(line) || /^\d{3}$/.test(line));
  if (last === -1) return undefined;
  return { code: Number(lines[last]?.slice(0, 3)), lines: lines.slice(0, last + 1).map((line) => line.slice(4)) };
}

/** The upper-cased EHLO keywords of the server at `address:port` (`DSN`, `PIPELINING`, `SIZE` …). */
export function ehloKeywords(address: string, port: number, heloName: string): Promise<readonly string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port, localAddress: '127.0.0.1' });
    let buffer = '';
    let stage: 'greeting' | 'ehlo' = 'greeting';
    const fail = (why: string): void => {
      socket.destroy();
      reject(new Error(`EHLO probe of ${address}:${port}: ${why}`));
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => fail(`no answer within ${PROBE_TIMEOUT_MS} ms`));
    socket.on('error', (error) => fail(error.message));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const reply = completeReply(buffer);
      if (reply === undefined) return;
      buffer = '';
      if (stage === 'greeting') {
        if (reply.code !== 220) return fail(`greeting ${reply.code} ${reply.lines.join(' ')}`);
        stage = 'ehlo';
        socket.write(`EHLO ${heloName}\r\n`);
        return;
      }
      if (reply.code !== 250) return fail(`EHLO answered ${reply.code} ${reply.lines.join(' ')}`);
      socket.end('QUIT\r\n');
      // The first line is the server's name; each later line starts with a keyword.
      resolve(reply.lines.slice(1).map((line) => (line.split(/\s+/)[0] ?? '').toUpperCase()));
    });
  });
}
