/**
 * A recipient is marked final in the spool only once the DSN about it is spooled: at the end of
 * the turn when no DSN was asked for, after the DSN when one was, never when the DSN failed (the
 * recipient is then tried again after a restart instead of its DSN being lost).
 */
import { expect, test } from 'vitest';
import { FinalMarks } from '../../../../mta-under-test/reference/service/final-marks.ts';

function spoolLog(): { marks: string[]; markFinal(id: string, recipient?: string): void } {
  const marks: string[] = [];
  return { marks, markFinal: (id, recipient) => marks.push(`${id} ${recipient ?? '*'}`) };
}

test('no DSN: marked at the end of the turn', async () => {
  // Arrange
  const spool = spoolLog();
  const finalMarks = new FinalMarks(spool);
  // Act
  finalMarks.final('m1', 'a@x.test');
  const duringTurn = [...spool.marks];
  await finalMarks.settled();
  // Assert
  expect(duringTurn).toEqual([]);
  expect(spool.marks).toEqual(['m1 a@x.test']);
});

test('a DSN told in the same turn: marked only after it is spooled, never when it failed', async () => {
  // Arrange
  const spool = spoolLog();
  const finalMarks = new FinalMarks(spool);
  let spooled: (ok: boolean) => void = () => undefined;
  // Act: the engine records the bounce, then tells the DSN writer, in one turn.
  finalMarks.final('m1', 'a@x.test');
  finalMarks.dsn('m1', 'a@x.test', new Promise((resolve) => (spooled = resolve)));
  finalMarks.final('m2', 'b@x.test');
  finalMarks.dsn('m2', 'b@x.test', Promise.resolve(false));
  await Promise.resolve();
  await Promise.resolve();
  const beforeDsn = [...spool.marks];
  spooled(true);
  await finalMarks.settled();
  // Assert
  expect(beforeDsn).toEqual([]);
  expect(spool.marks).toEqual(['m1 a@x.test']);
});
