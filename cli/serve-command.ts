/**
 * `mailbench serve`: the scenario's fleet of receivers on loopback, with its DNS table, CA and
 * inbox written out, until Ctrl-C, SIGTERM or --for runs out; for pointing a real MTA at it.
 */
import { join, resolve } from 'node:path';
import { startServing } from '../runner/index.ts';
import type { Serving } from '../runner/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';
import { UsageError } from './command-io.ts';
import { prepareOutputFolder } from './output-path.ts';
import { scenarioNamed } from './scenario-named.ts';
const SERVE_FOR_MAX_MS = 24 * 3_600_000;

/** Serves the scenario's fleet until Ctrl-C, SIGTERM or --for runs out. */
export async function serveCommand(
  args: readonly string[],
  options: { seed: string; out?: string | undefined; for: string; json: boolean },
): Promise<number> {
  if (args.length > 1)
    throw new UsageError(`serve takes at most one scenario name (got ${args.length}: ${args.join(' ')})`);
  const scenario = scenarioNamed(args[0] ?? 'fleet-tour');
  const forMs = parseDuration(options.for, '--for');
  if (forMs > SERVE_FOR_MAX_MS) throw new UsageError(`--for must be at most 24h (got ${options.for})`);
  const outDir = resolve(options.out ?? join('out', 'serve', scenario.name));
  prepareOutputFolder(outDir);
  const serving = await startServing({ scenario, seed: options.seed, outDir });
  if (options.json) {
    // One JSON object on one line, then `ready`: what a script needs to point an MTA here.
    console.log(
      JSON.stringify({
        scenario: scenario.name,
        seed: options.seed,
        transport: Object.fromEntries(
          [...serving.transportMap].map(([domain, route]) => [domain, `${route.address}:${route.port}`]),
        ),
        returnPath: {
          mxHost: serving.world.sender.inboundMxHost,
          address: `${serving.inboxRoute.address}:${serving.inboxRoute.port}`,
        },
        dns: serving.world.dns.entries(),
        files: serving.files,
      }),
    );
  } else {
    printServing(serving, scenario, options);
  }
  console.log('ready');
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    const timer = setTimeout(stop, forMs);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await serving.close();
  const decisions = serving.world.truth.all().length;
  const read = serving.inbox.tally();
  console.error(
    `mailbench: stopped; ${decisions} receiver decisions logged, ${read.dsn} DSNs and ${read.arf} complaints delivered to the return-path inbox.`,
  );
  return 0; // EXIT_PASSED: the fleet served until it was told to stop
}

/** The human summary: every receiver, where it listens, and where the files are. */
function printServing(serving: Serving, scenario: ResolvedScenario, options: { seed: string; for: string }): void {
  const receivers = serving.world.fleet.receivers;
  console.log(
    `mailbench: serving ${receivers.length} receivers of scenario ${scenario.name} (seed ${options.seed}) on loopback, for at most ${options.for}; Ctrl-C stops.`,
  );
  console.log('\nreceiver              address          domains');
  for (const receiver of receivers) {
    const { id, domains, mxHosts } = receiver.identity;
    const route = serving.transportMap.get(domains[0] ?? '');
    const where = route === undefined ? serving.world.fleet.addressOf(id) : `${route.address}:${route.port}`;
    console.log(
      `${id.padEnd(21)} ${where.padEnd(16)} ${domains.length} (${domains.slice(0, 3).join(', ')}${domains.length > 3 ? ', …' : ''}) MX ${mxHosts[0] ?? ''}`,
    );
  }
  console.log(
    `\nreturn-path inbox     ${serving.inboxRoute.address}:${serving.inboxRoute.port}  MX of ${serving.world.sender.dkim.domain} (${serving.world.sender.inboundMxHost})`,
  );
  console.log(
    `sender identity       ${scenario.sender.sourceIp} (${scenario.sender.heloName}), MAIL FROM ${scenario.sender.mailFrom}: PTR, SPF, DKIM (${serving.world.sender.dkim.selector}) and DMARC published`,
  );
  console.log(
    `\ntransport map  ${serving.files.transport}  (Postfix transport_maps, ${serving.transportMap.size} domains)`,
  );
  console.log(`DNS records    ${serving.files.dns}`);
  console.log(`CA to trust    ${serving.files.ca}  (STARTTLS leaves name each receiver's MX hosts)`);
  console.log(`recipients     ${serving.files.recipients}`);
  console.log(`truth log      ${serving.files.truth}\n`);
}

/** '90s', '30m', '1h', '2d' or plain milliseconds. */
function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  if (match === null) throw new UsageError(`${option} must be a duration such as 90s, 30m or 1h (got "${text}")`);
  const value = Number(match[1]) * unitMs[(match[2] ?? 'ms') as keyof typeof unitMs];
  if (!(value > 0)) throw new UsageError(`${option} must be more than 0 (got "${text}")`);
  return value;
}
