/**
 * From what the bench gives an MTA (MtaEnvironment) to a checked plan for one private Postfix
 * instance: where its files go, which loopback address and port its smtpd injects on, one
 * smtp service per egress identity, which sender leaves from which identity, and the timers.
 * Pure and total: every problem is collected and reported at once, each naming the field
 * (STYLE.md §2.5), because a half-written main.cf is worse than none.
 *
 * Everything that could make Postfix look something up or reach past loopback is refused
 * here (DESIGN rule 6): addresses outside 127.0.0.0/8, names with characters that would
 * split a main.cf or master.cf line, paths Postfix's list parameters would split.
 */
import { join } from 'node:path';
import { isLoopbackIpv4 } from '../../../kernel/index.ts';
import type { EgressIdentity, LoopbackRoute, MtaEnvironment } from '../mta-under-test.ts';
import { PostfixAdapterError } from './errors.ts';
import { mainCfOverrideIssues } from './main-cf-overrides.ts';
import type { MainCfOverrides } from './main-cf-overrides.ts';
import { scaledTimers } from './timers.ts';
import type { PostfixTimers } from './timers.ts';

/** Where one instance keeps its files, all under the run's work dir. */
export interface InstanceLayout {
  readonly root: string;
  /** `postfix -c` points here: main.cf, master.cf and the lookup tables. */
  readonly configDirectory: string;
  readonly queueDirectory: string;
  /** Owned by the postfix user, as Postfix requires (master.lock, caches). */
  readonly dataDirectory: string;
  readonly maillogFile: string;
}

/** One master.cf smtp service: the egress identity it sends as. */
export interface EgressService {
  /** The master.cf service name and, after `postfix/`, its syslog name: `egress-0` … */
  readonly service: string;
  readonly identity: EgressIdentity;
}

export interface InstancePlan {
  readonly layout: InstanceLayout;
  /** Where the instance's smtpd listens for injection. */
  readonly smtpd: LoopbackRoute;
  /** Recipient domain → the receiver for it; exact domains only (no subdomain matching). */
  readonly routes: ReadonlyMap<string, LoopbackRoute>;
  /** The first is the default for every sender not pinned in `senderEgress`. */
  readonly egress: readonly EgressService[];
  /** Sender address or `@domain` → egress service name. */
  readonly senderEgress: ReadonlyMap<string, string>;
  /** Where Postfix's own DSNs (null sender) go. */
  readonly returnPath: LoopbackRoute;
  readonly timers: PostfixTimers;
  /** The instance's name in its banner, its DSNs and its Message-Ids. */
  readonly myhostname: string;
  /** The user's main.cf tuning, written after the bench's own settings (main-cf-overrides.ts). */
  readonly mainCf: MainCfOverrides;
}

export interface PlanOptions {
  /** The address and port the instance's smtpd listens on (the port picked free by the caller). */
  readonly smtpd: LoopbackRoute;
  /** Sender address (`news@example.com`) or sender domain (`@example.com`) → egress identity name. */
  readonly egressBySender?: ReadonlyMap<string, string>;
  /** Real seconds, overriding what `clockScale` gives. */
  readonly timers?: Partial<PostfixTimers>;
  /** @defaultValue `postfix-under-test.mailbench.invalid` (`.invalid`: it can never resolve). */
  readonly myhostname?: string;
  /** main.cf tuning of the user's (concurrency, rate delays …). @defaultValue none */
  readonly mainCf?: MainCfOverrides;
}

const DEFAULT_MYHOSTNAME = 'postfix-under-test.mailbench.invalid';
/** What may appear in a domain, a HELO name or a table key without quoting in Postfix files. */
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;
const SENDER_KEY = /^[^\s@<>"]*@[a-z0-9.-]+$/i;
/** Postfix splits list parameters (maillog_file_prefixes) on spaces and commas. */
const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;

export function instanceLayout(workDir: string): InstanceLayout {
  const root = join(workDir, 'postfix');
  return {
    root,
    configDirectory: join(root, 'etc'),
    queueDirectory: join(root, 'queue'),
    dataDirectory: join(root, 'data'),
    maillogFile: join(root, 'log', 'maillog'),
  };
}

function checkRoute(path: string, route: LoopbackRoute, issues: string[]): void {
  if (!isLoopbackIpv4(route.address)) issues.push(`${path}.address: must be in 127.0.0.0/8 (got ${route.address})`);
  if (!Number.isInteger(route.port) || route.port < 1 || route.port > 65_535)
    issues.push(`${path}.port: must be 1–65535 (got ${route.port})`);
}

function checkEgress(egress: readonly EgressIdentity[], issues: string[]): void {
  if (egress.length === 0) issues.push('egress: at least one identity is needed (the default source address)');
  const names = new Set<string>();
  egress.forEach((identity, index) => {
    if (!isLoopbackIpv4(identity.sourceIp))
      issues.push(`egress[${index}].sourceIp: must be in 127.0.0.0/8 (got ${identity.sourceIp})`);
    if (!HOST_NAME.test(identity.heloName))
      issues.push(
        `egress[${index}].heloName: not a host name Postfix can send (got ${JSON.stringify(identity.heloName)})`,
      );
    if (names.has(identity.name)) issues.push(`egress[${index}].name: duplicate ${JSON.stringify(identity.name)}`);
    names.add(identity.name);
  });
}

function senderEgressOf(
  bySender: ReadonlyMap<string, string>,
  egress: readonly EgressService[],
  issues: string[],
): Map<string, string> {
  const serviceByName = new Map(egress.map((service) => [service.identity.name, service.service]));
  const result = new Map<string, string>();
  for (const [sender, name] of bySender) {
    const service = serviceByName.get(name);
    if (!SENDER_KEY.test(sender))
      issues.push(`egressBySender[${JSON.stringify(sender)}]: a sender address or @domain is expected`);
    if (service === undefined)
      issues.push(`egressBySender[${JSON.stringify(sender)}]: no egress identity named ${JSON.stringify(name)}`);
    else result.set(sender.toLowerCase(), service);
  }
  return result;
}

/** Checks the environment and options and plans the instance; throws E_POSTFIX_CONFIG listing every problem. */
export function planInstance(environment: MtaEnvironment, options: PlanOptions): InstancePlan {
  const issues: string[] = [];
  if (!SAFE_PATH.test(environment.workDir))
    issues.push(
      `workDir: must be an absolute path of letters, digits and ._/- (got ${JSON.stringify(environment.workDir)})`,
    );
  checkRoute('smtpd', options.smtpd, issues);
  checkRoute('returnPath', environment.returnPath, issues);
  const routes = new Map<string, LoopbackRoute>();
  for (const [domain, route] of environment.routes) {
    if (!HOST_NAME.test(domain)) issues.push(`routes[${JSON.stringify(domain)}]: not a domain name`);
    checkRoute(`routes[${JSON.stringify(domain)}]`, route, issues);
    routes.set(domain.toLowerCase(), route);
  }
  if (routes.size === 0) issues.push('routes: empty; Postfix would have nowhere to send');
  checkEgress(environment.egress, issues);
  const egress = environment.egress.map((identity, index) => ({ service: `egress-${index}`, identity }));
  const senderEgress = senderEgressOf(options.egressBySender ?? new Map(), egress, issues);
  const myhostname = options.myhostname ?? DEFAULT_MYHOSTNAME;
  if (!HOST_NAME.test(myhostname)) issues.push(`myhostname: not a host name (got ${JSON.stringify(myhostname)})`);
  issues.push(...mainCfOverrideIssues(options.mainCf ?? {}));
  let timers: PostfixTimers | undefined;
  try {
    timers = scaledTimers(environment.clockScale, options.timers);
  } catch (error) {
    issues.push(`timers: ${(error as Error).message}`);
  }
  if (issues.length > 0 || timers === undefined) {
    throw new PostfixAdapterError('E_POSTFIX_CONFIG', `cannot plan a Postfix instance:\n  ${issues.join('\n  ')}`);
  }
  return {
    layout: instanceLayout(environment.workDir),
    smtpd: options.smtpd,
    routes,
    egress,
    senderEgress,
    returnPath: environment.returnPath,
    timers,
    myhostname,
    mainCf: options.mainCf ?? {},
  };
}
