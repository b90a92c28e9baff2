/**
 * The private instance's configuration, from an environment to main.cf, master.cf and the
 * lookup tables: loopback only, no DNS, one smtp service per egress identity, fleet domains
 * relayed and routed exactly, DSNs to the return path, timers scaled; and every bad input
 * reported at once with the field named.
 */
import { describe, expect, test } from 'vitest';
import type { MtaEnvironment } from '../../../../../mta-under-test/adapters/mta-under-test.ts';
import { instanceFiles } from '../../../../../mta-under-test/adapters/postfix/instance-files.ts';
import { planInstance } from '../../../../../mta-under-test/adapters/postfix/instance-plan.ts';

const ENVIRONMENT: MtaEnvironment = {
  routes: new Map([
    ['gmail.com', { address: '127.0.1.1', port: 40123 }],
    ['Yahoo.com', { address: '127.0.1.2', port: 40124 }],
  ]),
  egress: [
    { name: 'pool-a', sourceIp: '127.0.0.21', heloName: 'mta-a.sender.test' },
    { name: 'pool-b', sourceIp: '127.0.0.22', heloName: 'mta-b.sender.test' },
  ],
  returnPath: { address: '127.0.2.1', port: 40200 },
  workDir: '/tmp/run-1',
  clockScale: 60,
  onReturnMail: () => undefined,
};
const SMTPD = { address: '127.0.0.1', port: 40100 };

function setting(mainCf: string, name: string): string | undefined {
  return (
    new RegExp(`^${name} =(?: (.*))?$`, 'm').exec(mainCf)?.[1] ??
    (new RegExp(`^${name} =$`, 'm').test(mainCf) ? '' : undefined)
  );
}

describe('instanceFiles', () => {
  const files = instanceFiles(
    planInstance(ENVIRONMENT, { smtpd: SMTPD, egressBySender: new Map([['@b.sender.test', 'pool-b']]) }),
  );

  test('main.cf: own directories and log, loopback, no DNS, no local delivery', () => {
    // Act
    const mainCf = files['main.cf'];
    // Assert
    expect(setting(mainCf, 'queue_directory')).toBe('/tmp/run-1/postfix/queue');
    expect(setting(mainCf, 'data_directory')).toBe('/tmp/run-1/postfix/data');
    expect(setting(mainCf, 'maillog_file')).toBe('/tmp/run-1/postfix/log/maillog');
    expect(setting(mainCf, 'maillog_file_prefixes')).toBe('/tmp/run-1/postfix/log');
    expect(setting(mainCf, 'inet_interfaces')).toBe('loopback-only');
    expect(setting(mainCf, 'mynetworks')).toBe('127.0.0.0/8');
    expect(setting(mainCf, 'smtp_dns_support_level')).toBe('disabled');
    expect(setting(mainCf, 'smtp_host_lookup')).toBe('native');
    expect(setting(mainCf, 'mydestination')).toBe('');
    expect(setting(mainCf, 'relay_domains')).toBe('');
    expect(setting(mainCf, 'parent_domain_matches_subdomains')).toBe('');
    expect(setting(mainCf, 'smtpd_relay_restrictions')).toBe(
      'check_recipient_access texthash:/tmp/run-1/postfix/etc/relay-recipients, reject_unauth_destination',
    );
    expect(setting(mainCf, 'default_transport')).toBe('egress-0');
  });

  test('main.cf: timers divided by clockScale', () => {
    // Act
    const mainCf = files['main.cf'];
    // Assert
    expect(
      [
        'minimal_backoff_time',
        'maximal_backoff_time',
        'queue_run_delay',
        'maximal_queue_lifetime',
        'bounce_queue_lifetime',
      ].map((name) => setting(mainCf, name)),
    ).toEqual(['5s', '67s', '5s', '7200s', '7200s']);
  });

  test('master.cf: one smtpd on the injection address, one smtp service per identity', () => {
    // Act
    const masterCf = files['master.cf'];
    // Assert
    expect(masterCf).toMatch(/^127\.0\.0\.1:40100 inet n - n - - smtpd$/m);
    expect(masterCf).toMatch(/^postlog +unix-dgram n - n - 1 postlogd$/m);
    expect(masterCf).toContain(
      'egress-1 unix - - n - - smtp\n  -o smtp_bind_address=127.0.0.22\n  -o smtp_helo_name=mta-b.sender.test\n  -o syslog_name=postfix/egress-1\n',
    );
    expect(masterCf).not.toMatch(/^smtp +(unix|inet)/m);
  });

  test('tables: exact domains routed by nexthop only, relayed, DSNs and pinned senders', () => {
    // Assert
    expect(files.transport).toBe('gmail.com :[127.0.1.1]:40123\nyahoo.com :[127.0.1.2]:40124\n');
    expect(files['relay-recipients']).toBe('gmail.com OK\nyahoo.com OK\n');
    expect(files['sender-transport']).toBe('<> egress-0:[127.0.2.1]:40200\n@b.sender.test egress-1:\n');
  });
});

describe('planInstance', () => {
  test('lists every problem, each with its field', () => {
    // Arrange
    const bad: MtaEnvironment = {
      ...ENVIRONMENT,
      routes: new Map([
        ['gmail.com', { address: '10.0.0.1', port: 25 }],
        ['bad domain', { address: '127.0.1.1', port: 0 }],
      ]),
      egress: [{ name: 'a', sourceIp: '192.168.1.2', heloName: 'has space' }],
      returnPath: { address: '8.8.8.8', port: 25 },
      workDir: 'relative, dir',
      clockScale: 0,
    };
    // Act
    const attempt = () => planInstance(bad, { smtpd: SMTPD, egressBySender: new Map([['news@x.test', 'nope']]) });
    // Assert
    expect(attempt).toThrow(expect.objectContaining({ code: 'E_POSTFIX_CONFIG' }) as Error);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const fragment of [
      'workDir',
      'returnPath.address',
      'routes["gmail.com"].address',
      'routes["bad domain"]: not a domain',
      'routes["bad domain"].port',
      'egress[0].sourceIp',
      'egress[0].heloName',
      'egressBySender["news@x.test"]: no egress identity',
      'timers: clockScale',
    ]) {
      expect(message).toContain(fragment);
    }
  });
});

describe("mainCf: the user's tuning", () => {
  test("is written after the bench's settings, so Postfix takes it", () => {
    // Arrange
    const plan = planInstance(ENVIRONMENT, {
      smtpd: SMTPD,
      mainCf: { default_destination_concurrency_limit: '4', smtp_connection_cache_on_demand: 'no' },
    });
    // Act
    const mainCf = instanceFiles(plan)['main.cf'];
    // Assert
    const lines = mainCf.trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual([
      "# the user's tuning (mainCf)",
      'default_destination_concurrency_limit = 4',
      'smtp_connection_cache_on_demand = no',
    ]);
    expect(setting(mainCf, 'transport_maps')).toBe('texthash:/tmp/run-1/postfix/etc/transport');
  });

  test('stock Postfix has no tuning section', () => {
    expect(instanceFiles(planInstance(ENVIRONMENT, { smtpd: SMTPD }))['main.cf']).not.toContain('mainCf');
  });

  test('refuses, by name, what keeps the instance on loopback, in its folder and on the run clock', () => {
    // Act
    const plan = (): unknown =>
      planInstance(ENVIRONMENT, {
        smtpd: SMTPD,
        mainCf: {
          relayhost: '[smtp.example.com]',
          smtp_bind_address: '10.0.0.1',
          transport_maps: 'hash:/etc/postfix/transport',
          minimal_backoff_time: '300s',
          'bad name': 'x',
          smtp_helo_timeout: '30s\nrelayhost = evil',
        },
      });
    // Assert
    expect(plan).toThrow(/mainCf\.relayhost: set by the bench/);
    expect(plan).toThrow(/mainCf\.smtp_bind_address: set by the bench/);
    expect(plan).toThrow(/mainCf\.transport_maps: set by the bench/);
    expect(plan).toThrow(/mainCf\.minimal_backoff_time: set by the bench/);
    expect(plan).toThrow(/mainCf\["bad name"\]: not a main.cf parameter name/);
    expect(plan).toThrow(/mainCf\.smtp_helo_timeout: the value must be one line/);
  });
});
