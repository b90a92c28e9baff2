/**
 * The reference engine's send policy (issue 5): the stateless classifier decides what an
 * answer says, the bogus-bounce detector decides whether to believe a gateway's "user unknown",
 * the adaptive throttle decides how fast each source may send to each provider. Each is a
 * component with its own state and records; this file only composes them, so warm-up plans and
 * grid graduation plug in here as further components (`extras`) without touching the others.
 *
 *   judge:           basicJudgement → detector.review → throttle.onAttempt (suspensions merged)
 *   pathRatePerHour: the lowest cap any component sets (null when none does)
 *   chooseSource:    the first component that answers (none of the two built in does)
 *   observe, attach: forwarded to every component
 */
import type { EpochMs, RecipientOutcome } from '../../../kernel/index.ts';
import type { AccountingRecord } from '../../accounting.ts';
import { basicJudgement } from '../core/policy.ts';
import type {
  AttemptContext,
  DecisionEmitter,
  Judgement,
  SendPolicy,
  SourceChoice,
  SourceRequest,
} from '../core/policy.ts';
import { BogusBounceDetector } from './bogus-bounce/index.ts';
import type { BogusBounceOptions } from './bogus-bounce/index.ts';
import { AdaptiveThrottle } from './throttle/index.ts';
import type { AdaptiveThrottleOptions } from './throttle/index.ts';

/** A path as the engine's rate hook names it. */
export interface PolicyPath {
  readonly source: string;
  readonly site: string;
  readonly provider: string | null;
}

/** A further policy component (a warm-up plan, the grid): every hook optional. */
export interface PolicyComponent {
  attach?(emit: DecisionEmitter): void;
  observe?(record: AccountingRecord): void;
  /** A cap on the path now, per hour; null: none. */
  pathRatePerHour?(path: PolicyPath, nowMs: EpochMs): number | null;
  /** A source or a hold; undefined: no opinion (the next component, then the pool's rotation, decides). */
  chooseSource?(request: SourceRequest): SourceChoice | undefined;
}

export interface ReferencePolicyOptions {
  /** The detector's options, or false to believe every "user unknown" (the classifier alone). @defaultValue {} */
  readonly bogusBounce?: BogusBounceOptions | false;
  /** The throttle's options, or false for none. @defaultValue {} */
  readonly throttle?: AdaptiveThrottleOptions | false;
  /** Further components, asked after the built-in ones. @defaultValue [] */
  readonly extras?: readonly PolicyComponent[];
}

/** The policy and its parts (for tests, the admin view, and components that compose with them). */
export interface ReferencePolicy extends SendPolicy {
  readonly detector: BogusBounceDetector | null;
  readonly throttle: AdaptiveThrottle | null;
}

export function referencePolicy(options: ReferencePolicyOptions = {}): ReferencePolicy {
  const detector = options.bogusBounce === false ? null : new BogusBounceDetector(options.bogusBounce ?? {});
  const throttle = options.throttle === false ? null : new AdaptiveThrottle(options.throttle ?? {});
  const extras = options.extras ?? [];
  const components: PolicyComponent[] = [
    ...(detector === null
      ? []
      : [
          {
            attach: (emit: DecisionEmitter) => detector.attach(emit),
            observe: (record: AccountingRecord) => detector.observe(record),
            pathRatePerHour: (path: PolicyPath, nowMs: EpochMs) => detector.ratePerHour(path, nowMs),
          },
        ]),
    ...(throttle === null
      ? []
      : [
          {
            attach: (emit: DecisionEmitter) => throttle.attach(emit),
            pathRatePerHour: (path: PolicyPath, nowMs: EpochMs) => throttle.ratePerHour(path, nowMs),
          },
        ]),
    ...extras,
  ];
  return {
    detector,
    throttle,
    ...composeComponents(components),
    judge(outcome: RecipientOutcome, context: AttemptContext): Judgement {
      const basic = basicJudgement(outcome, context);
      const reviewed = detector === null ? basic : detector.review({ verdict: basic.verdict, outcome, context });
      const requests = throttle === null ? [] : throttle.onAttempt(reviewed.verdict, context, outcome);
      return requests.length === 0 ? reviewed : { ...reviewed, suspend: [...(reviewed.suspend ?? []), ...requests] };
    },
    judgeAsyncBounce(record) {
      if (detector === null) return { suppress: record.action === 'suppress' };
      return detector.reviewAsyncBounce(record);
    },
  };
}

/**
 * Several components' placement hooks as one: every component is attached and observes every
 * record, the lowest rate cap any sets holds (null when none does), and the first component
 * with an answer chooses the source (no `chooseSource` at all when none can). The reference
 * policy composes its detector, throttle and extras with it; a run composes a user's policy with
 * the scenario's warm-up plan and grid the same way.
 */
export function composeComponents(
  components: readonly PolicyComponent[],
): Required<Pick<PolicyComponent, 'attach' | 'observe' | 'pathRatePerHour'>> & Pick<PolicyComponent, 'chooseSource'> {
  const choosers = components.filter((component) => component.chooseSource !== undefined);
  const hooks = {
    attach(emit: DecisionEmitter) {
      for (const component of components) component.attach?.(emit);
    },
    pathRatePerHour(path: PolicyPath, nowMs: EpochMs) {
      let lowest: number | null = null;
      for (const component of components) {
        const cap = component.pathRatePerHour?.(path, nowMs) ?? null;
        if (cap !== null && (lowest === null || cap < lowest)) lowest = cap;
      }
      return lowest;
    },
    observe(record: AccountingRecord) {
      for (const component of components) component.observe?.(record);
    },
  };
  if (choosers.length === 0) return hooks;
  return {
    ...hooks,
    chooseSource(request: SourceRequest) {
      for (const component of choosers) {
        const choice = component.chooseSource?.(request);
        if (choice !== undefined) return choice;
      }
      return undefined;
    },
  };
}
