/**
 * What a run tells the sender before it starts (MtaEnvironment): where each recipient domain's
 * mail goes, the sender's egress identities, the return path, a work folder and the clock.
 * In wire mode routes are the loopback listeners of each domain's first MX host; in sim mode
 * the sender is on the run's own transport and DNS, and the routes name where those would be.
 */
import type { LoopbackRoute, MtaEnvironment } from '../mta-under-test/index.ts';
import type { ResolvedScenario } from '../scenarios/index.ts';
import type { FleetListeners } from '../sim/index.ts';
import { domainOf } from '../kernel/index.ts';
import type { ReturnPathInbox } from './return-path-inbox.ts';
import { SENDER_INBOUND_ADDRESS } from './sender-setup.ts';
import type { World } from './world.ts';

/** The SMTP port receivers listen on in sim mode's DNS; wire mode uses ephemeral ports. */
export const SIM_SMTP_PORT = 25;

export type RunEnvironment = MtaEnvironment & { readonly mxHostByDomain: ReadonlyMap<string, string> };

/** Routes for every recipient domain the scenario mails (its first MX host's listener), the sender domain → the inbox. */
export function wireEnvironment(
  scenario: ResolvedScenario,
  world: World,
  place: {
    readonly listeners: FleetListeners;
    readonly returnPath: LoopbackRoute;
    readonly workDir: string;
    readonly clockScale: number;
  },
  inbox: ReturnPathInbox,
): RunEnvironment {
  const routes = new Map<string, LoopbackRoute>();
  const mxHostByDomain = new Map<string, string>();
  for (const recipient of world.population.recipients) {
    const domain = domainOf(recipient);
    if (routes.has(domain)) continue;
    const answer = world.dns.mx(domain);
    const host = answer.kind === 'records' ? answer.records[0]?.exchange : undefined;
    const listener = host === undefined ? undefined : place.listeners.routes.get(host);
    if (listener === undefined || host === undefined) continue;
    routes.set(domain, { address: listener.address, port: listener.port });
    mxHostByDomain.set(domain, host);
  }
  routes.set(domainOf(scenario.sender.mailFrom), place.returnPath);
  return {
    routes,
    egress: egressOf(scenario),
    returnPath: place.returnPath,
    workDir: place.workDir,
    clockScale: place.clockScale,
    mxHostByDomain,
    onReturnMail: (listener) => inbox.forwardTo(listener),
  };
}

/** Sim mode: no listeners; the sender's transport and DNS are the run's, its return mail the in-process inbox's. */
export function simEnvironment(scenario: ResolvedScenario, inbox: ReturnPathInbox, workDir: string): RunEnvironment {
  const returnPath = { address: SENDER_INBOUND_ADDRESS, port: SIM_SMTP_PORT };
  return {
    routes: new Map([[domainOf(scenario.sender.mailFrom), returnPath]]),
    egress: egressOf(scenario),
    returnPath,
    workDir,
    // Time is the run's virtual clock, which the sender is given; no real time passes.
    clockScale: 1,
    mxHostByDomain: new Map(),
    onReturnMail: (listener) => inbox.forwardTo(listener),
  };
}

function egressOf(scenario: ResolvedScenario): MtaEnvironment['egress'] {
  return scenario.sender.sources.map((source) => ({
    name: source.name,
    sourceIp: source.sourceIp,
    heloName: source.heloName,
  }));
}
