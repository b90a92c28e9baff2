/**
 * Starting an smtp-server on a loopback address, the same way for every listener of the bench
 * (receivers, the return-path inbox, the engine's submission and inbound listeners): bind, learn
 * the port, keep the server alive when a peer resets a connection, close politely.
 */
import type { SMTPServer } from 'smtp-server';
import { isLoopbackIpv4 } from './loopback.ts';

export interface SmtpListening {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `address:port` (0: an ephemeral port); refuses any address outside 127.0.0.0/8. */
export async function listenSmtp(
  server: SMTPServer,
  options: { readonly address: string; readonly port?: number | undefined; readonly name: string },
): Promise<SmtpListening> {
  if (!isLoopbackIpv4(options.address))
    throw new RangeError(`the ${options.name} binds loopback only (127.0.0.0/8); refusing ${options.address}`);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address, () => {
      server.off('error', reject);
      // smtp-server re-emits a peer's socket errors (a sender killed mid-TLS resets the
      // connection) on the server; the connection is already gone, and a listener does not
      // fall over because one peer vanished.
      server.on('error', () => undefined);
      resolve();
    });
  });
  const bound = server.server.address();
  if (bound === null || typeof bound === 'string')
    throw new Error(`the ${options.name} on ${options.address} has no TCP address`);
  return {
    address: options.address,
    port: bound.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
