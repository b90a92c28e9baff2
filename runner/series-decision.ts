/** The engine's decision records as a run's series keeps them (reports/schema.ts `SeriesDecision`). */
import type { DecisionRecord } from '../mta-under-test/index.ts';
import type { SeriesDecision } from '../reports/index.ts';

/** The decision as the report keeps it: the record's own fields, `type` renamed `kind`. */
export function decisionOf(record: DecisionRecord): SeriesDecision {
  const scope = (value: { source: string; site?: string; provider?: string }) => ({
    source: value.source,
    ...(value.site === undefined ? {} : { site: value.site }),
    ...(value.provider === undefined ? {} : { provider: value.provider }),
  });
  switch (record.type) {
    case 'Throttle':
      return {
        kind: 'Throttle',
        atMs: record.atMs,
        scope: scope(record.scope),
        ratePerHourBefore: record.ratePerHourBefore,
        ratePerHourAfter: record.ratePerHourAfter,
        reason: record.reason,
        rule: record.rule,
      };
    case 'Suspend':
      return {
        kind: 'Suspend',
        atMs: record.atMs,
        scope: scope(record.scope),
        untilMs: record.untilMs,
        reason: record.reason,
        rule: record.rule,
      };
    case 'Resume':
      return {
        kind: 'Resume',
        atMs: record.atMs,
        scope: scope(record.scope),
        reason: record.reason,
        rule: record.rule,
      };
    case 'Policy':
      return {
        kind: 'Policy',
        atMs: record.atMs,
        decision: record.decision,
        subject: record.subject,
        detail: record.detail,
        rule: record.rule,
        ...(record.tenant === undefined ? {} : { tenant: record.tenant }),
      };
  }
}
