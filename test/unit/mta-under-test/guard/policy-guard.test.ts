/**
 * A user's policy behind the guard: what it returns is passed through untouched when it is
 * well formed; a throw, a malformed value, a promise or a call past the deadline becomes a
 * PolicyHookError naming the hook, what the hook was asked about and what is wrong. The hang
 * cases run a real endless loop, stopped by the guard's vm timeout.
 */
import { describe, expect, test } from 'vitest';
import { basicJudgement } from '../../../../mta-under-test/reference/core/policy.ts';
import type { AttemptContext, SendPolicy } from '../../../../mta-under-test/reference/core/policy.ts';
import { guardPolicy, PolicyHookError } from '../../../../mta-under-test/reference/guard/policy-guard.ts';
import type { AsyncBounceRecord } from '../../../../mta-under-test/accounting.ts';
import { DEFAULT_EPOCH_MS, MailbenchError, reply } from '../../../../kernel/index.ts';
import type { RecipientOutcome } from '../../../../kernel/index.ts';

const OUTCOME: RecipientOutcome = {
  kind: 'reply',
  recipient: 'ann@gmail.com',
  stage: 'rcpt',
  reply: reply(550, '5.1.1', 'The email account that you tried to reach does not exist.'),
};
const SOURCE = { name: 'ip-1', sourceIp: '127.0.0.2', heloName: 'mta1.sender.test' };
const CONTEXT: AttemptContext = {
  atMs: DEFAULT_EPOCH_MS,
  messageId: 'msg-1',
  recipient: 'ann@gmail.com',
  domain: 'gmail.com',
  site: 'gmail-smtp-in.l.google.com',
  mxHost: 'gmail-smtp-in.l.google.com',
  provider: 'gmail',
  source: SOURCE,
  owner: {},
  attempt: 2,
};

/** The PolicyHookError a call throws (fails the test when it throws none, or another error). */
function hookErrorOf(call: () => unknown): PolicyHookError {
  try {
    call();
  } catch (error) {
    if (error instanceof PolicyHookError) return error;
    throw error;
  }
  throw new Error('expected a PolicyHookError, none was thrown');
}

const guarded = (policy: Partial<SendPolicy>, deadlineMs = 1_000): SendPolicy =>
  guardPolicy({ judge: basicJudgement, ...policy }, { name: 'policy "ours"', deadlineMs });

describe('a well-behaved policy', () => {
  test('its answers pass through unchanged, and hooks it lacks stay absent', () => {
    const policy = guarded({ pathRatePerHour: () => 120 });
    expect(policy.judge(OUTCOME, CONTEXT)).toEqual(basicJudgement(OUTCOME, CONTEXT));
    expect(policy.pathRatePerHour?.({ source: 'ip-1', site: 'gmail', provider: 'gmail' }, DEFAULT_EPOCH_MS)).toBe(120);
    expect('chooseSource' in policy).toBe(false);
    expect('observe' in policy).toBe(false);
  });
});

describe('a policy that throws', () => {
  test('names the hook, the message and recipient, and keeps its own error as the cause', () => {
    const cause = new Error('lookup table missing');
    const error = hookErrorOf(() =>
      guarded({
        judge: () => {
          throw cause;
        },
      }).judge(OUTCOME, CONTEXT),
    );
    expect(error.hook).toBe('judge');
    expect(error.code).toBe('E_POLICY_HOOK');
    expect(error.kind).toBe('run');
    expect(error.message).toBe(
      'the judge hook of policy "ours" threw on message msg-1 to ann@gmail.com (attempt 2): lookup table missing',
    );
    expect(error.cause).toBe(cause);
  });

  test('in any hook: observe names the record it was shown', () => {
    const policy = guarded({
      observe: () => {
        throw new Error('counter overflow');
      },
    });
    const error = hookErrorOf(() => policy.observe?.({ type: 'Suppression' } as never));
    expect(error.message).toBe('the observe hook of policy "ours" threw on a Suppression record: counter overflow');
  });
});

describe('a policy that returns what the engine cannot act on', () => {
  test.each([
    [
      'a class outside the taxonomy',
      { class: 'maybe-dead' },
      /verdict: class "maybe-dead" is not one of the taxonomy's classes/,
    ],
    ['an unknown action', { action: 'ignore' }, /verdict: action "ignore" is not one of none, suppress/],
    ['no rule', { rule: '' }, /verdict: rule: expected the deciding rule's name/],
    ['evidence that is not strings', { evidence: [1] }, /verdict: evidence: expected an array of strings/],
  ])('a verdict with %s', (_what, change, message) => {
    const judge = (outcome: RecipientOutcome, context: AttemptContext): never =>
      ({ verdict: { ...basicJudgement(outcome, context).verdict, ...change } }) as never;
    const error = hookErrorOf(() => guarded({ judge }).judge(OUTCOME, CONTEXT));
    expect(error.hook).toBe('judge');
    expect(error.message).toMatch(/^the judge hook of policy "ours" returned a malformed value on message msg-1/);
    expect(error.message).toMatch(message);
  });

  test('a suspension without its end, and a retry time that is not a time', () => {
    const verdict = basicJudgement(OUTCOME, CONTEXT).verdict;
    const suspend = hookErrorOf(() =>
      guarded({
        judge: () => ({ verdict, suspend: [{ scope: { source: 'ip-1' }, reason: 'r', rule: 'x' }] }) as never,
      }).judge(OUTCOME, CONTEXT),
    );
    expect(suspend.message).toMatch(/suspend\[0\]: untilMs: expected epoch milliseconds, got undefined/);
    const retry = hookErrorOf(() =>
      guarded({ judge: () => ({ verdict, retryAtMs: 'tomorrow' }) as never }).judge(OUTCOME, CONTEXT),
    );
    expect(retry.message).toMatch(/retryAtMs: expected epoch milliseconds, got "tomorrow"/);
  });

  test('a hook written async: its promise is refused, not acted on later', () => {
    const error = hookErrorOf(() =>
      guarded({ judge: (() => Promise.resolve(basicJudgement(OUTCOME, CONTEXT))) as never }).judge(OUTCOME, CONTEXT),
    );
    expect(error.message).toMatch(/returned a promise; policy hooks are synchronous/);
  });

  test('a negative or NaN rate, a source choice of nothing known, a later-bounce decision without suppress', () => {
    const path = { source: 'ip-1', site: 'gmail', provider: 'gmail' };
    expect(
      hookErrorOf(() => guarded({ pathRatePerHour: () => -5 }).pathRatePerHour?.(path, DEFAULT_EPOCH_MS)).message,
    ).toMatch(
      /the pathRatePerHour hook of policy "ours" returned a malformed value on the path ip-1 → gmail: expected messages per hour \(a finite number ≥ 0\) or null, got -5/,
    );
    expect(
      hookErrorOf(() => guarded({ pathRatePerHour: () => Number.NaN }).pathRatePerHour?.(path, DEFAULT_EPOCH_MS)).hook,
    ).toBe('pathRatePerHour');
    const request = {
      atMs: DEFAULT_EPOCH_MS,
      pool: 'main',
      candidates: [SOURCE],
      domain: 'gmail.com',
      provider: 'gmail',
      owner: {},
      recipients: 1,
    };
    expect(
      hookErrorOf(() => guarded({ chooseSource: () => ({ ip: '127.0.0.2' }) as never }).chooseSource?.(request))
        .message,
    ).toMatch(
      /chooseSource hook of policy "ours" returned a malformed value on a delivery to gmail.com from pool main: expected \{ source \}, \{ pool \} or \{ holdUntilMs \}/,
    );
    const bounce = { recipient: 'ann@gmail.com', action: 'suppress' } as AsyncBounceRecord;
    expect(
      hookErrorOf(() => guarded({ judgeAsyncBounce: () => ({ suppress: 'yes' }) as never }).judgeAsyncBounce?.(bounce))
        .message,
    ).toMatch(
      /judgeAsyncBounce hook of policy "ours" returned a malformed value on the later bounce of ann@gmail.com: expected \{ suppress: boolean, untilMs\? \}/,
    );
  });
});

describe('a policy that is not one', () => {
  test('is refused before any run, naming what is missing', () => {
    const refuse = (policy: unknown): string => {
      try {
        guardPolicy(policy as SendPolicy, { name: 'policy "ours"' });
      } catch (error) {
        if (error instanceof MailbenchError) return `${error.code}: ${error.message}`;
        throw error;
      }
      return 'accepted';
    };
    expect(refuse({})).toBe(
      'E_ENGINE_CONFIG_INVALID: policy "ours" is not a send policy: it has no judge(outcome, context) function',
    );
    expect(refuse({ judge: basicJudgement, observe: 'yes' })).toBe(
      'E_ENGINE_CONFIG_INVALID: policy "ours" is not a send policy: observe is not a function',
    );
    expect(refuse(null)).toBe(
      'E_ENGINE_CONFIG_INVALID: policy "ours" is not a send policy: expected a SendPolicy object, got null',
    );
  });
});

describe('a policy that hangs', () => {
  const endless = (): never => {
    for (;;) {
      // A policy bug: a loop that never ends.
    }
  };

  test('is stopped at its deadline, and the error names the call', () => {
    const error = hookErrorOf(() => guarded({ judge: endless }, 200).judge(OUTCOME, CONTEXT));
    expect(error.message).toBe(
      'the judge hook of policy "ours" ran past its deadline of 200 ms on message msg-1 to ann@gmail.com (attempt 2) and was stopped',
    );
  });

  test('a slow call that returns past its deadline is refused once it returns (interruption off)', () => {
    const slow = (outcome: RecipientOutcome, context: AttemptContext): ReturnType<typeof basicJudgement> => {
      const until = Date.now() + 80;
      while (Date.now() < until) {
        // Busy for 80 ms.
      }
      return basicJudgement(outcome, context);
    };
    const policy = guardPolicy({ judge: slow }, { name: 'policy "ours"', deadlineMs: 20, interrupt: false });
    expect(hookErrorOf(() => policy.judge(OUTCOME, CONTEXT)).message).toMatch(
      /^the judge hook of policy "ours" took \d+ ms on message msg-1 to ann@gmail.com \(attempt 2\), past its deadline of 20 ms$/,
    );
  });

  test('is stopped inside a timer callback too, and the process goes on', async () => {
    // Where the engine calls it: in a scheduled task, with vitest's async context around it.
    const policy = guarded({ judge: endless }, 200);
    const stopped = await new Promise<unknown>((resolve) =>
      setTimeout(() => {
        try {
          resolve(policy.judge(OUTCOME, CONTEXT));
        } catch (error) {
          resolve(error);
        }
      }, 0),
    );
    expect(stopped).toBeInstanceOf(PolicyHookError);
    expect(await Promise.resolve('still running')).toBe('still running');
  });
});
