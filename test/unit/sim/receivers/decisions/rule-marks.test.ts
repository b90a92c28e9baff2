/**
 * Every rule mark a receiver can write is reachable, and reached where it should be: one row
 * per mark of decisions/rule-marks.ts. The table is a `Record` over the closed list, so a new
 * mark without a row does not compile, and a row whose decision no longer writes its mark fails.
 * Shared marks are asked of the pure decisions over a state record put where the row needs it;
 * the gateways' marks go through a whole gateway receiver, as a sender meets them.
 */
import { describe, expect, test } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../../../../kernel/clock/clock.ts';
import type { Decision, TruthDraft } from '../../../../../sim/receivers/decisions/decision.ts';
import { decideData, decideDataBegins } from '../../../../../sim/receivers/decisions/decide-data.ts';
import { decideRecipient } from '../../../../../sim/receivers/decisions/decide-rcpt.ts';
import { decideConnect, decideMailFrom } from '../../../../../sim/receivers/decisions/decide-session.ts';
import { GATEWAY_RULE_MARKS, SHARED_RULE_MARKS } from '../../../../../sim/receivers/decisions/rule-marks.ts';
import type { GatewayRuleMark, SharedRuleMark } from '../../../../../sim/receivers/decisions/rule-marks.ts';
import { GATEWAY_FAMILY_LIST } from '../../../../../sim/receivers/gateways/families.ts';
import { createGatewayReceiver, gatewayHooks, gatewayProfile } from '../../../../../sim/receivers/gateways/gateway.ts';
import type { GatewayFamily } from '../../../../../sim/receivers/gateways/gateway.ts';
import { ReceiverIncidents } from '../../../../../sim/receivers/incidents.ts';
import type { ProviderProfile } from '../../../../../sim/receivers/profile.ts';
import { GMAIL } from '../../../../../sim/receivers/providers/gmail.ts';
import type { TruthRecord } from '../../../../../sim/truth/truth-record.ts';
import type { Tenant } from '../../../../../sim/world/tenants.ts';
import { openSession, sendOne, testMessage } from '../../../../support/dialogue.ts';
import { decisionWorld } from '../../../../support/decision-world.ts';
import type { DecisionWorldOptions } from '../../../../support/decision-world.ts';
import { receiverWorld } from '../../../../support/receiver-world.ts';

const ALICE = 'alice@gmail.com';
const SENDER = 'bounces@news.mailbench.test';

function gmailWith(changes: Partial<ProviderProfile>): ProviderProfile {
  return { ...GMAIL, ...changes };
}

/** Gmail with the DMARC, bulk and TLS rules relaxed or changed as a row needs. */
const RELAXED: ProviderProfile = gmailWith({
  tls: 'offered',
  authentication: { ...GMAIL.authentication, ptrRequired: false },
});

function world(profile: ProviderProfile = RELAXED, options: DecisionWorldOptions<never> = {}) {
  return decisionWorld(profile, { mailboxes: { [ALICE]: 'active' }, ...options });
}

/** One message to `recipients`, already accepted at RCPT, arriving at DATA. */
function dataOf(
  profile: ProviderProfile,
  options: DecisionWorldOptions<never>,
  recipients: readonly string[],
  body = testMessage(recipients[0] ?? ALICE),
  mailFrom = SENDER,
): Decision<never> {
  const at = world(profile, options);
  return decideData(at.at(), at.session({ mailFrom, recipients }), { data: body, sizeBytes: Buffer.byteLength(body) });
}

function unsignedFrom(fromDomain: string): string {
  return [`From: <news@${fromDomain}>`, `To: <${ALICE}>`, 'Subject: test', '', 'hello', ''].join('\r\n');
}

function outage(mode: 'connect-421' | 'tempfail'): ReceiverIncidents {
  const incidents = new ReceiverIncidents(GMAIL.id);
  const { scheduler } = receiverWorld({});
  incidents.scheduleOutage(scheduler.now() - HOUR_MS, scheduler.now() + HOUR_MS, mode);
  return incidents;
}

/** Places `count` messages for a sender of `band`, and the rules they were filed under. */
function placements(band: 'high' | 'low', count: number): readonly TruthDraft[] {
  const at = world();
  const truth: TruthDraft[] = [];
  for (let sent = 0; sent < count; sent++) {
    const session = at.session({ mailFrom: SENDER, recipients: [ALICE] });
    if (band !== 'high') at.sinkTo(band, session);
    const body = testMessage(ALICE);
    truth.push(...decideData(at.at(), session, { data: body, sizeBytes: body.length }).truth);
  }
  return truth;
}

const SHARED_REACH: Record<SharedRuleMark, () => readonly TruthDraft[]> = {
  'outage.connect-421': () =>
    decideConnect(world(RELAXED, { incidents: outage('connect-421') }).at(), world().session()).truth,
  'fault.refuse-at-connect': () =>
    decideConnect(world(RELAXED, { faults: { refuseAtConnect: 1 } }).at(), world().session()).truth,
  'connect.too-many-connections': () => {
    const at = world();
    const limit = RELAXED.admission.connectionsPerIp.value;
    for (let open = 0; open < limit; open++)
      at.state.apply({ kind: 'open-connection' }, at.session(), at.at().nowMs, () => undefined);
    return decideConnect(at.at(), at.session()).truth;
  },
  'connect.reputation-block': () => {
    const gated = gmailWith({
      admission: { ...GMAIL.admission, reputationGate: { stage: 'connect', source: 'test' } },
    });
    const at = world(gated);
    at.sinkTo('bad', at.session());
    return decideConnect(at.at(), at.session()).truth;
  },
  'mail.messages-per-connection': () => {
    const at = world();
    const session = at.session();
    session.messagesAccepted = RELAXED.admission.messagesPerConnection.value;
    return decideMailFrom(at.at(), session, SENDER).truth;
  },
  'outage.tempfail': () => {
    const at = world(RELAXED, { incidents: outage('tempfail') });
    return decideRecipient(at.at(), at.session({ mailFrom: SENDER }), ALICE).truth;
  },
  'tls.required': () => {
    const at = world(gmailWith({ tls: 'required' }));
    return decideRecipient(at.at(), at.session({ tls: false, mailFrom: SENDER }), ALICE).truth;
  },
  'auth.ptr': () => {
    const at = world(GMAIL);
    // 127.0.0.9 has no PTR in the test DNS.
    return decideRecipient(at.at(), at.session({ peerIp: '127.0.0.9', mailFrom: SENDER }), ALICE).truth;
  },
  'reputation.block': () => {
    const at = world();
    const session = at.session({ mailFrom: SENDER });
    at.sinkTo('bad', session);
    return decideRecipient(at.at(), session, ALICE).truth;
  },
  'rate.hourly': () => {
    const at = world();
    const session = at.session({ mailFrom: SENDER });
    const allowance = at.state.hourlyAllowanceOf(session.peerIp, 'high', at.at().nowMs);
    for (let sent = 0; sent < allowance; sent++)
      at.state.apply({ kind: 'count-accepted', peerIp: session.peerIp }, session, at.at().nowMs, () => undefined);
    return decideRecipient(at.at(), session, ALICE).truth;
  },
  'greylist.new-triplet': () => {
    const greylisting = gmailWith({
      ...RELAXED,
      greylist: {
        delayMs: { value: 5 * MINUTE_MS, unit: 'ms', source: 'test' },
        memoryMs: { value: HOUR_MS, unit: 'ms', source: 'test' },
      },
      replies: { ...GMAIL.replies, greylisted: GMAIL.replies.rateLimited },
    });
    const at = world(greylisting);
    return decideRecipient(at.at(), at.session({ mailFrom: SENDER }), ALICE).truth;
  },
  'rcpt.unknown-user': () => {
    const at = world();
    return decideRecipient(at.at(), at.session({ mailFrom: SENDER }), 'nobody@gmail.com').truth;
  },
  'rcpt.disabled': () => {
    const at = world(RELAXED, { mailboxes: { [ALICE]: 'disabled' } });
    return decideRecipient(at.at(), at.session({ mailFrom: SENDER }), ALICE).truth;
  },
  'rcpt.over-quota': () => {
    const at = world(RELAXED, { mailboxes: { [ALICE]: 'full' } });
    return decideRecipient(at.at(), at.session({ mailFrom: SENDER }), ALICE).truth;
  },
  'fault.server-error': () => {
    const at = world(RELAXED, { faults: { serverError: 1 } });
    return decideRecipient(at.at(), at.session({ mailFrom: SENDER }), ALICE).truth;
  },
  'fault.drop-mid-data': () => {
    const at = world(RELAXED, { faults: { dropMidData: 1 } });
    return decideDataBegins(at.at(), at.session({ mailFrom: SENDER, recipients: [ALICE] }))?.truth ?? [];
  },
  'fault.drop-in-data': () => dataOf(RELAXED, { faults: { dropInData: 1 } }, [ALICE]).truth,
  'fault.timeout-in-data': () => dataOf(RELAXED, { faults: { timeoutInData: 1 } }, [ALICE]).truth,
  'data.too-large': () =>
    dataOf(gmailWith({ maxMessageBytes: { value: 10, unit: 'bytes', source: 'test' } }), {}, [ALICE]).truth,
  // news.mailbench.test publishes p=reject; an unsigned message from it, sent from a domain without SPF, fails DMARC.
  'auth.dmarc-reject': () =>
    dataOf(RELAXED, {}, [ALICE], unsignedFrom('news.mailbench.test'), 'bounces@unsigned.example').truth,
  'auth.unauthenticated': () =>
    dataOf(RELAXED, {}, [ALICE], unsignedFrom('unsigned.example'), 'bounces@unsigned.example').truth,
  'auth.bulk-requirements': () => {
    const bulk = gmailWith({
      authentication: {
        ...RELAXED.authentication,
        bulk: 'spf-or-dkim',
        bulkNeedsDmarc: true,
        bulkPerDay: { value: 1, unit: 'messages', source: 'test' },
      },
    });
    const at = world(bulk);
    // SPF passes for nodmarc.mailbench.test, which publishes no DMARC record.
    at.world.dns.addTxt('nodmarc.mailbench.test', 'v=spf1 ip4:127.0.0.0/8 -all');
    const body = unsignedFrom('nodmarc.mailbench.test');
    return decideData(at.at(), at.session({ mailFrom: 'bounces@nodmarc.mailbench.test', recipients: [ALICE] }), {
      data: body,
      sizeBytes: body.length,
    }).truth;
  },
  'data.spam-rejected': () => {
    const rejecting = gmailWith({
      ...RELAXED,
      spamHandling: 'reject',
      replies: { ...GMAIL.replies, contentSpam: GMAIL.replies.authFailure },
    });
    const at = world(rejecting);
    const session = at.session({ mailFrom: SENDER, recipients: [ALICE] });
    at.sinkTo('low', session);
    // A low band files more than half in spam: forty messages meet the verdict.
    return Array.from(
      { length: 40 },
      () => decideData(at.at(), session, { data: testMessage(ALICE), sizeBytes: 1 }).truth,
    ).flat();
  },
  'trap.pristine': () =>
    dataOf(RELAXED, { mailboxes: { 'trap@gmail.com': { status: 'trap', trap: 'pristine' } } }, ['trap@gmail.com'])
      .truth,
  'trap.recycled': () =>
    dataOf(RELAXED, { mailboxes: { 'trap@gmail.com': { status: 'trap', trap: 'recycled' } } }, ['trap@gmail.com'])
      .truth,
  'trap.typo': () =>
    dataOf(RELAXED, { mailboxes: { 'trap@gmail.com': { status: 'trap', trap: 'typo' } } }, ['trap@gmail.com']).truth,
  'data.inbox': () => placements('high', 5),
  // A high band files 2 % in spam; a low band discards 2 %: a few hundred messages meet each.
  'data.spam': () => placements('high', 400),
  'data.discard': () => placements('low', 400),
};

describe('shared decisions: every mark is reachable', () => {
  test.each([...SHARED_RULE_MARKS])('%s', (mark) => {
    const truth = SHARED_REACH[mark]();
    expect(truth.map((draft) => draft.rule)).toContain(mark);
  });
});

function tenantOf(family: GatewayFamily, validation: Tenant['validation']): Tenant {
  return {
    domain: 'northwind-0001.example',
    family: family.id,
    slug: 'northwind-0001',
    number: 100_001,
    validation,
    region: 'eu',
  };
}

function family(id: string): GatewayFamily {
  const found = GATEWAY_FAMILY_LIST.find((each) => each.id === id);
  if (found === undefined) throw new Error(`no gateway family ${id}`);
  const open = (value: number) => ({ value, unit: 'test', source: 'test override' });
  // Admission wide open and no greylisting, so a row sees only the gateway's own policy.
  const admission = {
    ...found.profile.admission,
    newIpPerHour: open(100_000),
    maxPerHour: open(1_000_000),
    messagesPerConnection: open(1_000_000),
  };
  return { ...found, profile: { ...found.profile, admission, greylist: null } };
}

/** Sends to `recipients` one message each through a whole gateway receiver; the truth it wrote. */
function throughGateway(
  gateway: GatewayFamily,
  validation: Tenant['validation'],
  recipients: readonly string[],
  existing: readonly string[],
  limitsOff = false,
): readonly TruthRecord[] {
  const { context } = receiverWorld(Object.fromEntries(existing.map((address) => [address, 'active' as const])));
  const receiver = createGatewayReceiver(gateway, [tenantOf(gateway, validation)], context, { limitsOff });
  const session = openSession(receiver);
  for (const recipient of recipients) sendOne(receiver, session, [recipient]);
  return context.truth.all();
}

const user = (index: number): string => `user${index}@northwind-0001.example`;
const users = (count: number): string[] => Array.from({ length: count }, (_, index) => user(index));
const ghosts = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `ghost${index}@northwind-0001.example`);

/**
 * One real user asked of the gateway's pure decisions while the sender stands in the family's
 * disguise band (low), far below the velocity threshold; then the message, as DATA decides it.
 */
function inDisguiseBand(
  gateway: GatewayFamily,
  validation: Tenant['validation'],
): readonly { readonly rule: string }[] {
  const tenants = [tenantOf(gateway, validation)];
  const at = decisionWorld(gatewayProfile(gateway, tenants), {
    mailboxes: { [user(0)]: 'active' },
    hooks: gatewayHooks(gateway, tenants, { limitsOff: false }),
  });
  const session = at.session({ mailFrom: SENDER });
  at.sinkTo('low', session);
  const rcpt = decideRecipient(at.at(), session, user(0));
  for (const effect of rcpt.effects)
    at.state.apply(effect, session, at.at().nowMs, (own) => at.at().hooks.applyEffect?.(own));
  const body = testMessage(user(0));
  const truth =
    rcpt.reply.code >= 300 ? rcpt.truth : decideData(at.at(), session, { data: body, sizeBytes: body.length }).truth;
  // As the receiver's shell records it: the family's id before the mark.
  return truth.map((draft) => ({ rule: `${gateway.id}.${draft.rule}` }));
}

const GATEWAY_REACH: Record<
  GatewayRuleMark,
  { readonly family: string; readonly reach: (gateway: GatewayFamily) => readonly { readonly rule: string }[] }
> = {
  'sticky-invalid': {
    family: 'proofpoint',
    reach: (gateway) =>
      throughGateway(gateway, 'edge', ['ghost@northwind-0001.example', 'ghost@northwind-0001.example'], []),
  },
  // Limits off: the unknown users would otherwise sink the new IP to the bad band, refused before the gateway's own policy.
  'harvest-prevention': {
    family: 'cisco-secure-email',
    reach: (gateway) => throughGateway(gateway, 'edge', [...ghosts(12), user(0)], [user(0)], true),
  },
  'bogus.velocity': {
    family: 'microsoft-365',
    reach: (gateway) => throughGateway(gateway, 'edge', users(310), users(310)),
  },
  'bogus.reputation': { family: 'microsoft-365', reach: (gateway) => inDisguiseBand(gateway, 'edge') },
  'downstream.unknown-user': {
    family: 'proofpoint',
    reach: (gateway) => throughGateway(gateway, 'downstream', ['ghost@northwind-0001.example'], []),
  },
  'downstream.bogus.velocity': {
    family: 'proofpoint',
    reach: (gateway) => throughGateway(gateway, 'downstream', users(210), users(210)),
  },
  'downstream.bogus.reputation': { family: 'proofpoint', reach: (gateway) => inDisguiseBand(gateway, 'downstream') },
};

describe('gateway decisions: every mark is reachable through a gateway receiver', () => {
  test.each([...GATEWAY_RULE_MARKS])('%s', (mark) => {
    const row = GATEWAY_REACH[mark];
    const truth = row.reach(family(row.family));
    expect(truth.map((record) => record.rule)).toContain(`${row.family}.${mark}`);
  });
});
