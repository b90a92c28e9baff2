/**
 * Which combinations of `source`, `site` and `provider` name something an operator can suspend
 * or resume: the four `SuspendTarget` shapes of the engine's admin view. Any other combination
 * is refused with the field that does not fit and the list of valid shapes, because a silently
 * narrowed or widened suspension (a whole source stopped when one site was meant) is worse
 * than a refusal.
 */
import type { SuspendTarget } from '../core/admin-view.ts';
import type { ProblemList } from './checked.ts';

/** The valid shapes, as an operator reads them in an error. */
export const VALID_TARGETS =
  '{ source, site } (one egress path), { site } (that site from every source), { source, provider } (a source towards one provider) or { source } (everything from a source)';

export interface TargetFields {
  readonly source: string | undefined;
  readonly site: string | undefined;
  readonly provider: string | undefined;
}

/**
 * The target the fields of a request body form, or undefined after naming the problem at the
 * field that does not fit ('' when none is given). Call it once each field has been read on
 * its own, so a bad field is not reported twice.
 */
export function readTarget(fields: TargetFields, problems: ProblemList): SuspendTarget | undefined {
  const { source, site, provider } = fields;
  if (source === undefined && site === undefined && provider === undefined) {
    problems.add('', `names no target: give ${VALID_TARGETS}`);
    return undefined;
  }
  if (site !== undefined && provider !== undefined) {
    problems.add(
      'provider',
      `cannot be combined with site, which already belongs to one provider; give ${VALID_TARGETS}`,
    );
    return undefined;
  }
  if (source === undefined && provider !== undefined) {
    problems.add('source', `is required with provider; give ${VALID_TARGETS}`);
    return undefined;
  }
  if (source !== undefined && site !== undefined) return { source, site };
  if (source !== undefined && provider !== undefined) return { source, provider };
  if (source !== undefined) return { source };
  return site === undefined ? undefined : { site };
}
