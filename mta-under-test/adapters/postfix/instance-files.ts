/**
 * The text of a private Postfix instance: main.cf, master.cf and three texthash tables
 * (texthash needs no postmap and is read when a daemon starts). Pure: a plan in, file
 * contents out, so the configuration is unit-tested line by line.
 *
 * How mail finds its way, and why nothing leaves loopback:
 * - Injection: the only inet service is one smtpd on the plan's loopback address. It accepts
 *   clients in mynetworks (loopback) and relays only to the fleet's domains, matched exactly
 *   (`relay-recipients` via check_recipient_access, parent_domain_matches_subdomains empty);
 *   any other recipient gets Postfix's own 554 "Relay access denied" at RCPT.
 * - Egress: one smtp service per identity, `-o smtp_bind_address -o smtp_helo_name` and a
 *   syslog name `postfix/egress-N` that the log reader maps back to the identity. The service
 *   is chosen per sender (sender_dependent_default_transport_maps; default: the first).
 * - Destination: `transport` maps each fleet domain to `:[127.0.1.N]:PORT`. The transport
 *   field is left empty so the sender's egress service is kept; the bracketed numeric nexthop
 *   means no MX or host lookup. DNS is off (smtp_dns_support_level = disabled) and the host
 *   lookup is native only for the unbracketed case, which the relay rule never lets in.
 *   There is no plain `smtp` service at all: a route nobody planned fails inside Postfix.
 * - Bounces: Postfix's DSNs have the null sender; the table's `<>` entry (Postfix's
 *   empty_address_default_transport_maps_lookup_key) sends them to the return-path listener,
 *   whatever the sender's domain is, so the adapter need not know the sender domains.
 *   notify_classes is empty: no postmaster copies that would need a local domain.
 */
import { join } from 'node:path';
import type { InstancePlan } from './instance-plan.ts';

/** File name → content, written into the config directory. */
export type InstanceFiles = Readonly<
  Record<'main.cf' | 'master.cf' | 'transport' | 'relay-recipients' | 'sender-transport', string>
>;

function table(plan: InstancePlan, name: string): string {
  return `texthash:${join(plan.layout.configDirectory, name)}`;
}

function mainCf(plan: InstancePlan): string {
  const { layout, timers } = plan;
  const defaultEgress = plan.egress[0]?.service ?? 'egress-0';
  const settings: [string, string][] = [
    ['compatibility_level', '3.6'],
    ['queue_directory', layout.queueDirectory],
    ['data_directory', layout.dataDirectory],
    ['maillog_file', layout.maillogFile],
    ['maillog_file_prefixes', join(layout.root, 'log')],
    ['myhostname', plan.myhostname],
    ['mydomain', 'mailbench.invalid'],
    ['myorigin', '$myhostname'],
    ['mydestination', ''],
    ['local_transport', 'error:5.3.0 local delivery is disabled in the bench instance'],
    ['alias_maps', ''],
    ['alias_database', ''],
    ['local_recipient_maps', ''],
    ['biff', 'no'],
    ['inet_interfaces', 'loopback-only'],
    ['inet_protocols', 'ipv4'],
    ['mynetworks', '127.0.0.0/8'],
    ['relay_domains', ''],
    ['parent_domain_matches_subdomains', ''],
    ['smtpd_peername_lookup', 'no'],
    ['smtpd_client_restrictions', 'permit_mynetworks, reject'],
    [
      'smtpd_relay_restrictions',
      `check_recipient_access ${table(plan, 'relay-recipients')}, reject_unauth_destination`,
    ],
    ['smtp_dns_support_level', 'disabled'],
    ['smtp_host_lookup', 'native'],
    ['smtp_address_preference', 'ipv4'],
    ['transport_maps', table(plan, 'transport')],
    ['sender_dependent_default_transport_maps', table(plan, 'sender-transport')],
    ['default_transport', defaultEgress],
    ['relay_transport', defaultEgress],
    ['notify_classes', ''],
    ['minimal_backoff_time', `${timers.minimalBackoffS}s`],
    ['maximal_backoff_time', `${timers.maximalBackoffS}s`],
    ['queue_run_delay', `${timers.queueRunDelayS}s`],
    ['maximal_queue_lifetime', `${timers.maximalQueueLifetimeS}s`],
    ['bounce_queue_lifetime', `${timers.bounceQueueLifetimeS}s`],
    ['transport_retry_time', `${timers.transportRetryS}s`],
  ];
  const header =
    '# Written by mailbench (mta-under-test/adapters/postfix): a private instance, never the system one.\n';
  // Postfix takes a parameter's last setting, so the user's tuning goes after the bench's.
  const overrides = Object.entries(plan.mainCf);
  const lines = settings.map(([name, value]) => (value === '' ? `${name} =` : `${name} = ${value}`));
  if (overrides.length > 0)
    lines.push("# the user's tuning (mainCf)", ...overrides.map(([name, value]) => `${name} = ${value}`));
  return header + lines.join('\n') + '\n';
}

/** The services a queue needs, none chrooted (the instance lives in the work dir). */
const BASE_SERVICES = [
  'pickup    unix  n - n 60    1 pickup',
  'cleanup   unix  n - n -     0 cleanup',
  'qmgr      unix  n - n 300   1 qmgr',
  'rewrite   unix  - - n -     - trivial-rewrite',
  'bounce    unix  - - n -     0 bounce',
  'defer     unix  - - n -     0 bounce',
  'trace     unix  - - n -     0 bounce',
  'flush     unix  n - n 1000? 0 flush',
  'proxymap  unix  - - n -     - proxymap',
  'showq     unix  n - n -     - showq',
  'error     unix  - - n -     - error',
  'retry     unix  - - n -     - error',
  'discard   unix  - - n -     - discard',
  'anvil     unix  - - n -     1 anvil',
  'scache    unix  - - n -     1 scache',
  // Postfix ≥ 3.4: the daemon that writes maillog_file.
  'postlog   unix-dgram n - n - 1 postlogd',
];

function masterCf(plan: InstancePlan): string {
  const lines = [
    '# service type private unpriv chroot wakeup maxproc command + args',
    `${plan.smtpd.address}:${plan.smtpd.port} inet n - n - - smtpd`,
    ...BASE_SERVICES,
    ...plan.egress.flatMap(({ service, identity }) => [
      `${service} unix - - n - - smtp`,
      `  -o smtp_bind_address=${identity.sourceIp}`,
      `  -o smtp_helo_name=${identity.heloName}`,
      `  -o syslog_name=postfix/${service}`,
    ]),
  ];
  return lines.join('\n') + '\n';
}

/** Renders every file of the instance's config directory. */
export function instanceFiles(plan: InstancePlan): InstanceFiles {
  const domains = [...plan.routes.keys()].sort();
  const returnService = plan.egress[0]?.service ?? 'egress-0';
  return {
    'main.cf': mainCf(plan),
    'master.cf': masterCf(plan),
    // Empty transport field: keep the sender's egress service, set only the nexthop.
    transport: domains
      .map((domain) => {
        const route = plan.routes.get(domain);
        return route === undefined ? '' : `${domain} :[${route.address}]:${route.port}\n`;
      })
      .join(''),
    'relay-recipients': domains.map((domain) => `${domain} OK\n`).join(''),
    'sender-transport': [
      `<> ${returnService}:[${plan.returnPath.address}]:${plan.returnPath.port}\n`,
      ...[...plan.senderEgress]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([sender, service]) => `${sender} ${service}:\n`),
    ].join(''),
  };
}
