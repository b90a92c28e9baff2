/**
 * An outage over real SMTP: the fleet's listener of a receiver in outage refuses nodemailer's
 * SMTPConnection with the provider's 421 at connect, while another receiver's listener of the
 * same fleet greets normally.
 */
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { afterEach, expect, test } from 'vitest';
import { HOUR_MS } from '../../../../kernel/clock/clock.ts';
import { RealScheduler } from '../../../../kernel/clock/real-clock.ts';
import { buildFleet } from '../../../../sim/receivers/fleet.ts';
import { startFleetListeners } from '../../../../sim/transport/smtp-listener.ts';
import type { FleetListeners, Route } from '../../../../sim/transport/smtp-listener.ts';
import { receiverWorld } from '../../../support/receiver-world.ts';

const running: FleetListeners[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((listeners) => listeners.close()));
});

/** Connects from the test sender's address; resolves with the greeting's error, or null when greeted. */
function connect(route: Route): Promise<{ responseCode?: number | undefined; response?: string | undefined } | null> {
  const connection = new SMTPConnection({
    host: route.address,
    port: route.port,
    localAddress: '127.0.0.2',
    name: 'mta1.mailbench.test',
    ignoreTLS: true,
  });
  return new Promise((resolve) => {
    connection.once('error', (error: Error & { responseCode?: number; response?: string }) =>
      resolve({ responseCode: error.responseCode, response: error.response }),
    );
    connection.connect(() => {
      connection.quit();
      resolve(null);
    });
  });
}

test('Orange in outage refuses a real SMTP client with its 421 at connect; Gmail greets it', async () => {
  const clock = new RealScheduler();
  const { context } = receiverWorld({ 'alice@orange.fr': 'active' }, clock);
  const fleet = buildFleet(context, { limitsOff: false });
  fleet.incidents.scheduleOutage({
    receiver: 'orange',
    fromMs: clock.now() - 1,
    untilMs: clock.now() + HOUR_MS,
    mode: 'connect-421',
  });
  const listeners = await startFleetListeners(fleet);
  running.push(listeners);
  const routeOf = (id: string): Route =>
    listeners.routes.get(fleet.receiver(id).identity.mxHosts[0]?.toLowerCase() ?? '') as Route;

  const refused = await connect(routeOf('orange'));
  expect(refused?.responseCode).toBe(421);
  expect(refused?.response).toBe(
    '421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]',
  );
  expect(context.truth.all()).toEqual([
    expect.objectContaining({
      receiver: 'orange',
      stage: 'connect',
      cause: 'server-error',
      rule: 'orange.outage.connect-421',
      peerIp: '127.0.0.2',
    }),
  ]);

  expect(await connect(routeOf('gmail'))).toBeNull();
});
