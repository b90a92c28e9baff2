/**
 * Wire mode's world on loopback, set up once for whichever engine runs: a fresh bench CA, one
 * smtp-server listener per receiver (STARTTLS with the CA's leaves), the return-path inbox
 * behind the sender domain's MX, the route from every MX host name to where it listens, and
 * the receivers' later mail (complaints, DSNs) delivered by SMTP to that inbox. `close` takes
 * all of it down.
 */
import { SmtpClientTransport } from '../mta-under-test/index.ts';
import type { LoopbackRoute } from '../mta-under-test/index.ts';
import type { Scheduler } from '../kernel/index.ts';
import { createBenchCa, startFleetListeners } from '../sim/index.ts';
import type { BenchCa, FleetListeners, Route } from '../sim/index.ts';
import { LaterMail, smtpDelivery } from './later-mail.ts';
import { ReturnPathInbox } from './return-path-inbox.ts';
import { SENDER_INBOUND_ADDRESS } from './sender-setup.ts';
import type { World } from './world.ts';

export interface WireHarness {
  readonly ca: BenchCa;
  readonly listeners: FleetListeners;
  readonly inbox: ReturnPathInbox;
  /** Where the sender domain's MX (the return-path inbox) listens. */
  readonly returnPath: LoopbackRoute;
  readonly laterMail: LaterMail;
  /** Where an MX host of the world listens, the sender's own included. */
  readonly route: (mxHost: string) => Route | undefined;
  close(): Promise<void>;
}

export async function startWireHarness(world: World, scheduler: Scheduler): Promise<WireHarness> {
  // Receivers offer STARTTLS with leaves from a fresh bench CA, dated by the real clock
  // (TLS checks real time); the sender's client trusts it.
  const ca = await createBenchCa(new Date());
  const listeners = await startFleetListeners(world.fleet, { ca, scheduler });
  const inbox = new ReturnPathInbox();
  const inboxListener = await inbox.listen(SENDER_INBOUND_ADDRESS, world.sender.inboundMxHost);
  const returnPath: LoopbackRoute = { address: SENDER_INBOUND_ADDRESS, port: inboxListener.port };
  const route = (mxHost: string): Route | undefined =>
    mxHost === world.sender.inboundMxHost ? returnPath : listeners.routes.get(mxHost);
  const laterMail = new LaterMail(world, inbox, smtpDelivery(world, new SmtpClientTransport(), route));
  return {
    ca,
    listeners,
    inbox,
    returnPath,
    laterMail,
    route,
    close: async () => {
      await listeners.close();
      await inboxListener.close();
    },
  };
}
