/**
 * What a fault soak must show, whatever the mode: every recipient ends final exactly once in the
 * engine's records, the receivers took each delivered message once, and every fault kind the
 * scenario schedules really happened. Shared by the sim test (unit project) and the wire test.
 */
import { expect } from 'vitest';
import type { AccountingRecord } from '../../mta-under-test/accounting.ts';
import { isFinalRecord } from '../../mta-under-test/accounting.ts';
import type { RunResult } from '../../runner/run.ts';
import type { TruthRecord } from '../../sim/truth/truth-record.ts';
import { isDeliveredCause } from '../../kernel/taxonomy.ts';

export interface SoakLog {
  readonly accounting: AccountingRecord[];
  readonly truth: TruthRecord[];
}

export function soakObservers(log: SoakLog): {
  accounting: (record: AccountingRecord) => void;
  truth: (truth: TruthRecord) => void;
} {
  // Braces: an observer returns nothing (a returned value would be taken for a task's promise).
  return {
    accounting: (record) => {
      log.accounting.push(record);
    },
    truth: (truth) => {
      log.truth.push(truth);
    },
  };
}

/** The fault marks (truth rules, after the receiver's id) a soak must have produced. */
export const SOAK_FAULT_MARKS = [
  'fault.refuse-at-connect',
  'fault.server-error',
  'fault.drop-mid-data',
  'fault.drop-in-data',
  'fault.timeout-in-data',
] as const;

export function expectSoundSoak({ report }: RunResult, log: SoakLog): void {
  const { messages } = report.figures;
  expect(report.outcome).toEqual({ status: 'passed' });
  expect(messages.inFlight).toBe(0);
  expect(messages.delivered + messages.bounced + messages.expired).toBe(messages.injected);
  // One final record per recipient, never two.
  const finals = new Map<string, number>();
  for (const record of log.accounting)
    if (isFinalRecord(record))
      finals.set(
        `${record.messageId} ${record.recipient}`,
        (finals.get(`${record.messageId} ${record.recipient}`) ?? 0) + 1,
      );
  expect(finals.size).toBe(messages.injected);
  expect([...finals.values()].filter((count) => count !== 1)).toEqual([]);
  // The receivers took each delivered recipient once: no duplicate behind a cut connection.
  const taken = new Map<string, number>();
  for (const truth of log.truth)
    if (isDeliveredCause(truth.cause)) taken.set(truth.recipient, (taken.get(truth.recipient) ?? 0) + 1);
  expect([...taken.entries()].filter(([, count]) => count > 1)).toEqual([]);
  expect(taken.size).toBe(messages.delivered);
  // Rules are marked per receiver (`gmail.fault.drop-mid-data`): each fault kind happened somewhere.
  const rules = log.truth.map((truth) => truth.rule);
  expect(SOAK_FAULT_MARKS.filter((mark) => !rules.some((rule) => rule.endsWith(`.${mark}`)))).toEqual([]);
}
