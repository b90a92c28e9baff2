/**
 * The one error model: every error raised on purpose is a MailbenchError whose code says whose
 * fault it is, which the CLI turns into its exit code; the project's error classes are all
 * MailbenchErrors with their own code; a broken invariant is E_INVARIANT, never the user's.
 */
import { describe, expect, test } from 'vitest';
import { MailbenchError, assert, isUsersToFix } from '../../../kernel/errors.ts';
import { UsageError } from '../../../cli/command-io.ts';
import { OutputPathError } from '../../../cli/output-path.ts';
import { SpoolLockedError } from '../../../mta-under-test/reference/spool/spool-lock.ts';
import { PostfixAdapterError } from '../../../mta-under-test/adapters/postfix/errors.ts';
import { ScenarioError } from '../../../scenarios/scenario.ts';
import { ReportLoadError } from '../../../reports/load.ts';

describe('codes say whose fault it is', () => {
  test.each([
    [new UsageError('--seed must not be empty'), 'E_USAGE', 'input', true],
    [new ScenarioError('x', [{ path: 'volume', message: 'must be a number' }]), 'E_SCENARIO_INVALID', 'input', true],
    [new OutputPathError('/dev/null/x: ENOTDIR'), 'E_OUTPUT_PATH', 'input', true],
    [new ReportLoadError('not JSON', 'a.json'), 'E_REPORT_LOAD', 'input', true],
    [new SpoolLockedError('/tmp/spool', 4242), 'E_SPOOL_LOCKED', 'environment', true],
    [
      new PostfixAdapterError('E_POSTFIX_NOT_INSTALLED', 'postfix is not installed', 'run install-postfix.sh'),
      'E_POSTFIX_NOT_INSTALLED',
      'environment',
      true,
    ],
    [new PostfixAdapterError('E_POSTFIX_INJECT', 'injection refused'), 'E_POSTFIX_INJECT', 'run', false],
  ])('%s', (error, code, kind, usersToFix) => {
    expect(error).toBeInstanceOf(MailbenchError);
    expect({ code: error.code, kind: error.kind, usersToFix: isUsersToFix(error) }).toEqual({ code, kind, usersToFix });
  });

  test('a hint and context travel with the error', () => {
    const error = new PostfixAdapterError(
      'E_POSTFIX_NOT_INSTALLED',
      'postfix is not installed',
      'run install-postfix.sh',
    );
    expect(error.hint).toBe('run install-postfix.sh');
    expect(new SpoolLockedError('/tmp/spool', 4242).context).toMatchObject({ dir: '/tmp/spool', holderPid: 4242 });
  });

  test("a plain Error is not the user's to fix", () => {
    expect(isUsersToFix(new Error('boom'))).toBe(false);
  });
});

test('assert() throws E_INVARIANT on a broken invariant and nothing otherwise', () => {
  expect(() => assert(true, 'holds')).not.toThrow();
  let thrown: unknown;
  try {
    assert(false, 'a second final record');
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toMatchObject({
    code: 'E_INVARIANT',
    kind: 'run',
    message: 'invariant broken: a second final record',
  });
});
