/**
 * Binding an HTTP server the way every engine API must (DESIGN rule 6: loopback only): the
 * address is checked before anything listens, the port may be ephemeral, and `close` ends
 * kept-alive connections too, so a test or a run never hangs on shutdown.
 */
import type { Server, ServerResponse } from 'node:http';
import { isLoopbackIpv4 } from '../../../kernel/index.ts';

/** A listening API: where it is and how to stop it. */
export interface LoopbackListener {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Throws a `RangeError` naming the API and the address unless it is in 127.0.0.0/8. */
export function assertLoopbackAddress(address: string, apiName: string): void {
  if (!isLoopbackIpv4(address))
    throw new RangeError(`the ${apiName} binds loopback only (127.0.0.0/8); refusing ${address}`);
}

/** Listens on `address:port` (port 0: ephemeral) after `assertLoopbackAddress`; resolves once bound. */
export async function listenOnLoopback(
  server: Server,
  options: { readonly address: string; readonly port?: number | undefined; readonly apiName: string },
): Promise<LoopbackListener> {
  assertLoopbackAddress(options.address, options.apiName);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error(`the ${options.apiName} has no TCP address`);
  // Requests being answered: a close lets them finish (a client whose 202 was cut off would
  // send its mail again), and ends idle kept-alive connections at once.
  let active = 0;
  let drained: (() => void) | null = null;
  server.on('request', (_request, response: ServerResponse) => {
    active++;
    response.once('close', () => {
      active--;
      if (active === 0) drained?.();
    });
  });
  return {
    address: options.address,
    port: bound.port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (active > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          // Bounded: a client that never reads its answer does not hold the engine up.
          setTimeout(resolve, CLOSE_GRACE_MS).unref();
        });
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

/** How long a close waits for requests under way to be answered. */
const CLOSE_GRACE_MS = 10_000;
