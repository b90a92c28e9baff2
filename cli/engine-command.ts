/**
 * `mailbench engine …`: the reference engine's own commands.
 *
 *   mailbench engine resolve <domain> [--source NAME] [--config FILE.json] [--scenario NAME] [--json]
 *       the effective shaping for a destination and source, and the layer each value came from
 *       (KumoMTA's `resolve-shaping-domain`); MX hosts come from the scenario's simulated DNS.
 *   mailbench engine start [--config FILE.json] [--spool DIR]
 *       the engine as a service: durable spool, HTTP and SMTP injection, admin API, inbound
 *       DSN/ARF listener, accounting log; prints one JSON line with its addresses, then `ready`.
 *
 * Exit codes: 0 done, 2 bad command line or configuration, 3 internal error.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readShapingConfig, renderResolvedShaping, resolveShaping, zoneResolver } from '../mta-under-test/index.ts';
import { findScenario, resolveScenario, SCENARIO_LIBRARY } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS, VirtualScheduler } from '../kernel/index.ts';
import { buildWorld, DEFAULT_SEED } from '../runner/index.ts';
import { runEngineService } from './engine-service-command.ts';

const USAGE = `Usage:
  mailbench engine resolve <domain> [--source NAME] [--config FILE.json] [--scenario NAME] [--json]
  mailbench engine start [--config FILE.json] [--spool DIR] [--seed S]`;

export async function engineCommand(argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === 'resolve') return resolveCommand(rest);
  if (subcommand === 'start') return runEngineService(rest);
  console.error(
    `mailbench engine: ${subcommand === undefined ? 'name a subcommand' : `unknown subcommand "${subcommand}"`} (resolve, start)\n\n${USAGE}`,
  );
  return 2;
}

function resolveCommand(argv: readonly string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        source: { type: 'string' },
        config: { type: 'string' },
        scenario: { type: 'string', default: 'fleet-tour' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(`mailbench engine resolve: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    console.error(`mailbench engine resolve: name exactly one domain (got ${positionals.length})\n\n${USAGE}`);
    return 2;
  }
  const domain = (positionals[0] as string).toLowerCase();
  const input = findScenario(values.scenario);
  if (input === undefined) {
    console.error(
      `mailbench engine resolve: unknown scenario "${values.scenario}" (built in: ${Object.keys(SCENARIO_LIBRARY).join(', ')})`,
    );
    return 2;
  }
  const scenario = resolveScenario(input);
  const shapingInput = values.config === undefined ? scenario.sender.shaping : readJsonFile(values.config);
  if (shapingInput === undefined) return 2;
  const { config, issues } = readShapingConfig(shapingInput);
  if (issues.length > 0) {
    console.error(
      `mailbench engine resolve: ${values.config ?? `scenario ${scenario.name}'s sender.shaping`} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:`,
    );
    for (const issue of issues) console.error(`  - ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`);
    return 2;
  }
  // The destination's MX hosts as the engine would see them: the scenario world's DNS.
  const world = buildWorld(scenario, DEFAULT_SEED, new VirtualScheduler(DEFAULT_EPOCH_MS));
  const answer = zoneResolver(world.dns, () => undefined).resolveMx(domain);
  const mxHosts = answer.kind === 'hosts' ? answer.hosts : [];
  const resolved = resolveShaping(config, {
    domain,
    mxHosts,
    ...(values.source === undefined ? {} : { source: values.source }),
  });
  if (values.json) console.log(JSON.stringify({ ...resolved, mxHosts, dns: answer.kind }, null, 2));
  else
    console.log(
      `${answer.kind === 'nxdomain' ? `note: ${domain} does not exist in scenario ${scenario.name}'s DNS; the implicit MX is the domain itself\n` : ''}mx       ${mxHosts.join(', ') || '(implicit: the domain)'}\n${renderResolvedShaping(resolved)}`,
    );
  return 0;
}

/** A JSON file's value, or undefined after printing what is wrong with it. */
function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    console.error(`mailbench engine: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    console.error(
      `mailbench engine: ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
