/**
 * The sender's setup in a scenario: its sending IPs (sources), how they are pooled, which
 * tenant sends from which pool, and the engine's shaping file. A one-IP sender writes only
 * `sourceIp` and `heloName`; the resolved form always lists sources and pools, so the runner
 * and the report see one shape.
 */
import { isLoopbackIpv4, readDuration } from '../kernel/index.ts';
import type { ResolvedSender, ScenarioIssue, SenderInput } from './scenario.ts';

/** The published warm-up schedules a scenario can name (mta-under-test/reference/policy/warmup/presets.ts). */
export const WARMUP_PLAN_NAMES = ['sparkpost', 'sendgrid', 'ses'] as const;
export type WarmupPlanName = (typeof WARMUP_PLAN_NAMES)[number];
export const DKIM_STATES = ['valid', 'wrong-key', 'missing'] as const;
export const DMARC_POLICIES = ['none', 'quarantine', 'reject'] as const;

const DEFAULT_SOURCE_IP = '127.0.0.2';
const DEFAULT_HELO = 'mta1.mailbench.test';
const DEFAULT_POOL = 'default';

export function resolveSender(input: SenderInput): ResolvedSender {
  const sourceIp = input.sources?.[0]?.sourceIp ?? input.sourceIp ?? DEFAULT_SOURCE_IP;
  const heloName = input.sources?.[0]?.heloName ?? input.heloName ?? DEFAULT_HELO;
  const sources = input.sources ?? [{ name: 'mta1', sourceIp, heloName }];
  const pools = Object.fromEntries(
    Object.entries(input.pools ?? { [DEFAULT_POOL]: sources.map((source) => source.name) }).map(([name, members]) => [
      name,
      members.map((member) =>
        typeof member === 'string'
          ? { source: member, weight: 1 }
          : { source: member.source, weight: member.weight ?? 1 },
      ),
    ]),
  );
  return {
    sourceIp,
    heloName,
    mailFrom: input.mailFrom ?? 'bounces@news.mailbench.test',
    sources,
    pools,
    defaultPool: input.defaultPool ?? DEFAULT_POOL,
    tenants: input.tenants ?? {},
    shaping: input.shaping ?? {},
    history:
      input.history === undefined
        ? null
        : { cleanPerDay: input.history.cleanPerDay, engagedShare: input.history.engagedShare ?? 0.15 },
    warmup:
      input.warmup === undefined
        ? null
        : {
            plan: input.warmup.plan,
            sources: input.warmup.sources ?? sources.map((source) => source.name),
            startStage: input.warmup.startStage ?? 1,
            overflow: input.warmup.overflow ?? [],
          },
    grid:
      input.grid === undefined
        ? null
        : {
            pool: input.grid.pool,
            tenants:
              input.grid.tenants ??
              Object.fromEntries(
                Object.entries(input.tenants ?? {})
                  .filter(([, { pool }]) => pool !== input.grid?.pool)
                  .map(([tenant, { pool }]) => [tenant, pool]),
              ),
            initialMembers: input.grid.initialMembers ?? [],
          },
    auditList: input.auditList ?? false,
    auth: {
      dkim: input.auth?.dkim ?? 'valid',
      spf: input.auth?.spf ?? 'pass',
      dmarc: input.auth?.dmarc ?? 'none',
      dkimBreaksAtMs: readBreakTime(input.auth?.dkimBreaks?.at),
      dkimBreaksTo: input.auth?.dkimBreaks?.to ?? 'wrong-key',
    },
  };
}

function readBreakTime(at: string | number | undefined): number | null {
  if (at === undefined) return null;
  if (typeof at === 'number') return at;
  const read = readDuration(at);
  return read.ok ? read.value : null;
}

/** Every problem of the sender setup, with its path under `sender`. */
export function validateSender(input: SenderInput, sender: ResolvedSender): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const check = (ok: boolean, path: string, message: string): void => {
    if (!ok) issues.push({ path: `sender.${path}`, message });
  };
  check(/^[^\s@]+@[^\s@]+$/.test(sender.mailFrom), 'mailFrom', `must be an address (got ${sender.mailFrom})`);
  const loopback = (address: string): string =>
    `must be a 127.0.0.0/8 address: the bench never sends from or to anything else (got ${address})`;
  const names = new Set<string>();
  if (input.sources === undefined) check(isLoopbackIpv4(sender.sourceIp), 'sourceIp', loopback(sender.sourceIp));
  else {
    check(input.sources.length > 0, 'sources', 'must list at least one source');
    input.sources.forEach((source, index) => {
      check(isLoopbackIpv4(source.sourceIp), `sources[${index}].sourceIp`, loopback(source.sourceIp));
      check(
        /^[a-z0-9.-]+$/i.test(source.heloName),
        `sources[${index}].heloName`,
        `must be a host name (got ${JSON.stringify(source.heloName)})`,
      );
      check(!names.has(source.name), `sources[${index}].name`, `'${source.name}' is named twice`);
      names.add(source.name);
    });
  }
  for (const source of sender.sources) names.add(source.name);
  for (const [pool, members] of Object.entries(sender.pools)) {
    check(members.length > 0, `pools.${pool}`, 'a pool needs at least one source');
    members.forEach((member, index) => {
      check(
        names.has(member.source),
        `pools.${pool}[${index}]`,
        `unknown source '${member.source}' (known: ${[...names].join(', ')})`,
      );
      check(member.weight > 0, `pools.${pool}[${index}].weight`, `must be > 0 (got ${member.weight})`);
    });
  }
  check(
    Object.hasOwn(sender.pools, sender.defaultPool),
    'defaultPool',
    `unknown pool '${sender.defaultPool}' (known: ${Object.keys(sender.pools).join(', ')})`,
  );
  for (const [tenant, { pool }] of Object.entries(sender.tenants)) {
    check(
      Object.hasOwn(sender.pools, pool),
      `tenants.${tenant}.pool`,
      `unknown pool '${pool}' (known: ${Object.keys(sender.pools).join(', ')})`,
    );
  }
  if (sender.history !== null) {
    check(
      Number.isFinite(sender.history.cleanPerDay) &&
        sender.history.cleanPerDay >= 0 &&
        sender.history.cleanPerDay <= 10_000_000,
      'history.cleanPerDay',
      `must be a number of messages a day from 0 to 10,000,000 (got ${sender.history.cleanPerDay})`,
    );
    check(
      sender.history.engagedShare >= 0 && sender.history.engagedShare <= 1,
      'history.engagedShare',
      `must be in [0, 1] (got ${sender.history.engagedShare})`,
    );
  }
  checkPlacement(input, sender, check);
  return issues;
}

/** The warm-up and grid parts: names that exist, values in range. */
function checkPlacement(
  input: SenderInput,
  sender: ResolvedSender,
  check: (ok: boolean, path: string, message: string) => void,
): void {
  const sourceNames = sender.sources.map((source) => source.name);
  const poolNames = Object.keys(sender.pools);
  if (sender.warmup !== null) {
    check(
      (WARMUP_PLAN_NAMES as readonly string[]).includes(sender.warmup.plan),
      'warmup.plan',
      `must be one of ${WARMUP_PLAN_NAMES.join(', ')} (got ${JSON.stringify(sender.warmup.plan)})`,
    );
    for (const [key, names] of [
      ['sources', sender.warmup.sources],
      ['overflow', sender.warmup.overflow],
    ] as const) {
      names.forEach((name, index) =>
        check(
          sourceNames.includes(name),
          `warmup.${key}[${index}]`,
          `unknown source '${name}' (known: ${sourceNames.join(', ')})`,
        ),
      );
    }
    check(
      Number.isInteger(sender.warmup.startStage) && sender.warmup.startStage >= 1 && sender.warmup.startStage <= 60,
      'warmup.startStage',
      `must be a stage from 1 to 60 (got ${sender.warmup.startStage})`,
    );
  }
  if (sender.grid !== null) {
    check(
      poolNames.includes(sender.grid.pool),
      'grid.pool',
      `unknown pool '${sender.grid.pool}' (known: ${poolNames.join(', ')})`,
    );
    for (const [tenant, pool] of Object.entries(sender.grid.tenants))
      check(
        poolNames.includes(pool),
        `grid.tenants.${tenant}`,
        `unknown pool '${pool}' (known: ${poolNames.join(', ')})`,
      );
    check(
      Object.keys(sender.grid.tenants).length > 0,
      'grid.tenants',
      'the grid needs at least one tenant with a dedicated pool (under sender.tenants or grid.tenants)',
    );
    sender.grid.initialMembers.forEach((tenant, index) =>
      check(
        Object.hasOwn(sender.grid?.tenants ?? {}, tenant),
        `grid.initialMembers[${index}]`,
        `unknown tenant '${tenant}'`,
      ),
    );
  }
  check(
    typeof sender.auditList === 'boolean',
    'auditList',
    `must be true or false (got ${JSON.stringify(sender.auditList)})`,
  );
  checkAuthentication(input, sender, check);
}

/** The authentication part: DKIM, SPF and DMARC states that exist, and a DKIM break that reads. */
function checkAuthentication(
  input: SenderInput,
  sender: ResolvedSender,
  check: (ok: boolean, path: string, message: string) => void,
): void {
  const { auth } = sender;
  check(
    (DKIM_STATES as readonly string[]).includes(auth.dkim),
    'auth.dkim',
    `must be one of ${DKIM_STATES.join(', ')} (got ${JSON.stringify(auth.dkim)})`,
  );
  check(
    auth.spf === 'pass' || auth.spf === 'missing',
    'auth.spf',
    `must be pass or missing (got ${JSON.stringify(auth.spf)})`,
  );
  check(
    (DMARC_POLICIES as readonly string[]).includes(auth.dmarc),
    'auth.dmarc',
    `must be one of ${DMARC_POLICIES.join(', ')} (got ${JSON.stringify(auth.dmarc)})`,
  );
  const breaksAt = input.auth?.dkimBreaks?.at;
  if (breaksAt !== undefined) {
    const read =
      typeof breaksAt === 'number'
        ? {
            ok: Number.isInteger(breaksAt) && breaksAt >= 0,
            message: `must be whole milliseconds ≥ 0 (got ${breaksAt})`,
          }
        : readDuration(breaksAt);
    check(read.ok, 'auth.dkimBreaks.at', read.ok ? '' : (read as { message: string }).message);
    check(
      auth.dkimBreaksTo === 'wrong-key' || auth.dkimBreaksTo === 'missing',
      'auth.dkimBreaks.to',
      `must be wrong-key or missing (got ${JSON.stringify(auth.dkimBreaksTo)})`,
    );
  }
}
