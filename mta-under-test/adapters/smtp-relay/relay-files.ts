/**
 * The run's environment written where an MTA configured by hand or by script can read it, in
 * the adapter's work dir:
 *
 * - `environment.json`: routes (recipient domain → loopback address and port), the egress
 *   identities (source address, EHLO name) and the return-path listener;
 * - `transport`: the routes as a Postfix transport_maps table (`domain smtp:[address]:port`),
 *   the format most MTAs' routing tables can be written from.
 *
 * The fleet's ports are chosen when the run starts, so an MTA under test reads them from here
 * (or from the environment `prepare` gets) rather than from any fixed configuration.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MtaEnvironment } from '../mta-under-test.ts';

export const ENVIRONMENT_FILE = 'environment.json';
export const TRANSPORT_FILE = 'transport';

export function writeRelayFiles(environment: MtaEnvironment): void {
  const routes = [...environment.routes.entries()].sort(([a], [b]) => a.localeCompare(b));
  const described = {
    routes: Object.fromEntries(routes.map(([domain, route]) => [domain, { address: route.address, port: route.port }])),
    egress: environment.egress,
    returnPath: { address: environment.returnPath.address, port: environment.returnPath.port },
    clockScale: environment.clockScale,
  };
  writeFileSync(join(environment.workDir, ENVIRONMENT_FILE), `${JSON.stringify(described, null, 2)}\n`);
  writeFileSync(
    join(environment.workDir, TRANSPORT_FILE),
    routes.map(([domain, route]) => `${domain} smtp:[${route.address}]:${route.port}\n`).join(''),
  );
}
