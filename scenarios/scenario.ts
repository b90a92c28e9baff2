/**
 * A scenario: who is mailed, by what sender setup, under which limits. Two types, as in
 * fast-check's Parameters → QualifiedParameters: `ScenarioInput` has optional fields with
 * documented defaults; `ResolvedScenario` has every field present and is what a run uses and
 * what the report echoes. The mapped type at the bottom makes forgetting to resolve a field a
 * compile error.
 */
import { DAY_MS, MailbenchError } from '../kernel/index.ts';
import type { Milliseconds } from '../kernel/index.ts';
import { NO_FAULTS } from '../sim/index.ts';
import type { Engagement, FaultRates, GatewayFamilyId } from '../sim/index.ts';
import { resolveSender, validateSender } from './sender.ts';
import { validateScenario } from './validate-scenario.ts';
import type { WarmupPlanName } from './sender.ts';
import { resolveTimeline } from './timeline.ts';
import type { ResolvedTimelineEvent, TimelineEventInput } from './timeline.ts';
import { resolveExpectations } from './expectations.ts';
import type { ExpectationInput, ResolvedExpectation } from './expectations.ts';
import { EXPECTATION_RECEIVERS, INCIDENT_RECEIVER_IDS, validatePolicyChange } from './incident-receivers.ts';

export interface PopulationInput {
  /** How many recipients (one message each). */
  readonly recipients: number;
  /** Recipient domains, used round-robin. @defaultValue ['gmail.com'] */
  readonly domains?: readonly string[];
  /** Share of recipients whose mailbox does not exist. @defaultValue 0 */
  readonly unknownShare?: number;
  /** Recipients at corporate domains behind B2B gateways. @defaultValue none */
  readonly corporate?: CorporateInput;
  /** Spamtraps among the recipients, by kind. @defaultValue none */
  readonly traps?: TrapsInput;
  /**
   * Shares of engaged, passive and dormant readers among live mailboxes.
   * @defaultValue { engaged: 0.3, passive: 0.6, dormant: 0.1 } (@assumption, sim/world/population.ts)
   */
  readonly engagement?: Readonly<Record<Engagement, number>>;
}

export interface CorporateInput {
  /** Share of recipients at corporate domains, in [0, 1]. */
  readonly share: number;
  /** How many corporate domains (each fronted by one gateway family). @defaultValue 200 */
  readonly tenants?: number;
  /** Share of tenants per gateway family. @defaultValue DEFAULT_FAMILY_SHARES (sim/world/tenants.ts) */
  readonly familyShares?: Partial<Record<GatewayFamilyId, number>>;
  /** Share of corporate addresses that die per year. @defaultValue 0.25 (the field sees 20-30 %) */
  readonly annualTurnover?: number;
}

export interface TrapsInput {
  /** Shares of recipients that are pristine, recycled and typo-domain traps. @defaultValue 0 each */
  readonly pristine?: number;
  readonly recycled?: number;
  readonly typo?: number;
}

export interface ResolvedPopulation {
  readonly recipients: number;
  readonly domains: readonly string[];
  readonly unknownShare: number;
  readonly corporate: Required<CorporateInput>;
  readonly traps: Required<TrapsInput>;
  readonly engagement: Readonly<Record<Engagement, number>>;
}

/** One sending IP of the sender: a virtual MTA with its loopback address and EHLO name. */
export interface SourceInput {
  readonly name: string;
  /** A 127.0.0.0/8 address. */
  readonly sourceIp: string;
  readonly heloName: string;
}

/** A pool's member: a source by name, with a weight. */
export type PoolMemberInput = string | { readonly source: string; readonly weight?: number };

export interface SenderInput {
  /** The sending IP of a one-IP sender (a 127.0.0.0/8 address). @defaultValue '127.0.0.2' */
  readonly sourceIp?: string;
  /** Its EHLO name. @defaultValue 'mta1.mailbench.test' */
  readonly heloName?: string;
  /** The envelope sender. @defaultValue 'bounces@news.mailbench.test' */
  readonly mailFrom?: string;
  /**
   * Several sending IPs (virtual MTAs). @defaultValue one source, `mta1`, at `sourceIp` with `heloName`
   */
  readonly sources?: readonly SourceInput[];
  /** Pools of sources by name. @defaultValue one pool, `default`, with every source */
  readonly pools?: Readonly<Record<string, readonly PoolMemberInput[]>>;
  /** The pool of mail whose tenant names none. @defaultValue 'default' */
  readonly defaultPool?: string;
  /** Each tenant's pool (a dedicated pool, or the shared grid). @defaultValue none */
  readonly tenants?: Readonly<Record<string, { readonly pool: string }>>;
  /**
   * The reference engine's shaping file, inline (default → provider → domain → source blocks,
   * mta-under-test/reference/core/shaping/config.ts), validated when the run starts.
   * @defaultValue {} (the built-in provider presets over KumoMTA's default block)
   */
  readonly shaping?: Readonly<Record<string, unknown>>;
  /**
   * The sender's standing before the run: an established sender whose IPs and domain every
   * receiver has seen deliver `cleanPerDay` clean messages a day for weeks, `engagedShare` of
   * them opened or clicked. @defaultValue none: new IPs and a new domain everywhere
   */
  readonly history?: { readonly cleanPerDay: number; readonly engagedShare?: number };
  /**
   * New IPs warmed by a published plan: the reference engine's planner caps each source ×
   * provider per day and advances, holds or steps back on the day's figures. @defaultValue none
   */
  readonly warmup?: WarmupInput;
  /** A shared high-quality pool tenants graduate to above 98 % and fall out of. @defaultValue none */
  readonly grid?: GridInput;
  /** The sender's DNS authentication, including broken setups. @defaultValue everything valid */
  readonly auth?: AuthInput;
  /**
   * The sender audits its list before mailing it (`mailbench audit`: syntax, domains without
   * MX, typo domains, role accounts, disposable domains, trap-like patterns) and mails only
   * what the audit keeps. @defaultValue false: the list is mailed as it is
   */
  readonly auditList?: boolean;
}

export interface WarmupInput {
  readonly plan: WarmupPlanName;
  /** The sources that warm up. @defaultValue every source */
  readonly sources?: readonly string[];
  /** @defaultValue 1 */
  readonly startStage?: number;
  /** Warm sources that take what the warming ones may not (SparkPost's overflow pool). @defaultValue none: held */
  readonly overflow?: readonly string[];
}

export interface GridInput {
  /** The grid's pool under `pools`. */
  readonly pool: string;
  /** Each tenant's dedicated pool. @defaultValue the tenants under `sender.tenants` whose pool is not the grid */
  readonly tenants?: Readonly<Record<string, string>>;
  /** @defaultValue none */
  readonly initialMembers?: readonly string[];
}

export interface AuthInput {
  /** The published DKIM key: the signing key's, another one, or none. @defaultValue 'valid' */
  readonly dkim?: 'valid' | 'wrong-key' | 'missing';
  /** @defaultValue 'pass' (an SPF record listing every source) */
  readonly spf?: 'pass' | 'missing';
  /** @defaultValue 'none' */
  readonly dmarc?: 'none' | 'quarantine' | 'reject';
  /** The DKIM record changes during the run (a key rotated wrong). @defaultValue never */
  readonly dkimBreaks?: { readonly at: string | number; readonly to?: 'wrong-key' | 'missing' };
}

export interface ResolvedWarmup {
  readonly plan: WarmupPlanName;
  readonly sources: readonly string[];
  readonly startStage: number;
  readonly overflow: readonly string[];
}

export interface ResolvedAuth {
  readonly dkim: 'valid' | 'wrong-key' | 'missing';
  readonly spf: 'pass' | 'missing';
  readonly dmarc: 'none' | 'quarantine' | 'reject';
  readonly dkimBreaksAtMs: Milliseconds | null;
  readonly dkimBreaksTo: 'wrong-key' | 'missing';
}

export interface ResolvedSender {
  readonly sourceIp: string;
  readonly heloName: string;
  readonly mailFrom: string;
  readonly sources: readonly SourceInput[];
  readonly pools: Readonly<Record<string, readonly { readonly source: string; readonly weight: number }[]>>;
  readonly defaultPool: string;
  readonly tenants: Readonly<Record<string, { readonly pool: string }>>;
  readonly shaping: Readonly<Record<string, unknown>>;
  readonly history: { readonly cleanPerDay: number; readonly engagedShare: number } | null;
  readonly warmup: ResolvedWarmup | null;
  readonly grid: {
    readonly pool: string;
    readonly tenants: Readonly<Record<string, string>>;
    readonly initialMembers: readonly string[];
  } | null;
  readonly auth: ResolvedAuth;
  readonly auditList: boolean;
}

export interface ReceiversInput {
  /** Turn off the receivers' rate limits (throughput benchmarks). @defaultValue false */
  readonly limitsOff?: boolean;
  /**
   * Faults every receiver injects at these rates: 421 at connect, slow banners, transient
   * server errors, connections dropped or hung in DATA. @defaultValue none (every rate 0)
   */
  readonly faults?: Partial<FaultRates>;
}

export interface ResolvedReceivers {
  readonly limitsOff: boolean;
  readonly faults: FaultRates;
}

export interface RunLimitsInput {
  /** The run stops by itself after this much simulated time. @defaultValue 7 days */
  readonly simulatedDurationMaxMs?: Milliseconds;
  /** Wire mode: real seconds one simulated hour takes. @defaultValue 2 */
  readonly realSecondsPerSimulatedHour?: number;
  /** Wire mode: the run stops by itself after this much real time. @defaultValue 10 minutes */
  readonly realDurationMaxMs?: Milliseconds;
}

export interface ScenarioInput {
  /** Short name, used in reports and output folders. */
  readonly name: string;
  /** One paragraph: what happens and what it shows. */
  readonly story?: string;
  readonly population: PopulationInput;
  readonly sender?: SenderInput;
  readonly receivers?: ReceiversInput;
  readonly limits?: RunLimitsInput;
  /** What happens when. @defaultValue one send to the whole list when the run starts */
  readonly timeline?: readonly TimelineEventInput[];
  /** Thresholds the run must meet, or it fails (exit 1). @defaultValue none */
  readonly expect?: readonly ExpectationInput[];
  /**
   * The volume scale the scenario runs at unless the run gives one: recipients, send volumes,
   * trap counts and the sender's history are multiplied by it. @defaultValue 1
   */
  readonly scale?: number;
}

export interface ResolvedScenario {
  readonly name: string;
  readonly story: string;
  readonly population: ResolvedPopulation;
  readonly sender: ResolvedSender;
  readonly receivers: ResolvedReceivers;
  readonly limits: Required<RunLimitsInput>;
  readonly timeline: readonly ResolvedTimelineEvent[];
  readonly expect: readonly ResolvedExpectation[];
  /** The volume scale this run used (1: the scenario as written). */
  readonly scale: number;
}

export interface ResolveOptions {
  /** Overrides the scenario's own `scale`. */
  readonly scale?: number;
}

/** Identity function that exists for type inference, like vitest's defineConfig. */
export function defineScenario(input: ScenarioInput): ScenarioInput {
  return input;
}

/** One problem with a scenario: where, and why. */
export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
}

export class ScenarioError extends MailbenchError {
  readonly issues: readonly ScenarioIssue[];

  constructor(name: string, issues: readonly ScenarioIssue[]) {
    super(
      'E_SCENARIO_INVALID',
      `scenario ${name} is invalid:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

/** Fills every default and checks every field; throws a ScenarioError listing all problems. */
export function resolveScenario(input: ScenarioInput, options: ResolveOptions = {}): ResolvedScenario {
  const scale = options.scale ?? input.scale ?? 1;
  const scaleIssues: ScenarioIssue[] = [];
  if (!(typeof scale === 'number' && scale > 0 && scale <= 1))
    scaleIssues.push({ path: 'scale', message: `must be more than 0 and at most 1 (got ${scale})` });
  const scaleBy = scaleIssues.length === 0 ? scale : 1;
  const timelineIssues: ScenarioIssue[] = [];
  const sender = resolveSender(input.sender ?? {});
  const timeline = resolveTimeline(
    input.timeline,
    { tenants: Object.keys(sender.tenants), receivers: INCIDENT_RECEIVER_IDS, validatePolicyChange, scale: scaleBy },
    timelineIssues,
  );
  const expect = resolveExpectations(input.expect, EXPECTATION_RECEIVERS, timelineIssues);
  const resolved: ResolvedScenario = {
    name: input.name,
    story: input.story ?? '',
    population: {
      recipients:
        scaleBy === 1 ? input.population.recipients : Math.max(1, Math.round(input.population.recipients * scaleBy)),
      domains: input.population.domains ?? ['gmail.com'],
      unknownShare: input.population.unknownShare ?? 0,
      corporate: {
        share: input.population.corporate?.share ?? 0,
        tenants: input.population.corporate?.tenants ?? (input.population.corporate === undefined ? 0 : 200),
        familyShares: input.population.corporate?.familyShares ?? {},
        annualTurnover: input.population.corporate?.annualTurnover ?? 0.25,
      },
      traps: {
        pristine: input.population.traps?.pristine ?? 0,
        recycled: input.population.traps?.recycled ?? 0,
        typo: input.population.traps?.typo ?? 0,
      },
      engagement: input.population.engagement ?? { engaged: 0.3, passive: 0.6, dormant: 0.1 },
    },
    sender:
      scaleBy === 1 || sender.history === null
        ? sender
        : { ...sender, history: { ...sender.history, cleanPerDay: Math.round(sender.history.cleanPerDay * scaleBy) } },
    receivers: { limitsOff: input.receivers?.limitsOff ?? false, faults: { ...NO_FAULTS, ...input.receivers?.faults } },
    limits: {
      simulatedDurationMaxMs: input.limits?.simulatedDurationMaxMs ?? 7 * DAY_MS,
      realSecondsPerSimulatedHour: input.limits?.realSecondsPerSimulatedHour ?? 2,
      realDurationMaxMs: input.limits?.realDurationMaxMs ?? 10 * 60_000,
    },
    timeline,
    expect,
    scale: scaleBy,
  };
  const issues = [
    ...scaleIssues,
    ...validateScenario(resolved),
    ...validateSender(input.sender ?? {}, resolved.sender),
    ...timelineIssues,
  ];
  if (issues.length > 0) throw new ScenarioError(input.name, issues);
  return resolved;
}

/** Compile-time check that the resolved form covers every input field (fast-check's trick). */
type Covers<Input, Resolved> = { [K in keyof Required<Input>]: K extends keyof Resolved ? true : never };
export const RESOLVED_COVERS_INPUT: Covers<ScenarioInput, ResolvedScenario> = {
  name: true,
  story: true,
  population: true,
  sender: true,
  receivers: true,
  limits: true,
  timeline: true,
  expect: true,
  scale: true,
};
