/**
 * The detector's thresholds: input with documented defaults, resolved with every field
 * present (STYLE §0 item 5). No receiver publishes the velocity or burst past which it starts
 * answering real users with "user unknown" (facts/isp-behaviors.md §5-6: Microsoft, Mimecast,
 * Proofpoint, Barracuda, Cisco publish none), so most numbers here are `@assumption`s, chosen
 * to err towards a retry: a wrongly kept invalid address costs one more refusal, a wrongly
 * suppressed real user costs a customer's contact for months.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../../kernel/index.ts';
import type { Milliseconds } from '../../../../kernel/index.ts';
import { requirePositive, requireWithin, resolveOptions } from '../_internal/options.ts';
import type { Resolved } from '../_internal/options.ts';

export interface BogusBounceOptions {
  /**
   * Unknown-user replies from one gateway family for one domain, from one source, within
   * `burstWindowMs`, that make a burst.
   * @defaultValue 5 — @assumption: Cisco's directory-harvest prevention starts near 10 invalid
   * recipients per hour (facts §5); a burst is well under that, in a quarter of the time.
   */
  readonly burstCount?: number;
  /** @defaultValue 15 minutes — @assumption */
  readonly burstWindowMs?: Milliseconds;
  /**
   * A burst also needs this share of the attempts to that domain in the window to be refusals,
   * so a big domain's natural few invalid addresses are not a burst (B2B lists carry a few per
   * cent of dead addresses; a gateway past its threshold refuses nearly everyone).
   * @defaultValue 0.25 — @assumption
   */
  readonly burstShareMin?: number;
  /**
   * Unknown-user refusals from one gateway family, across all its domains, from one source,
   * within `gatewayWindowMs`, that say the gateway is blocking the sender (a reputation block
   * in disguise hits every tenant at once: Proofpoint PDR, Cisco SBRS, Microsoft's IP
   * restrictions are per sending IP, facts §5). @defaultValue 10 — @assumption
   */
  readonly gatewayRefusalsMin?: number;
  /** …and the share of the attempts to the family they must be. @defaultValue 0.25 — @assumption (a B2B list's dead addresses are a few per cent) */
  readonly gatewayShareMin?: number;
  /** @defaultValue 1 hour — @assumption */
  readonly gatewayWindowMs?: Milliseconds;
  /**
   * A refusal corroborates only while the gateway is accepting others from the source: it
   * delivered one within this long, and after refusals last came many at once. A gateway that
   * blocks the sender wholesale (reputation) corroborates nothing. @defaultValue 7 days — the
   * longest a message lives (@assumption): once a campaign's live addresses are delivered, the
   * dead ones are retried into a gateway that has proved it accepts this sender, and must still
   * be corroborated then, not kept as suspects until they expire
   */
  readonly acceptingMemoryMs?: Milliseconds;
  /**
   * Attempts per hour from one source to one gateway-hosted domain at or above which a
   * refusal is suspect. @defaultValue 50 — @assumption: no gateway publishes an inbound
   * threshold (Microsoft's EOP restricts "suspicious volume" without a number, SIS-microsoft),
   * and a company's gateway that sees more than a message a minute from one bulk sender has
   * reason to call it a burst; small tenants on a single on-premise server trip far sooner.
   */
  readonly highVelocityPerHour?: number;
  /**
   * At or below this velocity a refusal after the cool-down corroborates an unknown user.
   * @defaultValue 20 — @assumption: well under `highVelocityPerHour`.
   */
  readonly lowVelocityPerHour?: number;
  /**
   * How long a suspect address waits before its retry, and how long the path is suspended when
   * velocity or a burst made it suspect. Later cool-downs of the same address grow by
   * `coolDownGrowth` up to `coolDownMsMax`.
   * @defaultValue 1 hour — @assumption: longer than Gmail's "stop ≥ 10 min" (G-GUIDE) and than
   * KumoMTA's 30-minute shaping overrides (research/engines.md §3.4).
   */
  readonly coolDownMs?: Milliseconds;
  /** @defaultValue 2 */
  readonly coolDownGrowth?: number;
  /** @defaultValue 8 hours — @assumption; stays well inside the engine's 5-day expiry. */
  readonly coolDownMsMax?: Milliseconds;
  /**
   * The cap on the path (source → site) while a gateway is disguising refusals, so retries come
   * at low velocity. @defaultValue 20 per hour — @assumption: below `lowVelocityPerHour`.
   */
  readonly slowDownRatePerHour?: number;
  /**
   * After the cool-down, the cap rises by this much per further cool-down without a disguised
   * refusal, so its end is a ramp, not a flood. @defaultValue 20 per hour — @assumption
   */
  readonly slowDownIncreasePerHour?: number;
  /**
   * A standing cap on every path to a gateway-hosted site, before any refusal: a corporate
   * gateway counts recipients per tenant per sending IP per hour, and one past its threshold
   * answers real users as unknown (facts §6, "a burst of a few hundred messages to one company");
   * staying under it from the start keeps real users accepted and the sender's unknown-user rate
   * honest. null: none. @defaultValue null — @assumption when set; no gateway publishes its threshold
   */
  readonly gatewayPathRatePerHour?: number | null;
  /** The cap lifts this long after the last disguised refusal. @defaultValue 6 hours — @assumption */
  readonly slowDownMs?: Milliseconds;
  /**
   * Refusals of one address, across at least two cool-downs, that corroborate it whatever the
   * velocity; an address with proof of life (delivered before, or a complaint) needs this.
   * @defaultValue 3 — Postal suppresses on the second hard fail within 24 h (research/engines.md
   * §7); one more for an address known to have lived.
   */
  readonly refusalsToCorroborate?: number;
  /**
   * A gateway's lone first refusal (no burst, no velocity, no history) is retried once before
   * the address is suppressed (Postal's 2-in-24 h rule, research/engines.md §7). False: such a
   * refusal suppresses at once, as the classifier says. @defaultValue true
   */
  readonly confirmLoneRefusals?: boolean;
  /** When a lone refusal is retried. @defaultValue 1 hour — @assumption */
  readonly confirmAfterMs?: Milliseconds;
  /**
   * Every suppression the detector asks for (or passes on from the classifier) expires after
   * this; null: never. @defaultValue 90 days — @assumption: Postal lifts automatic suppressions
   * after 30 days (`default_suppression_list_automatic_removal_days`, research/engines.md §7);
   * B2B addresses rarely come back sooner, and a delivery lifts an entry anyway.
   */
  readonly suppressionTtlMs?: Milliseconds | null;
  /** How long a delivery counts as proof of life. @defaultValue 180 days — @assumption */
  readonly deliveredMemoryMs?: Milliseconds;
  /** A suspect or unconfirmed address not refused again for this long is forgotten. @defaultValue 7 days (the engine's expiry is 5) */
  readonly suspectMemoryMs?: Milliseconds;
  /** A complaint (ARF `Feedback` record) proves the mailbox exists. @defaultValue true */
  readonly feedbackIsProofOfLife?: boolean;
  /** Bound on the addresses remembered as delivered (the oldest go first). @defaultValue 1,000,000 */
  readonly maxTrackedAddresses?: number;
}

export type ResolvedBogusBounceOptions = Resolved<BogusBounceOptions>;

export const BOGUS_BOUNCE_DEFAULTS: ResolvedBogusBounceOptions = {
  burstCount: 5,
  burstWindowMs: 15 * MINUTE_MS,
  burstShareMin: 0.25,
  gatewayRefusalsMin: 10,
  gatewayShareMin: 0.25,
  gatewayWindowMs: HOUR_MS,
  acceptingMemoryMs: 7 * DAY_MS,
  highVelocityPerHour: 50,
  lowVelocityPerHour: 20,
  coolDownMs: HOUR_MS,
  coolDownGrowth: 2,
  coolDownMsMax: 8 * HOUR_MS,
  slowDownRatePerHour: 20,
  slowDownIncreasePerHour: 20,
  slowDownMs: 6 * HOUR_MS,
  gatewayPathRatePerHour: null,
  refusalsToCorroborate: 3,
  confirmLoneRefusals: true,
  confirmAfterMs: HOUR_MS,
  suppressionTtlMs: 90 * DAY_MS,
  deliveredMemoryMs: 180 * DAY_MS,
  suspectMemoryMs: 7 * DAY_MS,
  feedbackIsProofOfLife: true,
  maxTrackedAddresses: 1_000_000,
};

/** Every problem with the options, each naming its field; empty when usable. */
export function validateBogusBounceOptions(options: ResolvedBogusBounceOptions): string[] {
  const problems: string[] = [];
  for (const field of [
    'burstCount',
    'burstWindowMs',
    'gatewayRefusalsMin',
    'gatewayWindowMs',
    'acceptingMemoryMs',
    'highVelocityPerHour',
    'lowVelocityPerHour',
    'coolDownMs',
    'coolDownMsMax',
    'slowDownRatePerHour',
    'slowDownIncreasePerHour',
    'slowDownMs',
    'confirmAfterMs',
    'deliveredMemoryMs',
    'suspectMemoryMs',
    'maxTrackedAddresses',
  ] as const) {
    requirePositive(problems, field, options[field]);
  }
  requireWithin(problems, 'burstShareMin', options.burstShareMin, 0, 1);
  requireWithin(problems, 'gatewayShareMin', options.gatewayShareMin, 0, 1);
  if (!(options.coolDownGrowth >= 1)) problems.push(`coolDownGrowth: must be ≥ 1 (got ${options.coolDownGrowth})`);
  if (!(Number.isInteger(options.refusalsToCorroborate) && options.refusalsToCorroborate >= 2))
    problems.push(`refusalsToCorroborate: must be an integer ≥ 2 (got ${options.refusalsToCorroborate})`);
  if (options.lowVelocityPerHour >= options.highVelocityPerHour)
    problems.push(
      `lowVelocityPerHour: must be below highVelocityPerHour (${options.lowVelocityPerHour} ≥ ${options.highVelocityPerHour})`,
    );
  if (options.suppressionTtlMs !== null) requirePositive(problems, 'suppressionTtlMs', options.suppressionTtlMs);
  if (options.gatewayPathRatePerHour !== null)
    requirePositive(problems, 'gatewayPathRatePerHour', options.gatewayPathRatePerHour);
  return problems;
}

export function resolveBogusBounceOptions(options: BogusBounceOptions = {}): ResolvedBogusBounceOptions {
  return resolveOptions('bogus-bounce', BOGUS_BOUNCE_DEFAULTS, options, validateBogusBounceOptions);
}
