/**
 * The run progress bar on a fake terminal: it shows final/total, what was injected and the
 * simulated day, clears itself when stopped, and writes nothing at all when disabled (--json)
 * or when its stream is not a TTY.
 */
import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { createRunProgress } from '../../../cli/progress.ts';
import { DAY_MS, DEFAULT_EPOCH_MS, HOUR_MS } from '../../../kernel/clock/clock.ts';

class CapturedStream extends Writable {
  readonly chunks: string[] = [];
  readonly columns = 120;

  constructor(readonly isTTY: boolean) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }

  get text(): string {
    return this.chunks.join('');
  }
}

test('on a terminal: final/total, injected and the simulated day, then the bar clears itself', () => {
  const stream = new CapturedStream(true);
  const progress = createRunProgress({ stream, enabled: true, total: 12_000 });
  progress.update({ injected: 3_000, final: 0, clockMs: DEFAULT_EPOCH_MS });
  expect(stream.text).toContain('0/12000 final | 3,000 injected | simulated day 1');
  progress.update({ injected: 12_000, final: 7_500, clockMs: DEFAULT_EPOCH_MS + DAY_MS + 5 * HOUR_MS });
  progress.stop();
  expect(stream.text).toContain('62% | 7500/12000 final | 12,000 injected | simulated day 2');
  // Cleared: the last thing written erases the line, so the summary starts on a clean one.
  expect(['\u001b[2K', '\u001b[0K']).toContain(stream.chunks.at(-1));
  const written = stream.chunks.length;
  progress.update({ injected: 12_000, final: 12_000, clockMs: DEFAULT_EPOCH_MS + 2 * DAY_MS });
  progress.stop();
  expect(stream.chunks.length).toBe(written);
});

test.each([
  ['--json (disabled) on a terminal', true, false],
  ['a pipe or a CI log (not a TTY)', false, true],
])('%s: no output at all', (_case, isTTY, enabled) => {
  const stream = new CapturedStream(isTTY);
  const progress = createRunProgress({ stream, enabled, total: 100 });
  progress.update({ injected: 100, final: 50, clockMs: DEFAULT_EPOCH_MS + HOUR_MS });
  progress.stop();
  expect(stream.chunks).toEqual([]);
});

test('a stop before any update writes nothing; a bad total is refused by name', () => {
  const stream = new CapturedStream(true);
  createRunProgress({ stream, enabled: true, total: 10 }).stop();
  expect(stream.chunks).toEqual([]);
  expect(() => createRunProgress({ stream, enabled: true, total: -1 })).toThrow(
    'progress total must be a whole number ≥ 0 (got -1)',
  );
});
