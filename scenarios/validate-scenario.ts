/**
 * A resolved scenario checked as a whole, after its parts resolved: the population, the
 * receivers' faults and the run's limits. Every issue names its path and what is wrong.
 */
import { DAY_MS, HOUR_MS } from '../kernel/index.ts';
import { GATEWAY_FAMILIES, NO_FAULTS } from '../sim/index.ts';
import type { ResolvedScenario, ScenarioIssue } from './scenario.ts';

/**
 * The largest population a run can hold: the world keeps one mailbox entry per recipient (a
 * Map holds at most 2^24 entries, and 17 M crashed), and 10 M take about 2.3 GB of heap with a
 * small campaign (measured 2026-12-07). Larger populations are refused here, never later.
 */
export const POPULATION_RECIPIENTS_MAX = 10_000_000;

type Check = (ok: boolean, path: string, message: string) => void;
const isShare = (value: number): boolean => value >= 0 && value <= 1;

/** What a resolved scenario gets wrong, every issue with its path; none when it can run. */
export function validateScenario(scenario: ResolvedScenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const check: Check = (ok, path, message) => {
    if (!ok) issues.push({ path, message });
  };
  check(
    /^[a-z0-9][a-z0-9-]*$/.test(scenario.name),
    'name',
    `must be lowercase letters, digits and dashes (got ${JSON.stringify(scenario.name)})`,
  );
  checkPopulation(scenario.population, check);
  checkReceiversAndLimits(scenario, check);
  return issues;
}

/** The population: its size, domains, corporate part, traps and readers. */
function checkPopulation(population: ResolvedScenario['population'], check: Check): void {
  check(
    Number.isInteger(population.recipients) && population.recipients >= 1,
    'population.recipients',
    `must be a whole number of at least 1 (got ${population.recipients})`,
  );
  check(
    !(population.recipients > POPULATION_RECIPIENTS_MAX),
    'population.recipients',
    `${population.recipients.toLocaleString('en')} recipients cannot run yet: the world keeps one mailbox entry per recipient, and ${POPULATION_RECIPIENTS_MAX.toLocaleString('en')} (about 2.3 GB) is the most it runs; use --scale for a miniature`,
  );
  check(population.domains.length > 0, 'population.domains', 'must name at least one domain');
  check(
    isShare(population.unknownShare),
    'population.unknownShare',
    `must be in [0, 1] (got ${population.unknownShare})`,
  );
  const { corporate, traps, engagement } = population;
  check(isShare(corporate.share), 'population.corporate.share', `must be in [0, 1] (got ${corporate.share})`);
  check(
    Number.isInteger(corporate.tenants) && corporate.tenants >= 0 && corporate.tenants <= 100_000,
    'population.corporate.tenants',
    `must be a whole number from 0 to 100,000 (got ${corporate.tenants})`,
  );
  check(
    corporate.share === 0 || corporate.tenants > 0,
    'population.corporate.tenants',
    'must be at least 1 when corporate.share is above 0',
  );
  for (const [family, share] of Object.entries(corporate.familyShares)) {
    check(
      (GATEWAY_FAMILIES as readonly string[]).includes(family),
      `population.corporate.familyShares.${family}`,
      `is not a gateway family (known: ${GATEWAY_FAMILIES.join(', ')})`,
    );
    check(
      typeof share === 'number' && share >= 0,
      `population.corporate.familyShares.${family}`,
      `must be a number ≥ 0 (got ${share})`,
    );
  }
  check(
    isShare(corporate.annualTurnover),
    'population.corporate.annualTurnover',
    `must be in [0, 1] (got ${corporate.annualTurnover})`,
  );
  for (const kind of ['pristine', 'recycled', 'typo'] as const) {
    check(isShare(traps[kind]), `population.traps.${kind}`, `must be in [0, 1] (got ${traps[kind]})`);
  }
  const roleShares = population.unknownShare + traps.pristine + traps.recycled + traps.typo;
  check(roleShares <= 1, 'population', `unknownShare and the trap shares add up to ${roleShares}, more than 1`);
  for (const reader of ['engaged', 'passive', 'dormant'] as const) {
    check(engagement[reader] >= 0, `population.engagement.${reader}`, `must be ≥ 0 (got ${engagement[reader]})`);
  }
  check(
    engagement.engaged + engagement.passive + engagement.dormant > 0,
    'population.engagement',
    'the reader shares must add up to more than 0',
  );
}

/** The receivers' fault rates and the run's limits. */
function checkReceiversAndLimits(scenario: ResolvedScenario, check: Check): void {
  const { limits } = scenario;
  for (const [fault, rate] of Object.entries(scenario.receivers.faults) as [string, number][]) {
    if (!Object.hasOwn(NO_FAULTS, fault))
      check(false, `receivers.faults.${fault}`, `is not a fault (known: ${Object.keys(NO_FAULTS).join(', ')})`);
    else if (fault === 'slowBannerMs')
      check(rate >= 0 && rate <= 300_000, `receivers.faults.${fault}`, `must be from 0 to 300,000 ms (got ${rate})`);
    else check(isShare(rate), `receivers.faults.${fault}`, `must be a rate in [0, 1] (got ${rate})`);
  }
  check(
    limits.simulatedDurationMaxMs >= HOUR_MS && limits.simulatedDurationMaxMs <= 400 * DAY_MS,
    'limits.simulatedDurationMaxMs',
    `must be from 1 hour to 400 days (got ${limits.simulatedDurationMaxMs} ms)`,
  );
  check(
    limits.realSecondsPerSimulatedHour > 0,
    'limits.realSecondsPerSimulatedHour',
    `must be > 0 (got ${limits.realSecondsPerSimulatedHour})`,
  );
  check(
    limits.realDurationMaxMs > 0 && limits.realDurationMaxMs <= 60 * 60_000,
    'limits.realDurationMaxMs',
    `must be more than 0 and at most one hour (got ${limits.realDurationMaxMs} ms)`,
  );
}
