/**
 * Every rule mark a receiver can write into the truth, as one closed list. A truth record's
 * rule is `<receiver id>.<mark>`; tests enumerate this list and prove each mark is reachable
 * (test/unit/sim/receivers/rule-marks.test.ts), so a branch nobody can reach, or a mark
 * nobody asserts, shows up as a failing row instead of hiding in a closure.
 */

/** Marks of the shared decisions (decide-connect.ts, decide-rcpt.ts, decide-data.ts). */
export const SHARED_RULE_MARKS = [
  // connect
  'outage.connect-421',
  'fault.refuse-at-connect',
  'connect.too-many-connections',
  'connect.reputation-block',
  // MAIL
  'mail.messages-per-connection',
  // RCPT
  'outage.tempfail',
  'tls.required',
  'auth.ptr',
  'reputation.block',
  'rate.hourly',
  'greylist.new-triplet',
  'rcpt.unknown-user',
  'rcpt.disabled',
  'rcpt.over-quota',
  'fault.server-error',
  // DATA
  'fault.drop-mid-data',
  'fault.drop-in-data',
  'fault.timeout-in-data',
  'data.too-large',
  'auth.dmarc-reject',
  'auth.unauthenticated',
  'auth.bulk-requirements',
  'data.spam-rejected',
  'trap.pristine',
  'trap.recycled',
  'trap.typo',
  'data.inbox',
  'data.spam',
  'data.discard',
] as const;

/** Marks of the B2B gateways' recipient policy (gateways/gateway.ts). */
export const GATEWAY_RULE_MARKS = [
  'sticky-invalid',
  'harvest-prevention',
  'bogus.velocity',
  'bogus.reputation',
  'downstream.unknown-user',
  'downstream.bogus.velocity',
  'downstream.bogus.reputation',
] as const;

export type SharedRuleMark = (typeof SHARED_RULE_MARKS)[number];
export type GatewayRuleMark = (typeof GATEWAY_RULE_MARKS)[number];
export type RuleMark = SharedRuleMark | GatewayRuleMark;

export const RULE_MARKS: readonly RuleMark[] = [...SHARED_RULE_MARKS, ...GATEWAY_RULE_MARKS];
