/**
 * Builds the simulated world a scenario describes: the recipients and which of them exist,
 * the receivers and their DNS, the truth log. Every part draws chance from its own fork of
 * the run's seed, so adding a part never shifts the draws of another.
 */
import type { ResolvedScenario } from '../scenarios/index.ts';
import { domainOf, Rng } from '../kernel/index.ts';
import type { Clock } from '../kernel/index.ts';
import {
  buildFleet,
  DnsZone,
  generatePopulation,
  LaterEventLog,
  MailauthAudit,
  organizationalDomain,
  TruthRecorder,
} from '../sim/index.ts';
import type { Fleet, Population, SenderHistory } from '../sim/index.ts';
import { publishSender } from './sender-setup.ts';
import type { SenderSetup } from './sender-setup.ts';

export interface World {
  readonly rng: Rng;
  readonly dns: DnsZone;
  readonly truth: TruthRecorder;
  readonly population: Population;
  readonly fleet: Fleet;
  /** Complaints, later bounces and engagement the receivers send back. */
  readonly later: LaterEventLog;
  /** The sender's published identity: its DKIM key and From address. */
  readonly sender: SenderSetup;
  /** Sim mode's check of its judge: mailauth judges a sample of the messages as well. */
  readonly authenticationAudit: MailauthAudit;
}

/** An established sender's history, for its IPs and its organizational domain at every receiver. */
function senderHistoryOf(scenario: ResolvedScenario): { senderHistory?: (key: string) => SenderHistory | undefined } {
  const history = scenario.sender.history;
  if (history === null) return {};
  const domain = organizationalDomain(domainOf(scenario.sender.mailFrom));
  const keys = new Set([...scenario.sender.sources.map((source) => `ip:${source.sourceIp}`), `domain:${domain}`]);
  return { senderHistory: (key) => (keys.has(key) ? history : undefined) };
}

export function buildWorld(scenario: ResolvedScenario, seed: string, clock: Clock): World {
  const rng = new Rng(seed);
  const dns = new DnsZone();
  const truth = new TruthRecorder();
  const later = new LaterEventLog();
  const authenticationAudit = new MailauthAudit(dns);
  const { corporate, traps, engagement } = scenario.population;
  const population = generatePopulation(
    {
      recipients: scenario.population.recipients,
      domains: scenario.population.domains,
      unknownShare: scenario.population.unknownShare,
      corporate,
      traps,
      engagement,
      startMs: clock.now(),
    },
    rng.fork('population'),
  );
  const fleet = buildFleet(
    {
      clock,
      rng: rng.fork('receivers'),
      truth,
      dns,
      mailboxes: population.mailboxes,
      later,
      faults: scenario.receivers.faults,
      authenticationAudit,
      ...senderHistoryOf(scenario),
    },
    { limitsOff: scenario.receivers.limitsOff, tenants: population.tenants },
  );
  const sender = publishSender(dns, scenario.sender, rng.fork('sender'), scenario.sender.auth);
  return { rng, dns, truth, population, fleet, later, sender, authenticationAudit };
}
