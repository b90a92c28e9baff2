/**
 * `mailbench engine start --config FILE.json`: runs the reference engine as a service until
 * SIGINT or SIGTERM. When it is ready it prints one JSON line (where each listener is, what it
 * recovered from the spool) and then `ready`, so a script or a test can wait for it.
 */
import { parseArgs } from 'node:util';
import { ServiceConfigError, loadServiceConfig } from '../mta-under-test/reference/service/service-config.ts';
import { startEngineService } from '../mta-under-test/reference/service/engine-service.ts';

export async function runEngineService(argv: readonly string[]): Promise<number> {
  let configPath: string | undefined;
  let seed: string | undefined;
  try {
    const { values } = parseArgs({ args: [...argv], strict: true, options: { config: { type: 'string' }, seed: { type: 'string' } } });
    configPath = values.config;
    seed = values.seed;
  } catch (error) {
    console.error(`mailbench engine start: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (configPath === undefined) {
    console.error('mailbench engine start: --config FILE.json is required (the spool and log folders, listeners, sources, pools, shaping, DNS)');
    return 2;
  }
  let config;
  try {
    config = loadServiceConfig(configPath);
  } catch (error) {
    if (error instanceof ServiceConfigError) {
      console.error(`mailbench engine start: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const service = await startEngineService(config, seed === undefined ? {} : { seed });
  const where = (listener: { address: string; port: number } | null) => (listener === null ? null : `${listener.address}:${listener.port}`);
  console.log(JSON.stringify({ http: where(service.http), admin: where(service.admin), submission: where(service.submission), inbound: where(service.inbound), recovered: service.recovered, spool: config.spoolDir, accounting: config.accountingDir }));
  console.log('ready');
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await service.close();
  console.error('mailbench engine: stopped; the spool keeps what was not final.');
  return 0;
}
