/**
 * The audit against a simulated population: a fleet-tour-like world (consumer domains across
 * the European ISPs, companies behind B2B gateways) with unknown users and typo-domain traps,
 * and an accounting log such as the engine writes after mailing it once: an unknown-user
 * bounce for every address that does not exist, deliveries for the rest, and some bogus
 * unknown-user answers from gateways that the engine classed as disguised policy blocks.
 * The audit, using the world's DNS, must drop every typo-trap address and every known unknown
 * and nothing that really exists; pristine and recycled traps look like anyone else, so they
 * stay (the audit cannot see them; only reputation feedback can).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { AccountingRecord } from '../../../../mta-under-test/accounting.ts';
import { readAccountingLog } from '../../../../mta-under-test/reference/accounting-log/index.ts';
import { auditList, learnKnownUnknowns } from '../../../../mta-under-test/reference/audit/index.ts';
import { buildWorld } from '../../../../runner/world.ts';
import fleetTour from '../../../../scenarios/fleet-tour.ts';
import { resolveScenario } from '../../../../scenarios/scenario.ts';
import { DEFAULT_EPOCH_MS } from '../../../../kernel/clock/clock.ts';
import { VirtualScheduler } from '../../../../kernel/clock/virtual-scheduler.ts';
import { resolverFor } from './zone-resolver.ts';

const SEED = 'audit-population';
const logDir = mkdtempSync(join(tmpdir(), 'mailbench-audit-log-'));

afterAll(() => {
  rmSync(logDir, { recursive: true, force: true });
});

function simulatedWorld() {
  const scenario = resolveScenario({
    ...fleetTour,
    name: 'audit-population',
    population: {
      recipients: 5_000,
      domains: fleetTour.population.domains ?? [],
      unknownShare: 0.04,
      corporate: { share: 0.15, tenants: 40 },
      traps: { pristine: 0.002, recycled: 0.002, typo: 0.01 },
    },
  });
  return buildWorld(scenario, SEED, new VirtualScheduler(DEFAULT_EPOCH_MS));
}

/** The log an engine would write after mailing the list once; every 7th corporate address got a bogus 5.1.1. */
function accountingLog(
  recipients: readonly string[],
  statusOf: (address: string) => string,
  isCorporate: (address: string) => boolean,
): AccountingRecord[] {
  const base = { atMs: DEFAULT_EPOCH_MS, attempt: 1, mxHost: 'mx', sourceIp: '127.0.0.2' } as const;
  const records: AccountingRecord[] = recipients.map((recipient, index): AccountingRecord => {
    const site = recipient.slice(recipient.indexOf('@') + 1);
    if (statusOf(recipient) === 'unknown')
      return {
        ...base,
        type: 'Bounce',
        messageId: `m${index}`,
        recipient,
        site,
        class: 'unknown-user',
        action: 'suppress',
        rule: 'generic.enhanced.5.1.1',
      };
    if (isCorporate(recipient) && index % 7 === 0)
      return {
        ...base,
        type: 'Bounce',
        messageId: `m${index}`,
        recipient,
        site,
        class: 'disguised-policy-block',
        action: 'backoff',
        rule: 'bogus.velocity',
      };
    return {
      ...base,
      type: 'Delivery',
      messageId: `m${index}`,
      recipient,
      site,
      class: 'delivered',
      action: 'none',
      rule: 'delivered',
    };
  });
  return records;
}

/** Writes the records as a JSON Lines file and reads them back as the CLI does. */
async function throughLogFile(records: readonly AccountingRecord[]): Promise<AccountingRecord[]> {
  const file = join(logDir, 'accounting-00000001.jsonl');
  writeFileSync(file, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  const read: AccountingRecord[] = [];
  for await (const record of readAccountingLog(file)) read.push(record);
  return read;
}

test('the audit drops every typo-trap address and every known unknown, and nothing that exists', async () => {
  // Arrange
  const world = simulatedWorld();
  const { recipients, mailboxes, tenants } = world.population;
  const corporateDomains = new Set(tenants.map((tenant) => tenant.domain));
  const log = await throughLogFile(
    accountingLog(
      recipients,
      (address) => mailboxes.status(address),
      (address) => corporateDomains.has(address.slice(address.indexOf('@') + 1)),
    ),
  );
  expect(log).toHaveLength(recipients.length);
  // Act
  const report = auditList(recipients, { resolver: resolverFor(world.dns), knownUnknowns: learnKnownUnknowns(log) });
  // Assert
  const verdicts = new Map(report.addresses.map((audit) => [audit.address, audit]));
  const typoTraps = recipients.filter((address) => mailboxes.get(address)?.trap === 'typo');
  const unknown = recipients.filter((address) => mailboxes.status(address) === 'unknown');
  const existing = recipients.filter(
    (address) => mailboxes.status(address) !== 'unknown' && mailboxes.get(address)?.trap !== 'typo',
  );
  expect(typoTraps).toHaveLength(50);
  expect(unknown).toHaveLength(world.population.unknownCount);
  for (const address of typoTraps) {
    expect(verdicts.get(address)?.verdict, address).toMatchObject({ kind: 'drop', check: 'typo-domain' });
    expect(
      verdicts.get(address)?.findings.find((finding) => finding.check === 'typo-domain')?.suggestion,
      address,
    ).toMatch(/@(gmail|hotmail|yahoo|outlook|orange|wanadoo|gmx)\./);
  }
  for (const address of unknown)
    expect(verdicts.get(address)?.verdict, address).toMatchObject({
      kind: 'drop',
      check: 'known-unknown',
      code: 'known-unknown.unknown-user',
    });
  for (const address of existing) expect(verdicts.get(address)?.verdict, address).toEqual({ kind: 'keep' });
  expect(report.totals).toEqual({
    entries: 5_000,
    unique: 5_000,
    duplicatesRemoved: 0,
    kept: existing.length,
    dropped: typoTraps.length + unknown.length,
  });
  expect(report.droppedByCheck).toMatchObject({
    'known-unknown': unknown.length,
    'typo-domain': typoTraps.length,
    mx: 0,
    syntax: 0,
    'trap-pattern': 0,
    role: 0,
  });
});
