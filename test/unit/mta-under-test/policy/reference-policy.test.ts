/**
 * The composition: the classifier, then the detector, then the throttle; the lowest cap wins;
 * records and observations reach every component; further components plug in as extras.
 */
import { expect, test } from 'vitest';
import { HOUR_MS } from '../../../../kernel/clock/clock.ts';
import type { AccountingRecord } from '../../../../mta-under-test/accounting.ts';
import { referencePolicy } from '../../../../mta-under-test/reference/policy/reference-policy.ts';
import type { PolicyComponent } from '../../../../mta-under-test/reference/policy/reference-policy.ts';
import { M365, REPLIES, T0, YAHOO, attempt, deliveryRecord } from './_support/attempts.ts';

test('judge: a gateway refusal at high velocity is disguised by the detector; the throttle sees the disguised verdict', () => {
  // Arrange
  const records: AccountingRecord[] = [];
  const policy = referencePolicy();
  policy.attach?.((record) => records.push(record));
  for (let index = 0; index < 100; index++) {
    const ok = attempt(`ok${index}@corp.example`, T0 + index, REPLIES.accept);
    policy.judge(ok.outcome, ok.context);
    policy.observe?.(deliveryRecord(`ok${index}@corp.example`, T0 + index));
  }
  // Act
  const refused = attempt('bob@corp.example', T0 + 100, REPLIES.dbeb);
  const judgement = policy.judge(refused.outcome, refused.context);
  // Assert
  expect(judgement.verdict).toMatchObject({ class: 'disguised-policy-block', rule: 'bogus.velocity' });
  expect(judgement.suppress).toBeUndefined();
  expect(judgement.suspend?.map((request) => request.rule)).toEqual(['bogus.cool-down']);
  expect(policy.pathRatePerHour?.({ source: 'mta1', site: M365.site, provider: null }, T0 + 101)).toBe(20);
  expect(records.map((record) => (record.type === 'Policy' ? record.decision : record.type))).toEqual([
    'bogus.suspect',
    'Throttle',
  ]);
});

test("judge: a strong signal adds the throttle's suspension to the judgement", () => {
  const policy = referencePolicy();
  const tss04 = attempt('y@yahoo.com', T0, REPLIES.tss04, YAHOO);
  const judgement = policy.judge(tss04.outcome, tss04.context);
  expect(judgement.verdict).toMatchObject({ class: 'reputation-block', rule: 'yahoo.ts' });
  expect(judgement.suspend).toMatchObject([
    { scope: { source: 'mta1', provider: 'yahoo' }, untilMs: T0 + 2 * HOUR_MS, rule: 'throttle.signal.yahoo.tss04' },
  ]);
  expect(policy.pathRatePerHour?.({ source: 'mta1', site: YAHOO.site, provider: 'yahoo' }, T0)).toBe(60);
});

test('pathRatePerHour is the lowest cap of any component; null when none caps', () => {
  const capAt = (cap: number | null): PolicyComponent => ({ pathRatePerHour: () => cap });
  const path = { source: 'mta1', site: 'mx.example', provider: null };
  expect(referencePolicy({ extras: [capAt(null)] }).pathRatePerHour?.(path, T0)).toBeNull();
  expect(referencePolicy({ extras: [capAt(500), capAt(null), capAt(120)] }).pathRatePerHour?.(path, T0)).toBe(120);
});

test('chooseSource stays undefined until a component offers one; then the first that answers decides', () => {
  expect('chooseSource' in referencePolicy()).toBe(false);
  const source = { name: 'mta2', sourceIp: '127.0.0.3', heloName: 'mta2.mailbench.test' };
  const silent: PolicyComponent = { chooseSource: () => undefined };
  const picker: PolicyComponent = { chooseSource: () => ({ source }) };
  const request = {
    atMs: T0,
    pool: 'default',
    candidates: [source],
    domain: 'corp.example',
    provider: null,
    owner: {},
    recipients: 1,
  };
  expect(referencePolicy({ extras: [silent, picker] }).chooseSource?.(request)).toEqual({ source });
  expect(referencePolicy({ extras: [silent] }).chooseSource?.(request)).toBeUndefined();
});

test("observe and attach reach the extras; disabled components leave the classifier's word", () => {
  // Arrange
  const seen: string[] = [];
  const extra: PolicyComponent = { attach: () => seen.push('attach'), observe: (record) => seen.push(record.type) };
  const policy = referencePolicy({ bogusBounce: false, throttle: false, extras: [extra] });
  // Act
  policy.attach?.(() => undefined);
  policy.observe?.(deliveryRecord('a@corp.example', T0));
  const refused = attempt('bob@corp.example', T0, REPLIES.dbeb);
  // Assert
  expect(seen).toEqual(['attach', 'Delivery']);
  expect(policy.detector).toBeNull();
  expect(policy.judge(refused.outcome, refused.context)).toEqual(refused.basic);
});
