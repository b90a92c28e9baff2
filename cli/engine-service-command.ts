/**
 * `mailbench engine start [--config FILE.json] [--spool DIR]`: runs the reference engine as a
 * service until SIGINT or SIGTERM. When it is ready it prints one JSON line (where each listener
 * is, what it recovered from the spool) and then `ready`, so a script or a test can wait for it.
 *
 * Without --config it starts with defaults around --spool DIR (service-config.ts
 * `defaultServiceConfigInput`); with both, --spool overrides the file's spool folder. A spool
 * another engine holds, a taken port or a bad file is one line on stderr and exit 2, with
 * nothing read, deleted or left listening.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  defaultServiceConfigInput,
  loadServiceConfig,
  resolveServiceConfig,
  ServiceConfigError,
  SpoolLockedError,
  startEngineService,
} from '../mta-under-test/index.ts';
import type { EngineService, ServiceConfig } from '../mta-under-test/index.ts';
import { ENGINE_START_HELP } from './help.ts';
import { isAddressInUse } from './listen-errors.ts';

/** Set to `1` by a parent that wants the service to stop when the parent ends (its stdin closes). */
export const STOP_WITH_PARENT_VARIABLE = 'MAILBENCH_STOP_WITH_PARENT';

const EXIT_OK = 0;
const EXIT_USAGE = 2;

function fail(message: string): number {
  console.error(`mailbench engine start: ${message}`);
  return EXIT_USAGE;
}

/** The configuration the command line names, or the message of why there is none. */
function configFrom(configPath: string | undefined, spool: string | undefined): ServiceConfig | string {
  if (configPath === undefined && spool === undefined)
    return `give --config FILE.json, or --spool DIR to start with defaults\n\n${ENGINE_START_HELP}`;
  try {
    if (configPath === undefined)
      return resolveServiceConfig(
        defaultServiceConfigInput(resolve(spool as string)),
        process.cwd(),
        'the default configuration',
      );
    const config = loadServiceConfig(configPath);
    return spool === undefined ? config : { ...config, spoolDir: resolve(spool) };
  } catch (error) {
    if (error instanceof ServiceConfigError) return error.message;
    throw error;
  }
}

/** Starts the service, or says in one line why it cannot. */
async function start(config: ServiceConfig, seed: string | undefined): Promise<EngineService | string> {
  try {
    return await startEngineService(config, seed === undefined ? {} : { seed });
  } catch (error) {
    if (error instanceof SpoolLockedError) return error.message;
    if (isAddressInUse(error))
      return `${error.address ?? config.listenAddress}:${error.port ?? '?'} is already in use (EADDRINUSE): another process listens there; choose other ports in the configuration`;
    throw error;
  }
}

export async function runEngineService(argv: readonly string[]): Promise<number> {
  let values: { config?: string | undefined; spool?: string | undefined; seed?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: { config: { type: 'string' }, spool: { type: 'string' }, seed: { type: 'string' } },
    }));
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const config = configFrom(values.config, values.spool);
  if (typeof config === 'string') return fail(config);
  const service = await start(config, values.seed);
  if (typeof service === 'string') return fail(service);
  const where = (listener: { address: string; port: number } | null) =>
    listener === null ? null : `${listener.address}:${listener.port}`;
  console.log(
    JSON.stringify({
      http: where(service.http),
      admin: where(service.admin),
      submission: where(service.submission),
      inbound: where(service.inbound),
      recovered: service.recovered,
      spool: config.spoolDir,
      accounting: config.accountingDir,
    }),
  );
  console.log('ready');
  // Started by a bench adapter (engine-service-process.ts): the end of its parent, seen as stdin
  // closing, is a stop too, so a parent killed mid-run (a test timing out) leaves no engine behind.
  const stopWithParent = process.env[STOP_WITH_PARENT_VARIABLE] === '1';
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stdin.off('end', stop);
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (stopWithParent) {
      process.stdin.once('end', stop);
      process.stdin.resume();
    }
  });
  if (stopWithParent) process.stdin.destroy();
  await service.close();
  console.error(
    'mailbench engine: stopped; transactions under way were finished, and the spool keeps what is not final.',
  );
  return EXIT_OK;
}
