/**
 * Carries the receivers' later events to the sender: each complaint or later bounce becomes
 * a report mail (sim/later/report-postman.ts) delivered to the sender domain's MX, where the
 * return-path inbox reads it. Sim mode hands the mail over in-process; wire mode sends it by
 * SMTP from the reporting receiver's own loopback address with its host name as HELO.
 */
import type { LaterFigures } from '../reports/index.ts';
import { ReportPostman } from '../sim/index.ts';
import type { ReportMail } from '../sim/index.ts';
import type { Transport } from '../kernel/index.ts';
import type { ReturnPathInbox } from './return-path-inbox.ts';
import type { World } from './world.ts';

/** Delivers one report mail; resolves when it has been handed over (or has failed). */
export type ReportDelivery = (mail: ReportMail) => Promise<void>;

export class LaterMail {
  private readonly sent = { arf: 0, dsn: 0 };
  private readonly inTransit = new Set<Promise<void>>();
  private readonly failures: string[] = [];

  constructor(
    private readonly world: World,
    private readonly inbox: ReturnPathInbox,
    deliver: ReportDelivery,
  ) {
    const postman = new ReportPostman({ feedbackAddress: world.sender.feedbackAddress });
    world.later.subscribe((event) => {
      const mail = postman.write(event);
      if (mail === null) return;
      this.sent[mail.kind]++;
      const delivery = deliver(mail).catch((error: unknown) => {
        this.failures.push(
          `${mail.kind} from ${mail.receiver} to ${mail.recipient}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      this.inTransit.add(delivery);
      void delivery.finally(() => this.inTransit.delete(delivery));
    });
  }

  /** Lets the receivers send what is due by `nowMs`, and waits until it has all been read. */
  async flush(nowMs: number): Promise<void> {
    this.world.fleet.settle(nowMs);
    while (this.inTransit.size > 0) await Promise.all(this.inTransit);
    await this.inbox.drain();
  }

  /** Reports that could not be delivered (wire mode), for the run's checks. */
  deliveryFailures(): readonly string[] {
    return this.failures;
  }

  figures(): LaterFigures {
    const later = this.world.later;
    return {
      complaints: later.count('complaint'),
      asyncBounces: later.count('async-bounce'),
      opens: later.count('open'),
      clicks: later.count('click'),
      reportsSent: { ...this.sent },
      reportsReceived: this.inbox.tally(),
    };
  }
}

/** Sim mode: the report is read in-process, as if the sender's MX had received it. */
export function inProcessDelivery(inbox: ReturnPathInbox): ReportDelivery {
  return async (mail) => {
    await inbox.receive(mail.data, mail.recipient);
  };
}

/** Wire mode: SMTP from the receiver's address to the sender's inbound MX. */
export function smtpDelivery(
  world: World,
  transport: Transport,
  route: (mxHost: string) => { address: string; port: number } | undefined,
): ReportDelivery {
  return async (mail) => {
    const mxHost = world.sender.inboundMxHost;
    const target = route(mxHost);
    if (target === undefined) throw new Error(`${mxHost} has no listener`);
    const connected = await transport.connect({
      sourceIp: world.fleet.addressOf(mail.receiver),
      heloName: mail.reportingMta,
      mxHost,
      address: target.address,
      port: target.port,
    });
    if (connected.kind !== 'open')
      throw new Error(connected.kind === 'refused' ? `refused: ${connected.reply.code}` : connected.message);
    try {
      const outcome = await connected.session.send({
        envelope: { mailFrom: mail.mailFrom, recipients: [mail.recipient] },
        data: mail.data,
      });
      const answer = outcome.recipients[0];
      if (answer?.kind !== 'reply' || answer.reply.code >= 400)
        throw new Error(
          `not accepted: ${answer?.kind === 'reply' ? answer.reply.code : (answer?.message ?? 'no answer')}`,
        );
    } finally {
      await connected.session.close();
    }
  };
}
