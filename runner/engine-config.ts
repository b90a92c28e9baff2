/**
 * The reference engine's configuration for a scenario: the scenario's sender setup (sources,
 * pools, tenants, the inline shaping file) turned into the engine's egress and shaping, and
 * its outbound hygiene (DKIM with the published key, one-click unsubscribe for the sender
 * domain). A bad shaping block is a bad scenario: its problems come back as ScenarioIssues
 * under `sender.shaping`, all at once.
 */
import type { DkimKey } from '../mta-under-test/reference/core/dkim-signer.ts';
import type { EgressConfig } from '../mta-under-test/reference/core/egress.ts';
import type { HygieneOptions } from '../mta-under-test/reference/core/outbound-hygiene.ts';
import { refHeaderLine } from '../mta-under-test/reference/verp.ts';
import { readShapingConfig } from '../mta-under-test/reference/core/shaping/read-config.ts';
import type { ShapingConfig } from '../mta-under-test/reference/core/shaping/config.ts';
import { ScenarioError } from '../scenarios/scenario.ts';
import type { ResolvedScenario } from '../scenarios/scenario.ts';

export interface EngineConfig {
  readonly egress: EgressConfig;
  readonly shaping: ShapingConfig;
}

export function engineConfigOf(scenario: ResolvedScenario): EngineConfig {
  const { sender } = scenario;
  const { config, issues } = readShapingConfig(sender.shaping);
  if (issues.length > 0) {
    throw new ScenarioError(scenario.name, issues.map((issue) => ({ path: issue.path === '' ? 'sender.shaping' : `sender.shaping.${issue.path}`, message: issue.message })));
  }
  const egress: EgressConfig = {
    sources: sender.sources,
    pools: Object.entries(sender.pools).map(([name, members]) => ({ name, members })),
    defaultPool: sender.defaultPool,
    tenants: sender.tenants,
  };
  return { egress, shaping: config };
}

/** DKIM with the sender's published key; RFC 8058 unsubscribe targets on the sender domain. */
export function hygieneOf(dkim: DkimKey): HygieneOptions {
  return {
    dkimKeys: [dkim],
    // Complaints (ARF quotes the original headers) and later DSNs join by it.
    correlationHeader: refHeaderLine,
    unsubscribe: { [dkim.domain]: { https: `https://${dkim.domain}/unsubscribe/{token}`, mailto: `unsubscribe@${dkim.domain}?subject={token}` } },
  };
}
