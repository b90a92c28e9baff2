/**
 * The reference engine's configuration for a scenario: the scenario's sender setup (sources,
 * pools, tenants, the inline shaping file) turned into the engine's egress and shaping, and
 * its outbound hygiene (DKIM with the published key, one-click unsubscribe for the sender
 * domain). A bad shaping block is a bad scenario: its problems come back as ScenarioIssues
 * under `sender.shaping`, all at once.
 */
import { readShapingConfig, refHeaderLine } from '../mta-under-test/index.ts';
import type { DkimKey, EgressConfig, HygieneOptions, ShapingConfig } from '../mta-under-test/index.ts';
import { ScenarioError } from '../scenarios/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';

export interface EngineConfig {
  readonly egress: EgressConfig;
  readonly shaping: ShapingConfig;
}

export function engineConfigOf(scenario: ResolvedScenario): EngineConfig {
  const { sender } = scenario;
  const { config, issues } = readShapingConfig(sender.shaping);
  if (issues.length > 0) {
    throw new ScenarioError(
      scenario.name,
      issues.map((issue) => ({
        path: issue.path === '' ? 'sender.shaping' : `sender.shaping.${issue.path}`,
        message: issue.message,
      })),
    );
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
    unsubscribe: {
      [dkim.domain]: {
        https: `https://${dkim.domain}/unsubscribe/{token}`,
        mailto: `unsubscribe@${dkim.domain}?subject={token}`,
      },
    },
  };
}
