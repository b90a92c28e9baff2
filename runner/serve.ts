/**
 * `mailbench serve`: the whole receiver fleet of a scenario on loopback, for any MTA to mail.
 * Each receiver listens on its own 127.0.1.N address and offers STARTTLS with a leaf from a
 * fresh bench CA; the sender domain's MX is the return-path inbox, which reads the DSNs and
 * complaints the fleet sends back.
 *
 * What an outside MTA needs is written to the output folder:
 * - `transport`: a Postfix transport_maps table, one line per recipient domain
 *   (`gmail.com smtp:[127.0.1.1]:40123`);
 * - `dns.txt`: the sim DNS zone (MX, A, PTR, SPF, DKIM, DMARC), as the receivers see it;
 * - `ca.pem`: the CA to trust for STARTTLS (leaves name each receiver's MX hosts);
 * - `recipients.txt`: the scenario's recipient list, in order;
 * - `truth.jsonl`: one line per receiver decision, written as it happens.
 *
 * Time runs at real speed from the scenario epoch (receivers' hourly limits are real hours).
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedScenario } from '../scenarios/index.ts';
import { DEFAULT_EPOCH_MS, scaledScheduler } from '../kernel/index.ts';
import { createBenchCa, startFleetListeners } from '../sim/index.ts';
import type { Route } from '../sim/index.ts';
import { SmtpClientTransport } from '../mta-under-test/index.ts';
import { LaterMail, smtpDelivery } from './later-mail.ts';
import { ReturnPathInbox } from './return-path-inbox.ts';
import { SENDER_INBOUND_ADDRESS } from './sender-setup.ts';
import { buildWorld } from './world.ts';
import type { World } from './world.ts';

const REAL_SECONDS_PER_HOUR = 3_600;
/** How often due complaints and later bounces are sent (real milliseconds). */
const SETTLE_INTERVAL_MS = 1_000;

export interface ServeRequest {
  readonly scenario: ResolvedScenario;
  readonly seed: string;
  readonly outDir: string;
}

export interface Serving {
  readonly world: World;
  /** Recipient domain → where its first MX host listens. */
  readonly transportMap: ReadonlyMap<string, Route>;
  /** The return-path inbox (the sender domain's MX). */
  readonly inbox: ReturnPathInbox;
  readonly inboxRoute: Route;
  /** The files written, by name. */
  readonly files: {
    readonly transport: string;
    readonly dns: string;
    readonly ca: string;
    readonly recipients: string;
    readonly truth: string;
  };
  /** Stops every listener, sends what is due, closes the truth log. */
  close(): Promise<void>;
}

export async function startServing(request: ServeRequest): Promise<Serving> {
  const scheduler = scaledScheduler({ realSecondsPerSimulatedHour: REAL_SECONDS_PER_HOUR, startMs: DEFAULT_EPOCH_MS });
  const world = buildWorld(request.scenario, request.seed, scheduler);
  // TLS clients check certificates against the real clock, so the CA is dated by it.
  const ca = await createBenchCa(new Date());
  const listeners = await startFleetListeners(world.fleet, { ca, scheduler });
  const inbox = new ReturnPathInbox();
  let inboxListener: Awaited<ReturnType<ReturnPathInbox['listen']>> | undefined;
  try {
    inboxListener = await inbox.listen(SENDER_INBOUND_ADDRESS, world.sender.inboundMxHost);
    return serveOn({ request, world, scheduler, ca, listeners, inbox, inboxListener });
  } catch (error) {
    // A start that fails (an address taken, an output folder that cannot be written) closes
    // what it opened, so the process can exit instead of hanging on open listeners.
    scheduler.cancelAll();
    await listeners.close();
    await inboxListener?.close();
    throw error;
  }
}

interface Started {
  readonly request: ServeRequest;
  readonly world: ReturnType<typeof buildWorld>;
  readonly scheduler: ReturnType<typeof scaledScheduler>;
  readonly ca: Awaited<ReturnType<typeof createBenchCa>>;
  readonly listeners: Awaited<ReturnType<typeof startFleetListeners>>;
  readonly inbox: ReturnPathInbox;
  readonly inboxListener: Awaited<ReturnType<ReturnPathInbox['listen']>>;
}

/** The files an outside MTA needs, the truth log, and the settling timer, around started listeners. */
function serveOn({ request, world, scheduler, ca, listeners, inbox, inboxListener }: Started): Serving {
  const inboxRoute = { address: SENDER_INBOUND_ADDRESS, port: inboxListener.port };
  const route = (mxHost: string): Route | undefined =>
    mxHost === world.sender.inboundMxHost ? inboxRoute : listeners.routes.get(mxHost);
  const laterMail = new LaterMail(world, inbox, smtpDelivery(world, new SmtpClientTransport(), route));

  const transportMap = new Map<string, Route>();
  for (const receiver of world.fleet.receivers) {
    for (const domain of receiver.identity.domains) {
      const answer = world.dns.mx(domain);
      const first =
        answer.kind === 'records' ? [...answer.records].sort((a, b) => a.priority - b.priority)[0] : undefined;
      const target = first === undefined ? undefined : listeners.routes.get(first.exchange.toLowerCase());
      if (target !== undefined) transportMap.set(domain, target);
    }
  }

  mkdirSync(request.outDir, { recursive: true });
  const files = {
    transport: join(request.outDir, 'transport'),
    dns: join(request.outDir, 'dns.txt'),
    ca: join(request.outDir, 'ca.pem'),
    recipients: join(request.outDir, 'recipients.txt'),
    truth: join(request.outDir, 'truth.jsonl'),
  };
  writeFileSync(
    files.transport,
    [...transportMap].map(([domain, target]) => `${domain} smtp:[${target.address}]:${target.port}\n`).join(''),
  );
  writeFileSync(
    files.dns,
    world.dns
      .entries()
      .map(
        (entry) =>
          `${entry.name}\t${entry.type}\t${typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value)}\n`,
      )
      .join(''),
  );
  writeFileSync(files.ca, ca.certificate);
  writeFileSync(files.recipients, world.population.recipients.map((address) => `${address}\n`).join(''));
  const truthLog = createWriteStream(files.truth);
  world.truth.subscribe((record) => truthLog.write(`${JSON.stringify(record)}\n`));

  const settling = setInterval(() => world.fleet.settle(scheduler.now()), SETTLE_INTERVAL_MS);
  return {
    world,
    transportMap,
    inbox,
    inboxRoute,
    files,
    close: async () => {
      clearInterval(settling);
      await laterMail.flush(scheduler.now());
      scheduler.cancelAll();
      await listeners.close();
      await inboxListener.close();
      await new Promise<void>((resolve) => truthLog.end(resolve));
    },
  };
}
