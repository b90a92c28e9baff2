/**
 * The reference engine in this process behind MtaUnderTest (referenceInProcess), driven by
 * runScenarioWithMta over real SMTP: the fleet's listeners on 127.0.1.x, the engine's
 * nodemailer client from the scenario's source address, the receivers' later DSNs delivered by
 * SMTP to the return-path listener and fed from there to the engine's report intake.
 *
 * The truth to hold the engine to is the world's: built again from the same scenario and seed
 * (the population is a pure function of them), it says which addresses have no mailbox.
 *
 * The environment names no MX hosts (a transport map, as Postfix gets), so the built-in
 * provider presets, which match MX suffixes, cannot apply: the scenarios' shaping sets the
 * connection limit a careful operator sets for a new IP, as it would be in a shaping file.
 */
import { expect, test } from 'vitest';
import type { AccountingRecord } from '../../mta-under-test/accounting.ts';
import { referenceInProcess } from '../../mta-under-test/adapters/reference/index.ts';
import { engineConfigOf } from '../../runner/engine-config.ts';
import { runScenarioWithMta } from '../../runner/mta-run.ts';
import type { RunClock } from '../../runner/engine-spec.ts';
import { placementOf, policyFor } from '../../runner/placement-policy.ts';
import { buildWorld } from '../../runner/world.ts';
import b2b from '../../scenarios/b2b-bogus-bounces.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import type { ResolvedScenario } from '../../scenarios/scenario.ts';
import smoke from '../../scenarios/smoke.ts';
import { DEFAULT_EPOCH_MS } from '../../kernel/clock/clock.ts';
import { VirtualScheduler } from '../../kernel/clock/virtual-scheduler.ts';

const NEW_IP_SHAPING = { default: { connectionLimit: 2 } };

/** The engine configured from the scenario's sender setup, its records kept as they come. */
function engineFor(
  scenario: ResolvedScenario,
  records: AccountingRecord[],
): (clock: RunClock) => ReturnType<typeof referenceInProcess> {
  return (clock) => {
    const { egress, shaping } = engineConfigOf(scenario);
    const mta = referenceInProcess({
      clock,
      egress,
      shaping,
      policy: policyFor('reference', placementOf(scenario, clock.nowMs())),
    });
    mta.onDecision((record) => records.push(record));
    return mta;
  };
}

/** The addresses of the scenario's list that have no mailbox: the receivers' truth. */
function unknownAddresses(scenario: ResolvedScenario, seed: string): Set<string> {
  const { population } = buildWorld(scenario, seed, new VirtualScheduler(DEFAULT_EPOCH_MS));
  return new Set(
    population.recipients.filter((recipient) => population.mailboxes.get(recipient, DEFAULT_EPOCH_MS) === undefined),
  );
}

function recipientsOf(records: readonly AccountingRecord[], type: AccountingRecord['type']): Set<string> {
  return new Set(
    records.flatMap((record) => (record.type === type && 'recipient' in record ? [record.recipient] : [])),
  );
}

test('smoke at 200 Gmail recipients: exactly the unknown users bounce, everyone else is delivered', async () => {
  const scenario = resolveScenario({
    ...smoke,
    population: { ...smoke.population, recipients: 200 },
    sender: { ...smoke.sender, shaping: NEW_IP_SHAPING },
  });
  const records: AccountingRecord[] = [];
  const { report } = await runScenarioWithMta({ scenario, seed: '11', mta: engineFor(scenario, records) });
  expect(report.engine).toEqual({
    name: 'reference-in-process',
    version: expect.stringMatching(/^\d+\.\d+\.\d+/) as unknown,
    capabilities: ['pause', 'decisions: every attempt'],
  });
  expect(report.outcome).toEqual({ status: 'passed' });
  const unknown = unknownAddresses(scenario, '11');
  expect(unknown.size).toBeGreaterThan(0);
  expect(recipientsOf(records, 'Bounce')).toEqual(unknown);
  expect(report.figures.messages).toMatchObject({
    injected: 200,
    delivered: 200 - unknown.size,
    bounced: unknown.size,
    expired: 0,
    inFlight: 0,
  });
  // Every attempt the engine reports met a receiver decision, and the other way round.
  expect(report.figures.attempts).toMatchObject({ truthWithoutAttempt: 0, attemptsWithoutTruth: 0 });
  expect(report.figures.causes['unknown-user']).toBe(unknown.size);
  expect(report.figures.confusion['unknown-user']).toEqual({ 'unknown-user': unknown.size });
  // Records are dated on the run's clock.
  const times = records.map((record) => record.atMs);
  expect(Math.min(...times)).toBeGreaterThanOrEqual(report.clock.startMs);
  expect(Math.max(...times)).toBeLessThanOrEqual(report.clock.endMs);
}, 30_000);

test('a B2B list: the gateways that accept and bounce later are heard as AsyncBounce records, joined to the delivery', async () => {
  // 200 people at 8 companies; at seed 3 some sit behind gateways that validate downstream.
  const seed = '3';
  const scenario = resolveScenario({
    ...b2b,
    name: 'b2b-small',
    population: { recipients: 200, domains: ['gmail.com'], unknownShare: 0.1, corporate: { share: 1, tenants: 8 } },
    sender: { ...b2b.sender, shaping: NEW_IP_SHAPING },
  });
  const records: AccountingRecord[] = [];
  const { report } = await runScenarioWithMta({ scenario, seed, mta: engineFor(scenario, records) });
  expect(report.outcome).toEqual({ status: 'passed' });
  expect(report.figures.messages).toMatchObject({ injected: 200, inFlight: 0 });
  expect(report.figures.messages.delivered + report.figures.messages.bounced).toBe(200);
  expect(report.figures.attempts).toMatchObject({ truthWithoutAttempt: 0, attemptsWithoutTruth: 0 });

  const later = report.figures.later;
  const asyncBounces = records.filter((record) => record.type === 'AsyncBounce');
  expect(later?.reportsSent.dsn).toBeGreaterThan(0);
  // Every DSN a receiver sent reached the return path and was joined by the engine.
  expect(later?.reportsReceived.dsn).toBe(later?.reportsSent.dsn);
  expect(asyncBounces).toHaveLength(later?.reportsSent.dsn ?? -1);

  const unknown = unknownAddresses(scenario, seed);
  const bounced = recipientsOf(records, 'Bounce');
  const delivered = recipientsOf(records, 'Delivery');
  const suppressed = recipientsOf(records, 'Suppression');
  const suspected = new Set(
    records.flatMap((record) =>
      record.type === 'Policy' && record.decision === 'bogus.async-suspect' ? [record.subject] : [],
    ),
  );
  for (const record of asyncBounces) {
    expect(record).toMatchObject({ joinedBy: 'header', class: 'unknown-user', action: 'suppress' });
    // Accepted first (the gateway took it), then bounced by DSN: a dead address.
    expect(delivered.has(record.recipient)).toBe(true);
    expect(unknown.has(record.recipient)).toBe(true);
    // Acted upon: suppressed, or (behind a gateway the engine recognised) kept on the record as a
    // suspect, since one DSN from a gateway is not proof enough.
    expect(suppressed.has(record.recipient) || suspected.has(record.recipient)).toBe(true);
  }
  // What bounced at once and what bounced later are unknown users, never a live person.
  expect([...bounced].filter((recipient) => !unknown.has(recipient))).toEqual([]);
  expect(asyncBounces.filter((record) => bounced.has(record.recipient))).toEqual([]);
}, 30_000);

test('pools that name a source the environment does not give are refused at start, by path', async () => {
  const mta = referenceInProcess({
    egress: { pools: [{ name: 'dedicated', members: [{ source: 'mta9' }] }], defaultPool: 'dedicated' },
  });
  const environment = {
    routes: new Map(),
    egress: [{ name: 'mta1', sourceIp: '127.0.0.2', heloName: 'mta1.mailbench.test' }],
    returnPath: { address: '127.0.2.1', port: 2525 },
    workDir: '/nonexistent',
    clockScale: 1,
    onReturnMail: () => undefined,
  };
  await expect(mta.start(environment)).rejects.toThrow(
    /pools\[0\]\.members\[0\]\.source: unknown source 'mta9' \(known: mta1\)/,
  );
  await mta.stop();
});
