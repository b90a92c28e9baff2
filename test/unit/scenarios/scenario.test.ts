/**
 * Scenario resolution: every default filled, and every problem reported at once with its path
 * and reason (DESIGN rule 7), never just the first.
 */
import { expect, test } from 'vitest';
import { ScenarioError, resolveScenario } from '../../../scenarios/scenario.ts';
import smoke from '../../../scenarios/smoke.ts';

test('the smoke scenario resolves with documented defaults', () => {
  const resolved = resolveScenario(smoke);
  expect(resolved.population).toEqual({
    recipients: 10_000,
    domains: ['gmail.com'],
    unknownShare: 0.03,
    corporate: { share: 0, tenants: 0, familyShares: {}, annualTurnover: 0.25 },
    traps: { pristine: 0, recycled: 0, typo: 0 },
    engagement: { engaged: 0.3, passive: 0.6, dormant: 0.1 },
  });
  expect(resolved.sender.sources).toEqual([{ name: 'mta1', sourceIp: '127.0.0.2', heloName: 'mta1.mailbench.test' }]);
  expect(resolved.sender.pools).toEqual({ default: [{ source: 'mta1', weight: 1 }] });
  expect(resolved.receivers.limitsOff).toBe(false);
});

test('a bad scenario lists every problem with its path', () => {
  let caught: unknown;
  try {
    resolveScenario({
      name: 'Bad Name',
      population: { recipients: 0, unknownShare: 1.5 },
      sender: { sourceIp: '10.0.0.1', defaultPool: 'grid' },
    });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ScenarioError);
  const paths = (caught as ScenarioError).issues.map((issue) => issue.path);
  expect(paths).toEqual([
    'name',
    'population.recipients',
    'population.unknownShare',
    'population',
    'sender.sourceIp',
    'sender.defaultPool',
  ]);
  expect((caught as ScenarioError).message).toMatch(/sender\.sourceIp: must be a 127\.0\.0\.0\/8 address/);
});

test('corporate, trap and engagement mistakes are named by path', () => {
  let caught: unknown;
  try {
    resolveScenario({
      name: 'corp',
      population: {
        recipients: 100,
        corporate: { share: 0.2, tenants: 0, familyShares: { 'lotus-notes': 1 } as never, annualTurnover: 2 },
        traps: { typo: -0.1 },
        engagement: { engaged: 0, passive: 0, dormant: 0 },
      },
    });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ScenarioError);
  const issues = (caught as ScenarioError).issues;
  expect(issues.map((issue) => issue.path)).toEqual([
    'population.corporate.tenants',
    'population.corporate.familyShares.lotus-notes',
    'population.corporate.annualTurnover',
    'population.traps.typo',
    'population.engagement',
  ]);
  expect(issues[1]?.message).toMatch(/is not a gateway family \(known: microsoft-365, google-workspace/);
});
