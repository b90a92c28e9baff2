/**
 * The sender's setup in a scenario: its sending IPs (sources), how they are pooled, which
 * tenant sends from which pool, and the engine's shaping file. A one-IP sender writes only
 * `sourceIp` and `heloName`; the resolved form always lists sources and pools, so the runner
 * and the report see one shape.
 */
import { isLoopbackIpv4 } from '../sim/net/loopback.ts';
import type { ResolvedSender, ScenarioIssue, SenderInput } from './scenario.ts';

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
      members.map((member) => (typeof member === 'string' ? { source: member, weight: 1 } : { source: member.source, weight: member.weight ?? 1 })),
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
    history: input.history === undefined ? null : { cleanPerDay: input.history.cleanPerDay, engagedShare: input.history.engagedShare ?? 0.15 },
  };
}

/** Every problem of the sender setup, with its path under `sender`. */
export function validateSender(input: SenderInput, sender: ResolvedSender): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const check = (ok: boolean, path: string, message: string): void => {
    if (!ok) issues.push({ path: `sender.${path}`, message });
  };
  check(/^[^\s@]+@[^\s@]+$/.test(sender.mailFrom), 'mailFrom', `must be an address (got ${sender.mailFrom})`);
  const loopback = (address: string): string => `must be a 127.0.0.0/8 address: the bench never sends from or to anything else (got ${address})`;
  const names = new Set<string>();
  if (input.sources === undefined) check(isLoopbackIpv4(sender.sourceIp), 'sourceIp', loopback(sender.sourceIp));
  else {
    check(input.sources.length > 0, 'sources', 'must list at least one source');
    input.sources.forEach((source, index) => {
      check(isLoopbackIpv4(source.sourceIp), `sources[${index}].sourceIp`, loopback(source.sourceIp));
      check(/^[a-z0-9.-]+$/i.test(source.heloName), `sources[${index}].heloName`, `must be a host name (got ${JSON.stringify(source.heloName)})`);
      check(!names.has(source.name), `sources[${index}].name`, `'${source.name}' is named twice`);
      names.add(source.name);
    });
  }
  for (const source of sender.sources) names.add(source.name);
  for (const [pool, members] of Object.entries(sender.pools)) {
    check(members.length > 0, `pools.${pool}`, 'a pool needs at least one source');
    members.forEach((member, index) => {
      check(names.has(member.source), `pools.${pool}[${index}]`, `unknown source '${member.source}' (known: ${[...names].join(', ')})`);
      check(member.weight > 0, `pools.${pool}[${index}].weight`, `must be > 0 (got ${member.weight})`);
    });
  }
  check(Object.hasOwn(sender.pools, sender.defaultPool), 'defaultPool', `unknown pool '${sender.defaultPool}' (known: ${Object.keys(sender.pools).join(', ')})`);
  for (const [tenant, { pool }] of Object.entries(sender.tenants)) {
    check(Object.hasOwn(sender.pools, pool), `tenants.${tenant}.pool`, `unknown pool '${pool}' (known: ${Object.keys(sender.pools).join(', ')})`);
  }
  if (sender.history !== null) {
    check(Number.isFinite(sender.history.cleanPerDay) && sender.history.cleanPerDay >= 0 && sender.history.cleanPerDay <= 10_000_000, 'history.cleanPerDay', `must be a number of messages a day from 0 to 10,000,000 (got ${sender.history.cleanPerDay})`);
    check(sender.history.engagedShare >= 0 && sender.history.engagedShare <= 1, 'history.engagedShare', `must be in [0, 1] (got ${sender.history.engagedShare})`);
  }
  return issues;
}
