/**
 * The smtp-relay adapter drives an MTA it knows nothing about: here a private Postfix instance
 * that the bench only submits to by SMTP and only hears from through the DSNs it sends to the
 * return-path listener (Postfix's own log is not read). The figures must match what the
 * receivers really answered, and a relay the bench cannot learn from is refused at start.
 *
 * Postfix missing is a failure, not a skip: CI installs it (.ci/run).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { afterEach, expect, test } from 'vitest';
import { PostfixMta, postfixCommand } from '../../mta-under-test/adapters/postfix/index.ts';
import type { SmtpRelayMta } from '../../mta-under-test/adapters/smtp-relay/index.ts';
import {
  ENVIRONMENT_FILE,
  TRANSPORT_FILE,
  relayCommand,
  smtpRelay,
} from '../../mta-under-test/adapters/smtp-relay/index.ts';
import type { MtaEnvironment } from '../../mta-under-test/adapters/mta-under-test.ts';
import { runScenarioWithMta } from '../../runner/mta-run.ts';
import smoke from '../../scenarios/smoke.ts';
import { resolveScenario } from '../../scenarios/scenario.ts';
import { DEFAULT_EPOCH_MS } from '../../kernel/clock/clock.ts';
import { isDeliveredCause } from '../../kernel/taxonomy.ts';
import type { Cause } from '../../kernel/taxonomy.ts';
import { listenSmtp } from '../../kernel/net/smtp-listen.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/mailbench.js', import.meta.url).pathname;
const EXAMPLE_RELAY = 'npx tsx mta-under-test/adapters/smtp-relay/examples/postfix-relay.ts';
const scenario = resolveScenario({ ...smoke, population: { ...smoke.population, recipients: 40 } });
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

test('smoke at 40 recipients through Postfix known only by SMTP and its DSNs', async () => {
  postfixCommand('postfix');
  let relay: SmtpRelayMta | undefined;
  let workDir = '';
  const result = await runScenarioWithMta({
    scenario,
    seed: '11',
    mta: (clock) => {
      relay = smtpRelay({
        name: 'postfix-as-relay',
        nowMs: clock.nowMs,
        prepare: async (environment) => {
          workDir = environment.workDir;
          const postfix = new PostfixMta();
          await postfix.start(environment);
          return { submission: postfix.submissionRoute(), version: postfix.version(), stop: () => postfix.stop() };
        },
      });
      return relay;
    },
  });
  const { report } = result;
  expect(report.engine).toEqual({
    name: 'postfix-as-relay',
    version: expect.stringMatching(/^3\.\d+\.\d+/) as string,
    capabilities: ['decisions: final outcomes'],
  });
  expect(report.outcome).toEqual({ status: 'passed' });
  const messages = report.figures.messages;
  expect(messages.injected).toBe(40);
  expect(messages.inFlight).toBe(0);
  // What the relay's notices say matches what the receivers answered last for each recipient.
  const causes = report.figures.causes;
  const accepted = (Object.entries(causes) as [Cause, number][])
    .filter(([cause]) => isDeliveredCause(cause))
    .reduce((sum, [, count]) => sum + count, 0);
  expect(messages.delivered).toBe(accepted);
  expect(messages.bounced).toBe(causes['unknown-user']);
  expect(messages.bounced).toBeGreaterThan(0);
  expect(report.figures.confusion['unknown-user']).toEqual({ 'unknown-user': causes['unknown-user'] });
  expect(report.figures.attempts.truthWithoutAttempt).toBe(0);
  expect(report.figures.attempts.unreportedAnswers).toBeGreaterThanOrEqual(0);
  // Every recipient's outcome came from a DSN Postfix sent: one final notice each.
  expect(relay?.reportCounts()).toMatchObject({ joined: 40, unjoined: 0, unreadable: 0 });
  expect(existsSync(workDir)).toBe(false);
}, 90_000);

test('the routes are written for an MTA configured from files', async () => {
  const relay = smtpRelay({
    nowMs: () => DEFAULT_EPOCH_MS,
    prepare: (environment) => {
      const routes = JSON.parse(readFileSync(join(environment.workDir, ENVIRONMENT_FILE), 'utf8')) as {
        routes: Record<string, { port: number }>;
      };
      expect(routes.routes['gmail.com']?.port).toBe(2525);
      expect(readFileSync(join(environment.workDir, TRANSPORT_FILE), 'utf8')).toBe('gmail.com smtp:[127.0.1.1]:2525\n');
      return Promise.reject(new Error('prepared no MTA'));
    },
  });
  const workDir = freshDir('mailbench-relay-files-');
  await expect(relay.start(environmentFor(workDir, 2525))).rejects.toThrow('prepared no MTA');
});

test('a relay that does not offer DSN is refused at start, saying why', async () => {
  // smtp-server hides DSN by default: it stands for an MTA the bench could never hear from.
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
  });
  const listening = await listenSmtp(server, { address: '127.0.1.61', name: 'dsn-less relay' });
  cleanups.push(() => listening.close());
  const relay = smtpRelay({
    nowMs: () => DEFAULT_EPOCH_MS,
    prepare: () => Promise.resolve({ submission: { address: '127.0.1.61', port: listening.port } }),
  });
  const workDir = freshDir('mailbench-relay-nodsn-');
  await expect(relay.start(environmentFor(workDir, 2525))).rejects.toMatchObject({
    code: 'E_RELAY_NO_DSN',
    message: expect.stringContaining('does not offer DSN') as string,
  });
});

test('a submission address off loopback is refused before anything is sent', async () => {
  const relay = smtpRelay({
    nowMs: () => DEFAULT_EPOCH_MS,
    prepare: () => Promise.resolve({ submission: { address: '192.0.2.10', port: 25 } }),
  });
  const workDir = freshDir('mailbench-relay-offloop-');
  await expect(relay.start(environmentFor(workDir, 2525))).rejects.toMatchObject({
    code: 'E_RELAY_CONFIG',
    message: expect.stringContaining('192.0.2.10') as string,
  });
});

test('the CLI runs a scenario against an MTA its relay command started, and stops it', async () => {
  postfixCommand('postfix');
  const out = freshDir('mailbench-relay-cli-');
  const { stdout } = await run(
    process.execPath,
    [
      BIN,
      'run',
      'smoke',
      '--mode',
      'wire',
      '--engine',
      'smtp-relay',
      '--relay-command',
      EXAMPLE_RELAY,
      '--scale',
      '0.004',
      '--seed',
      '5',
      '--out',
      out,
      '--json',
    ],
    { timeout: 120_000 },
  );
  const report = JSON.parse(stdout) as {
    engine: { name: string; version: string };
    outcome: { status: string };
    figures: { messages: { injected: number; inFlight: number } };
  };
  expect(report.engine.name).toBe('smtp-relay');
  expect(report.engine.version).toMatch(/^postfix-3\.\d+\.\d+/);
  expect(report.outcome.status).toBe('passed');
  expect(report.figures.messages).toMatchObject({ injected: 40, inFlight: 0 });
}, 120_000);

test('--engine smtp-relay without a relay command is a usage error naming the option', async () => {
  await expect(
    run(process.execPath, [BIN, 'run', 'smoke', '--mode', 'wire', '--engine', 'smtp-relay']),
  ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--relay-command') as string });
});

test('a relay command that ends before READY is an error quoting what it said', async () => {
  const prepare = relayCommand('echo "no MTA here" >&2; exit 3', { readyTimeoutMs: 10_000 });
  await expect(prepare(environmentFor(freshDir('mailbench-relay-cmd-'), 2525))).rejects.toMatchObject({
    code: 'E_RELAY_CONFIG',
    message: expect.stringMatching(/exited \(code 3\) before printing READY; its stderr ends:\nno MTA here/) as string,
  });
});

function freshDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  return dir;
}

function environmentFor(workDir: string, port: number): MtaEnvironment {
  return {
    routes: new Map([['gmail.com', { address: '127.0.1.1', port }]]),
    egress: [{ name: 'mta1', sourceIp: '127.0.0.21', heloName: 'mta1.sender.test' }],
    returnPath: { address: '127.0.2.1', port: 2526 },
    workDir,
    clockScale: 1,
    onReturnMail: () => undefined,
  };
}
