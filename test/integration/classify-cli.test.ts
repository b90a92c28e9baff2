/**
 * `mailbench classify --jsonl -` through the package's bin, as a child process: one verdict a
 * line, in input order, with exactly the keys class, action, hard, rule; bad input exits 2,
 * names every bad line and writes nothing to stdout.
 */
import { expect, test } from 'vitest';
import { runCli } from '../support/run-cli.ts';

function classify(input: string) {
  return runCli(['classify', '--jsonl', '-'], input);
}

const LINES = [
  {
    code: 550,
    enhanced: '5.1.1',
    text: '550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in local recipient table',
  },
  {
    code: 421,
    enhanced: '4.7.0',
    text: '421 4.7.0 [TSS04] Messages from 192.0.2.20 temporarily deferred due to unexpected volume or user complaints',
    provider: 'yahoo',
  },
  {
    code: null,
    enhanced: null,
    text: 'connect to mx.example.org[192.0.2.1]:25: Connection timed out',
    id: 'ignored-extra-key',
  },
  {
    code: 550,
    enhanced: null,
    text: '550 permanent failure for one or more recipients (user@example.com:blocked)',
    mx: 'd1.ess.barracudanetworks.com',
    stage: 'rcpt',
  },
  { code: 452, enhanced: '4.2.2', text: '452 4.2.2 The email account that you tried to reach is over quota.' },
];

test('one verdict a line, in order, with exactly class, action, hard and rule', async () => {
  // Act
  const { code, stdout, stderr } = await classify(`${LINES.map((line) => JSON.stringify(line)).join('\n')}\n\n`);
  // Assert
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const verdicts = stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(verdicts.map((verdict) => Object.keys(verdict))).toEqual(LINES.map(() => ['class', 'action', 'hard', 'rule']));
  expect(verdicts.map((verdict) => [verdict.class, verdict.hard])).toEqual([
    ['unknown-user', true],
    ['reputation-block', false],
    ['network-error', false],
    ['policy-block', false],
    ['mailbox-full', false],
  ]);
});

test('bad input exits 2, names each bad line and its problem, and classifies nothing', async () => {
  // Arrange: line 2 is not JSON, line 3 has a code out of range and no text.
  const input = [JSON.stringify(LINES[0]), '{"code": 550, "text": ', '{"code": 99, "enhanced": null}'].join('\n');
  // Act
  const { code, stdout, stderr } = await classify(input);
  // Assert
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/line 2: not valid JSON/);
  expect(stderr).toMatch(/line 3: code: must be an integer 200-599 or null \(got 99\)/);
  expect(stderr).toMatch(/line 3: text: must be a string/);
});
