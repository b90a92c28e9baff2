/**
 * The rule table as data: every id is unique (it is the accounting record's `rule` and must name
 * one rule), every class and action comes from the closed vocabularies, and the packs the
 * engine is expected to know are all there.
 */
import { expect, test } from 'vitest';
import { RULES } from '../../../../mta-under-test/reference/core/classifier/classifier.ts';
import { GATEWAY_PACKS } from '../../../../mta-under-test/reference/core/classifier/gateways.ts';
import { PROVIDER_PACKS } from '../../../../mta-under-test/reference/core/classifier/providers/index.ts';
import { ACTIONS, CLASSES } from '../../../../kernel/taxonomy.ts';

test(`${RULES.length} rules, each with its own id, a class in CLASSES and an action in ACTIONS`, () => {
  expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
  expect(RULES.every((rule) => CLASSES.includes(rule.class) && ACTIONS.includes(rule.action))).toBe(true);
});

test('a pack for every provider and gateway family the brief names', () => {
  expect(Object.keys(PROVIDER_PACKS)).toEqual(
    expect.arrayContaining([
      'gmail',
      'outlook',
      'yahoo',
      'orange',
      'sfr',
      'free',
      'laposte',
      'gmx',
      't-online',
      'libero',
      'seznam',
      'wp-onet-interia',
      'icloud',
      'comcast',
    ]),
  );
  expect(Object.keys(GATEWAY_PACKS)).toEqual(
    expect.arrayContaining(['microsoft-365', 'mimecast', 'proofpoint', 'barracuda', 'cisco']),
  );
  expect(RULES.some((rule) => rule.id.startsWith('workspace.'))).toBe(true);
  expect(RULES.some((rule) => rule.id.startsWith('exchange.'))).toBe(true);
});
