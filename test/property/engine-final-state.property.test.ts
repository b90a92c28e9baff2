/**
 * The engine's promise to the bench (DESIGN rule 7): whatever the receivers answer, every
 * injected recipient ends in exactly one final state (Delivery, Bounce or Expiration), and
 * nothing is recorded about it afterwards.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { AccountingRecord } from '../../mta-under-test/accounting.ts';
import { isFinalRecord, isRecipientRecord } from '../../mta-under-test/accounting.ts';
import { engineHarness, injectMany } from '../support/engine-harness.ts';
import type { ScriptedAnswer } from '../support/scripted-transport.ts';

const answer = fc.constantFrom<ScriptedAnswer>('accept', 'defer', 'reject', 'rate-limit-and-close', 'drop');

test('every injected recipient gets exactly one final record, and none after it', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        messages: fc.integer({ min: 1, max: 30 }),
        recipientsPerMessage: fc.integer({ min: 1, max: 3 }),
        connectionsMax: fc.integer({ min: 1, max: 4 }),
        messagesPerConnectionMax: fc.integer({ min: 1, max: 8 }),
        // Answers by attempt number; attempts past the end of the list repeat its last answer.
        answers: fc.array(answer, { minLength: 1, maxLength: 6 }),
        rotate: fc.nat(),
      }),
      async ({ messages, recipientsPerMessage, connectionsMax, messagesPerConnectionMax, answers, rotate }) => {
        // Arrange: each recipient walks the answer list from its own offset.
        const offsets = new Map<string, number>();
        const harness = engineHarness(
          (recipient, attempt) => {
            const offset = offsets.get(recipient) ?? (offsets.size + rotate) % answers.length;
            offsets.set(recipient, offset);
            return answers[Math.min(offset + attempt - 1, answers.length - 1)] as ScriptedAnswer;
          },
          { connectionLimit: connectionsMax, maxDeliveriesPerConnection: messagesPerConnectionMax },
        );
        injectMany(harness, messages, recipientsPerMessage);
        // Act
        const result = await harness.scheduler.run({ maxTasks: 200_000 });
        // Assert
        expect(result.state).toBe('idle');
        const byRecipient = new Map<string, AccountingRecord[]>();
        for (const record of harness.records.filter(isRecipientRecord))
          byRecipient.set(record.recipient, [...(byRecipient.get(record.recipient) ?? []), record]);
        expect(byRecipient.size).toBe(messages * recipientsPerMessage);
        for (const records of byRecipient.values()) {
          expect(records.filter(isFinalRecord)).toHaveLength(1);
          expect(isFinalRecord(records.at(-1) as AccountingRecord)).toBe(true);
        }
        expect(harness.engine.idle).toBe(true);
      },
    ),
    { numRuns: 150, seed: 20_260_105 },
  );
});
