/**
 * A B2B gateway family in front of many corporate domains (tenants), run by the shared engine
 * with the family's own policy on top (facts/isp-behaviors.md §5-7):
 *
 * - Past its thresholds — recipients per tenant per sending IP per hour (velocity), or the
 *   sender's reputation falling into the family's disguise bands — it refuses real, existing
 *   users with exactly its user-unknown text. The truth says `disguised-policy-block`; the
 *   sender sees the same words as a true unknown user at that gateway, so only behaviour
 *   (bursts, history, velocity) can tell them apart.
 * - Tenants that validate downstream accept every recipient and bounce later by DSN, quoting
 *   the downstream server (Proofpoint, Barracuda, Exchange Online without DBEB, Cisco without
 *   LDAP accept; facts §7).
 * - Family quirks: Proofpoint's sticky invalid list (an address refused once stays refused),
 *   Cisco's directory harvest prevention (after N invalid recipients per hour every recipient
 *   is refused, valid or not).
 */
import { HOUR_MS, MINUTE_MS } from '../../../kernel/index.ts';
import type { BounceMailFormat } from '../../later/bounce-mail.ts';
import { domainOf } from '../../mechanisms/auth/authentication.ts';
import { RollingWindow } from '../../mechanisms/rate-window.ts';
import type { ReputationBand } from '../../mechanisms/reputation.ts';
import type { Tenant } from '../../world/tenants.ts';
import type { GatewayFamilyId } from '../../world/tenants.ts';
import type { ProviderProfile, ReplyMaker, Sourced } from '../profile.ts';
import { createProfiledReceiver } from '../profiled-receiver.ts';
import type {
  HookAnswer,
  ProfiledReceiver,
  ReceiverHooks,
  ProfiledReceiverOptions,
  RecipientDecision,
  RecipientQuestion,
} from '../profiled-receiver.ts';

import type { ReceiverContext } from '../receiver.ts';

/** What a gateway counts and remembers of the recipients it is asked about. */
export type GatewayEffect =
  | { readonly kind: 'count-velocity'; readonly key: string; readonly atMs: number }
  | { readonly kind: 'count-invalid'; readonly key: string; readonly atMs: number }
  | { readonly kind: 'stick'; readonly recipient: string };

export interface GatewayThresholds {
  /** Recipients per tenant per sending IP per rolling hour before real users are refused as unknown. */
  readonly velocityPerTenantHour: Sourced;
  /** Reputation bands at which the gateway refuses real users as unknown. */
  readonly disguiseBands: readonly ReputationBand[];
}

export interface GatewayFamily {
  readonly id: GatewayFamilyId;
  /** The family's limits, rules and texts; `domains` and `mxHosts` come from its tenants. */
  readonly profile: Omit<ProviderProfile, 'domains' | 'mxHosts' | 'id' | 'kind'>;
  /** How the family names a tenant's MX hosts, in preference order. */
  readonly mxHostsFor: (tenant: Tenant) => readonly string[];
  /** The naming pattern, for listings (`<tenant>.mail.protection.outlook.com`). */
  readonly mxPattern: string;
  readonly thresholds: GatewayThresholds;
  /** How long a downstream bounce takes. */
  readonly asyncBounceDelayMs: Sourced;
  /** The downstream server's refusal that a later DSN quotes. */
  readonly downstreamUnknown: ReplyMaker;
  /**
   * The later bounce is the one the tenant's own server wrote, passed on (Barracuda) or sent
   * directly (Cisco without LDAP accept), so it comes in that server's format; otherwise the
   * family writes it (`profile.bounceMail`).
   */
  readonly bouncesWrittenDownstream?: boolean;
  /** Proofpoint: the text for an address on the sticky invalid list. */
  readonly stickyInvalid?: ReplyMaker;
  /** Cisco DHAP: invalid recipients per tenant per IP per hour before every recipient is refused. */
  readonly harvestPrevention?: Sourced;
}

/**
 * The mail server a tenant runs behind its gateway, by the tenant's number rather than a draw, so
 * the world's random streams stay as they were. @assumption equal shares: no census of the
 * servers behind corporate gateways is public; these are the bounce writers seen in the wild
 * (../shared/corpora/sisimai-dev-eml: Postfix, Exchange, Sendmail, qmail).
 */
const DOWNSTREAM_SERVERS: readonly BounceMailFormat[] = ['rfc3464', 'exchange', 'sendmail', 'qmail'];

function downstreamServer(tenant: Tenant): BounceMailFormat {
  return DOWNSTREAM_SERVERS[tenant.number % DOWNSTREAM_SERVERS.length] ?? 'rfc3464';
}

export interface GatewayReceiver extends ProfiledReceiver {
  readonly tenants: readonly Tenant[];
}

export function createGatewayReceiver(
  family: GatewayFamily,
  tenants: readonly Tenant[],
  context: ReceiverContext,
  options: ProfiledReceiverOptions,
): GatewayReceiver {
  const receiver = createProfiledReceiver<GatewayEffect>(
    gatewayProfile(family, tenants),
    context,
    options,
    gatewayHooks(family, tenants, options),
  );
  return Object.assign(receiver, { tenants });
}

/** The family's profile serving these tenants: their domains, their MX hosts. */
export function gatewayProfile(family: GatewayFamily, tenants: readonly Tenant[]): ProviderProfile {
  const mxHosts = [...new Set(tenants.flatMap((tenant) => family.mxHostsFor(tenant)))];
  return {
    ...family.profile,
    id: family.id,
    kind: 'gateway',
    domains: tenants.map((tenant) => tenant.domain),
    mxHosts,
    mxPattern: family.mxPattern,
  };
}

/**
 * A tenant that validates downstream takes every recipient at RCPT; the mail server behind the
 * gateway bounces later, for an unknown user or (disguised) for what the gateway held against it.
 */
function downstreamDecision(
  family: GatewayFamily,
  tenant: Tenant,
  exists: boolean,
  heldAgainst: 'velocity' | 'reputation' | null,
): RecipientDecision | null {
  const delayMs = family.asyncBounceDelayMs.value;
  const written = family.bouncesWrittenDownstream === true ? { format: downstreamServer(tenant) } : {};
  const maker = family.downstreamUnknown;
  if (!exists)
    return { bounceLater: { cause: 'unknown-user', maker, rule: 'downstream.unknown-user', delayMs, ...written } };
  if (heldAgainst === null) return null;
  const rule = heldAgainst === 'velocity' ? 'downstream.bogus.velocity' : 'downstream.bogus.reputation';
  return { bounceLater: { cause: 'disguised-policy-block', maker, rule, delayMs, ...written } };
}

/** The family's own recipient policy, with the counts and lists it keeps, as hooks on the shared decisions. */
export function gatewayHooks(
  family: GatewayFamily,
  tenants: readonly Tenant[],
  options: ProfiledReceiverOptions,
): ReceiverHooks<GatewayEffect> {
  const byDomain = new Map(tenants.map((tenant) => [tenant.domain, tenant]));
  const velocity = new RollingWindow(HOUR_MS, MINUTE_MS);
  const invalid = new RollingWindow(HOUR_MS, MINUTE_MS);
  const sticky = new Set<string>();
  const unknownUser = family.profile.replies.unknownUser;

  /**
   * The gateway's own answer to a recipient, read from its counts; what it counts and remembers
   * goes back as effects, applied by the receiver's shell after the decision.
   */
  const decideRecipient = (question: RecipientQuestion): HookAnswer<GatewayEffect> => {
    const { session, recipient, mailbox, nowMs, band } = question;
    const tenant = byDomain.get(domainOf(recipient));
    if (tenant === undefined) return { decision: null, effects: [] };
    const key = `${session.peerIp}|${tenant.domain}`;
    const effects: GatewayEffect[] = [{ kind: 'count-velocity', key, atMs: nowMs }];
    const decided = (decision: RecipientDecision | null): HookAnswer<GatewayEffect> => ({ decision, effects });
    const exists = mailbox !== undefined;
    const causeIfRefused = exists ? 'disguised-policy-block' : 'unknown-user';

    if (family.stickyInvalid !== undefined && sticky.has(recipient.toLowerCase())) {
      return decided({ refuse: { maker: family.stickyInvalid, cause: causeIfRefused, rule: 'sticky-invalid' } });
    }
    if (family.harvestPrevention !== undefined) {
      if (invalid.count(key, nowMs) >= family.harvestPrevention.value)
        return decided({ refuse: { maker: unknownUser, cause: causeIfRefused, rule: 'harvest-prevention' } });
      if (!exists) effects.push({ kind: 'count-invalid', key, atMs: nowMs });
    }
    // This recipient counts towards the velocity it is judged by.
    const pastVelocity =
      !options.limitsOff && velocity.count(key, nowMs) + 1 > family.thresholds.velocityPerTenantHour.value;
    const pastReputation = family.thresholds.disguiseBands.includes(band);
    if (tenant.validation === 'downstream')
      return decided(
        downstreamDecision(
          family,
          tenant,
          exists,
          pastVelocity || pastReputation ? (pastVelocity ? 'velocity' : 'reputation') : null,
        ),
      );
    if (exists && (pastVelocity || pastReputation)) {
      if (family.stickyInvalid !== undefined) effects.push({ kind: 'stick', recipient });
      return decided({
        refuse: {
          maker: unknownUser,
          cause: 'disguised-policy-block',
          rule: pastVelocity ? 'bogus.velocity' : 'bogus.reputation',
        },
      });
    }
    if (!exists && family.stickyInvalid !== undefined) effects.push({ kind: 'stick', recipient });
    return decided(null);
  };

  const applyEffect = (effect: GatewayEffect): void => {
    switch (effect.kind) {
      case 'count-velocity':
        return velocity.add(effect.key, effect.atMs);
      case 'count-invalid':
        return invalid.add(effect.key, effect.atMs);
      case 'stick':
        sticky.add(effect.recipient.toLowerCase());
        return;
    }
  };

  return {
    decideRecipient,
    applyEffect,
    decidedIn:
      'sim/receivers/gateways/gateway.ts (RCPT: velocity, disguise bands, sticky lists, harvest prevention, downstream validation)',
  };
}
