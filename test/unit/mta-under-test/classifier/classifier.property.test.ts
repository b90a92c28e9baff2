/**
 * The classifier is total: whatever the facts (any code or none, any enhanced string, any text
 * in any script, any MX), it returns, never throws, and answers in the closed vocabularies.
 * The seed comes from MAILBENCH_TEST_SEED when set and is printed in the test name for replay.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { testSeed } from '../../../support/test-seed.ts';
import { classifyFacts, classifyNetworkError } from '../../../../mta-under-test/reference/core/classify.ts';
import { ACTIONS, CLASSES } from '../../../../kernel/taxonomy.ts';

const seed = testSeed(20261201);

const phrase = fc.constantFrom(
  'user unknown',
  'mailbox full',
  'blocked using',
  'rate limited',
  'spf',
  'Utilisateur inconnu',
  '存在しません',
  '(x@y:blocked)',
  'OFR006_102',
  '[TSS04]',
  '',
);
const facts = fc.record({
  code: fc.oneof(fc.constant(null), fc.integer({ min: 200, max: 599 }), fc.integer()),
  enhanced: fc.oneof(
    fc.constant(null),
    fc.string(),
    fc.tuple(fc.constantFrom(2, 4, 5), fc.nat(999), fc.nat(999)).map(([a, b, c]) => `${a}.${b}.${c}`),
  ),
  text: fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.tuple(fc.string(), phrase, fc.string()).map((parts) => parts.join(' ')),
  ),
  provider: fc.option(fc.string(), { nil: undefined }),
  mx: fc.option(fc.oneof(fc.domain(), fc.string()), { nil: undefined }),
  stage: fc.option(fc.constantFrom('connect', 'helo', 'mail', 'rcpt', 'data' as const), { nil: undefined }),
});

test(`never throws; always a class in CLASSES and an action in ACTIONS (seed ${seed})`, () => {
  fc.assert(
    fc.property(facts, (input) => {
      const { provider, mx, stage, ...required } = input;
      const verdict = classifyFacts({
        ...required,
        ...(provider === undefined ? {} : { provider }),
        ...(mx === undefined ? {} : { mx }),
        ...(stage === undefined ? {} : { stage }),
      });
      expect(CLASSES).toContain(verdict.class);
      expect(ACTIONS).toContain(verdict.action);
      expect(verdict.hard).toBe(verdict.action === 'suppress');
      expect(verdict.rule.length).toBeGreaterThan(0);
    }),
    { seed, numRuns: 2000 },
  );
});

test(`a network error is never hard, whatever its message (seed ${seed})`, () => {
  fc.assert(
    fc.property(fc.option(fc.string(), { nil: undefined }), (message) => {
      const verdict = classifyNetworkError(message);
      expect(verdict).toMatchObject({ class: 'network-error', action: 'retry', hard: false });
    }),
    { seed },
  );
});
