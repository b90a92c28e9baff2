/**
 * `GET /v1/queues?site=…&source=…&provider=…`: which part of the engine snapshot an operator
 * asked to see. Reading the query refuses unknown, repeated and empty parameters by name, so
 * `?sight=gmail` is an error and not the whole, unfiltered engine.
 */
import type { PathScope } from '../../accounting.ts';
import type { EngineSnapshot, ReadyQueueView } from '../core/admin-view.ts';
import { ANY_SOURCE } from '../core/suspensions.ts';
import { ProblemList, readOptionalName } from './checked.ts';
import type { Checked } from './checked.ts';

/** Each field given narrows the view; none given: everything. */
export interface QueueFilter {
  readonly source?: string;
  readonly site?: string;
  readonly provider?: string;
}

const FILTER_KEYS = ['source', 'site', 'provider'] as const;

/** Reads the filter from a request's query; problems are named `query.<parameter>`. */
export function readQueueFilter(query: URLSearchParams): Checked<QueueFilter> {
  const problems = new ProblemList();
  const filter: { source?: string; site?: string; provider?: string } = {};
  for (const key of new Set(query.keys())) {
    const path = `query.${key}`;
    const known = FILTER_KEYS.find((name) => name === key);
    if (known === undefined) {
      problems.add(path, `is not a known parameter (known: ${FILTER_KEYS.join(', ')})`);
      continue;
    }
    const values = query.getAll(key);
    if (values.length > 1) {
      problems.add(path, `is given ${values.length} times; give it once`);
      continue;
    }
    const name = readOptionalName(values[0], path, problems);
    if (name !== undefined) filter[known] = name;
  }
  return problems.result(filter);
}

function readyQueueMatches(queue: ReadyQueueView, filter: QueueFilter): boolean {
  return (
    (filter.source === undefined || queue.source === filter.source) &&
    (filter.site === undefined || queue.site === filter.site) &&
    (filter.provider === undefined || queue.provider === filter.provider)
  );
}

/**
 * A suspension is kept unless a field it names contradicts the filter, so a suspension of a
 * whole source shows up when one of its sites is asked for: it is what holds that site's mail.
 * A site suspended from every source carries the engine's wildcard source, which matches any.
 */
function suspensionMayCover(scope: PathScope, filter: QueueFilter): boolean {
  const wildcard = (key: keyof QueueFilter): boolean =>
    scope[key] === undefined || (key === 'source' && scope.source === ANY_SOURCE);
  return FILTER_KEYS.every((key) => filter[key] === undefined || wildcard(key) || scope[key] === filter[key]);
}

/**
 * The snapshot narrowed to the filter: ready queues that match every given field, and the
 * suspensions that may cover them. Scheduled queues are kept whole: they wait before any
 * source or site is chosen for them, so no path filter applies to them.
 */
export function filterSnapshot(snapshot: EngineSnapshot, filter: QueueFilter): EngineSnapshot {
  return {
    atMs: snapshot.atMs,
    scheduled: snapshot.scheduled,
    ready: snapshot.ready.filter((queue) => readyQueueMatches(queue, filter)),
    suspensions: snapshot.suspensions.filter((suspension) => suspensionMayCover(suspension.scope, filter)),
  };
}
