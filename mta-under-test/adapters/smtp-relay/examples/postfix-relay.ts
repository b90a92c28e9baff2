/**
 * A relay command for `--engine smtp-relay --relay-command` (relay-command.ts), and the
 * template for one of your own: it reads the run's environment from MAILBENCH_ENVIRONMENT,
 * starts a private Postfix instance routed by it, prints `READY <address>:<port> <version>`,
 * and stops Postfix on SIGTERM. The bench then knows this Postfix only through SMTP and the
 * DSNs it sends, as it would any MTA.
 *
 *   npx mailbench run smoke --mode wire --engine smtp-relay \
 *     --relay-command 'npx tsx mta-under-test/adapters/smtp-relay/examples/postfix-relay.ts'
 */
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PostfixMta } from '../../postfix/index.ts';
import type { EgressIdentity, LoopbackRoute } from '../../mta-under-test.ts';

interface WrittenEnvironment {
  readonly routes: Readonly<Record<string, LoopbackRoute>>;
  readonly egress: readonly EgressIdentity[];
  readonly returnPath: LoopbackRoute;
  readonly clockScale: number;
}

const environmentFile = process.env.MAILBENCH_ENVIRONMENT;
const relayDir = process.env.MAILBENCH_RELAY_DIR;
if (environmentFile === undefined || relayDir === undefined) {
  console.error(
    'postfix-relay: MAILBENCH_ENVIRONMENT and MAILBENCH_RELAY_DIR must be set (run me through --relay-command)',
  );
  process.exit(2);
}
const written = JSON.parse(readFileSync(environmentFile, 'utf8')) as WrittenEnvironment;
const workDir = join(relayDir, 'postfix');
mkdirSync(workDir, { recursive: true });
// Postfix's queue lives below the bench's (private) work dir: its user must be able to pass through.
chmodSync(relayDir, (statSync(relayDir).mode & 0o7777) | 0o001);
const postfix = new PostfixMta();
await postfix.start({
  routes: new Map(Object.entries(written.routes)),
  egress: written.egress,
  returnPath: written.returnPath,
  workDir,
  clockScale: written.clockScale,
  // This Postfix's DSNs go to the bench's return path; the bench reads them, not this script.
  onReturnMail: () => undefined,
});
// The bench signals the whole process group, so a wrapper (npx, tsx) may pass the same signal
// on again: stopping is idempotent, and a second signal must not cut it short.
let stopping: Promise<void> | undefined;
const stop = (): void => {
  stopping ??= postfix.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
const { address, port } = postfix.submissionRoute();
console.log(`READY ${address}:${port} postfix-${postfix.version()}`);
// Keep running until the bench stops us.
setInterval(() => undefined, 60_000);
