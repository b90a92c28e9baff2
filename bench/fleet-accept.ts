/**
 * `npx tsx bench/fleet-accept.ts`: what the whole receiver fleet accepts over real SMTP on
 * loopback, limits off. One smtp-server listener per receiver (22), STARTTLS not used, every
 * message DKIM-signed and verified by the receiver, so the figure includes the receivers'
 * authentication work. Clients are the reference engine's SMTP client (nodemailer's connection
 * layer), CONNECTIONS of them at once, round-robin over the receivers, each keeping its
 * connection for the whole run (no 100 ms greeting wait per message).
 *
 * Prints answered recipients per wall second (accepted or refused: each is a full SMTP
 * transaction the fleet decided), median of RUNS runs of RUN_MS each, after one warm-up, and
 * the accepted share. Refusals are the fleet's own: unknown users, and the receivers that
 * require TLS (Orange, GMX/Web.de), which this client does not start. Both sides share this
 * process, so the figure is a floor.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { dkimSign } from '../mta-under-test/reference/core/dkim-signer.ts';
import { SmtpClientTransport } from '../mta-under-test/reference/transport/smtp-client.ts';
import { buildMessage } from '../runner/message.ts';
import { buildWorld } from '../runner/world.ts';
import fleetTour from '../scenarios/fleet-tour.ts';
import { resolveScenario } from '../scenarios/scenario.ts';
import { DEFAULT_EPOCH_MS } from '../sim/clock/clock.ts';
import { scaledScheduler } from '../sim/clock/scaled-clock.ts';
import { startFleetListeners } from '../sim/transport/smtp-listener.ts';

const RUNS = 5;
const RUN_MS = 4_000;
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);

async function measureOnce(): Promise<{ accepted: number; refused: number; seconds: number }> {
  const scenario = resolveScenario({ ...fleetTour, receivers: { limitsOff: true } });
  const scheduler = scaledScheduler({ realSecondsPerSimulatedHour: 3_600, startMs: DEFAULT_EPOCH_MS });
  const world = buildWorld(scenario, 'bench', scheduler);
  const listeners = await startFleetListeners(world.fleet);
  const transport = new SmtpClientTransport();
  // One signed message per recipient of the list, reused round-robin by the clients.
  const recipients = world.population.recipients;
  const messages = recipients.slice(0, 4_000).map((to, index) => ({ to, data: dkimSign(buildMessage({ from: world.sender.from, to, dateMs: scheduler.now(), sequence: index + 1, seed: 'bench' }), world.sender.dkim) }));
  const byMx = new Map<string, { to: string; data: string }[]>();
  for (const message of messages) {
    const answer = world.dns.mx(message.to.slice(message.to.indexOf('@') + 1));
    const mxHost = answer.kind === 'records' ? answer.records[0]?.exchange.toLowerCase() : undefined;
    if (mxHost === undefined) continue;
    byMx.set(mxHost, [...(byMx.get(mxHost) ?? []), message]);
  }
  const sites = [...byMx.entries()];
  let accepted = 0;
  let refused = 0;
  const deadline = performance.now() + RUN_MS;
  const startedAt = performance.now();
  const client = async (slot: number): Promise<void> => {
    const [mxHost, queue] = sites[slot % sites.length] as [string, { to: string; data: string }[]];
    const route = listeners.routes.get(mxHost);
    if (route === undefined) return;
    let next = 0;
    while (performance.now() < deadline) {
      const connected = await transport.connect({ sourceIp: scenario.sender.sourceIp, heloName: scenario.sender.heloName, mxHost, address: route.address, port: route.port });
      if (connected.kind !== 'open') throw new Error(`${mxHost} refused the bench: ${JSON.stringify(connected)}`);
      while (performance.now() < deadline) {
        const message = queue[next++ % queue.length] as { to: string; data: string };
        const outcome = await connected.session.send({ envelope: { mailFrom: scenario.sender.mailFrom, recipients: [message.to] }, data: message.data });
        for (const recipient of outcome.recipients) {
          if (recipient.kind === 'reply' && recipient.reply.code < 300) accepted++;
          else refused++;
        }
        if (outcome.sessionClosed) break;
      }
      await connected.session.close();
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, slot) => client(slot)));
  const seconds = (performance.now() - startedAt) / 1000;
  scheduler.cancelAll();
  await listeners.close();
  await sleep(100);
  return { accepted, refused, seconds };
}

const samples: number[] = [];
for (let run = 0; run <= RUNS; run++) {
  const { accepted, refused, seconds } = await measureOnce();
  const rate = Math.round((accepted + refused) / seconds);
  if (run > 0) samples.push(rate);
  process.stderr.write(`fleet-accept run ${run === 0 ? 'warm-up' : run}: ${rate} answered/s (${accepted} accepted, ${refused} refused, ${seconds.toFixed(1)} s)\n`);
}
const sorted = [...samples].sort((a, b) => a - b);
console.log(JSON.stringify({ figure: 'fleet answered recipients per wall second (loopback, limits off, DKIM verified)', connections: CONNECTIONS, median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1), samples }, null, 2));
