/**
 * The engine's durability promise end to end, on the wire: the reference engine runs as its
 * own process (`mailbench engine start`) in front of the simulated Gmail on loopback; the test
 * injects over HTTP and keeps every id the engine acknowledged (202), kills the engine with
 * SIGKILL while it is delivering, restarts it on the same spool, and waits until the
 * receivers' truth shows every acknowledged recipient delivered. Duplicates (delivered twice:
 * at-least-once) are allowed only up to what the restarted engine says it recovered, and its
 * accounting log marks exactly those recipients as redeliveries.
 */
import { afterAll, expect, test } from 'vitest';
import { readAccountingLog } from '../../mta-under-test/reference/accounting-log/reader.ts';
import { isDeliveredCause } from '../../kernel/taxonomy.ts';
import { engineBench, exited, injectBatch } from '../../runner/engine-process.ts';
import type { EngineBench } from '../../runner/engine-process.ts';

const RECIPIENTS = 3_000;
const BATCH = 100;
/** Kill once this many deliveries reached the receiver: well into the run, well before its end. */
const KILL_AFTER_DELIVERIES = 300;
const DELIVERY_DEADLINE_MS = 90_000;

let bench: EngineBench | undefined;
afterAll(async () => {
  await bench?.close();
});

test('kill -9 mid-run, restart: every acknowledged recipient is delivered, duplicates only among the recovered', async () => {
  // Arrange: a Gmail-only world with no limits, and an engine whose own rates are off.
  bench = await engineBench(
    { name: 'crash', population: { recipients: RECIPIENTS, domains: ['gmail.com'] }, receivers: { limitsOff: true } },
    { default: { maxMessageRate: null, maxConnectionRate: null } },
  );
  const { world } = bench;
  const delivered = new Map<string, number>();
  world.truth.subscribe((truth) => {
    if (isDeliveredCause(truth.cause)) delivered.set(truth.recipient, (delivered.get(truth.recipient) ?? 0) + 1);
  });
  const first = await bench.start();
  const acknowledged: string[] = [];
  // Act: inject everything; kill the engine once deliveries are under way.
  const killed = new Promise<void>((resolve) => {
    world.truth.subscribe(() => {
      if (delivered.size >= KILL_AFTER_DELIVERIES && first.child.exitCode === null && first.child.signalCode === null) {
        first.child.kill('SIGKILL');
        resolve();
      }
    });
  });
  const recipients = world.population.recipients;
  try {
    for (let start = 0; start < recipients.length; start += BATCH) {
      const batch = recipients.slice(start, start + BATCH);
      await injectBatch(first, world.sender.from, batch);
      acknowledged.push(...batch);
    }
  } catch {
    // The kill may land during a request: that batch was not acknowledged, so it need not arrive.
  }
  await killed;
  await exited(first);
  const deliveredBeforeRestart = delivered.size;
  const second = await bench.start();
  const deadline = Date.now() + DELIVERY_DEADLINE_MS;
  while (acknowledged.some((recipient) => !delivered.has(recipient)) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 200));
  second.child.kill('SIGTERM');
  await exited(second);
  // Assert
  expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_DELIVERIES);
  expect(deliveredBeforeRestart).toBeLessThan(acknowledged.length);
  expect(
    acknowledged.filter((recipient) => !delivered.has(recipient)),
    `stderr of the restarted engine:\n${second.stderr()}`,
  ).toEqual([]);
  expect(second.recovered.recipients).toBeGreaterThan(0);
  const duplicates = [...delivered.values()].reduce((sum, count) => sum + count - 1, 0);
  expect(duplicates).toBeLessThanOrEqual(second.recovered.recipients);
  const redeliveries = [];
  for await (const record of readAccountingLog(`${bench.dir}/accounting`))
    if (record.type === 'Reception' && record.redelivery === true) redeliveries.push(record.recipient);
  expect(redeliveries).toHaveLength(second.recovered.recipients);
  console.log(
    `engine crash: ${acknowledged.length} acknowledged, ${deliveredBeforeRestart} delivered before kill -9, ${second.recovered.recipients} recovered, ${duplicates} delivered twice`,
  );
});
