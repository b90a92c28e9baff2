/**
 * In sim mode the receivers judge authentication with their own synchronous verifier (sim mode
 * cannot wait on mailauth's promises, nor afford its half millisecond a message). This audit
 * has mailauth judge a sample of the same messages as well, beside the run and without touching
 * it, and counts where the two disagree: every sim report says how far its judge was checked.
 *
 * The sample is the first messages each receiver authenticates under each version of the zone
 * (so a DKIM key rotated mid-run is sampled again after the change): deterministic, a few
 * hundred messages a run, and mailauth's verdicts are a pure function of what it is given.
 * mailauth resolves later than the receiver judged (its promises settle while the run goes on),
 * so it resolves through a copy of the zone as it was when the message arrived, never the zone
 * a later DNS change (a rotated key) has made.
 */
import type { DnsZone } from '../../dns/zone.ts';
import type { AuthenticationResults } from './authentication.ts';
import { MailauthJudge } from './mailauth-verdicts.ts';
import type { MessageOnTheWire } from './mailauth-verdicts.ts';

/** How many messages of each receiver are audited under each version of the zone. */
export const AUDIT_SAMPLE_PER_ZONE_VERSION = 20;
/** Disagreements kept as examples in the report. */
const EXAMPLES_MAX = 10;

export interface AuthenticationAuditFigures {
  /** Messages mailauth judged as well. */
  readonly messages: number;
  /** Of them, those where mailauth and the receivers' verifier gave the same SPF, DKIM and DMARC verdicts. */
  readonly agreed: number;
  /** Up to ten disagreements, `receiver: what differed`, in a stable order. */
  readonly disagreements: readonly string[];
}

/** The verdicts that decide what a receiver does, as one comparable line. */
export function verdictLine(results: AuthenticationResults): string {
  const dkim = results.dkim.map((verdict) => `${verdict.result}@${verdict.domain ?? '-'}`).join(',');
  return `spf=${results.spf} dkim=${dkim} dmarc=${results.dmarc.result}/${results.dmarc.policy ?? '-'} one-click=${results.oneClickUnsubscribe}`;
}

export class MailauthAudit {
  /** A judge over a copy of the zone, made when the zone's version was last seen to change. */
  private judge: { readonly version: number; readonly judge: MailauthJudge } | undefined;
  private readonly sampled = new Map<string, number>();
  private readonly pending: Promise<void>[] = [];
  private agreed = 0;
  private readonly disagreements: string[] = [];

  constructor(
    private readonly dns: DnsZone,
    private readonly samplePerZoneVersion = AUDIT_SAMPLE_PER_ZONE_VERSION,
  ) {}

  /** Whether the next message `receiver` authenticates is in the sample (counts it when it is). */
  takes(receiver: string): boolean {
    const key = `${receiver} ${this.dns.version}`;
    const taken = this.sampled.get(key) ?? 0;
    if (taken >= this.samplePerZoneVersion) return false;
    this.sampled.set(key, taken + 1);
    return true;
  }

  /** Has mailauth judge `message` too, and compares its verdicts with `own` when they come. */
  check(receiver: string, message: MessageOnTheWire, own: AuthenticationResults): void {
    const expected = verdictLine(own);
    if (this.judge?.version !== this.dns.version) {
      this.judge = { version: this.dns.version, judge: new MailauthJudge(this.dns.snapshot()) };
    }
    this.pending.push(
      this.judge.judge.authenticate(message).then(
        (byMailauth) => this.tally(receiver, expected, verdictLine(byMailauth)),
        (error: unknown) => this.tally(receiver, expected, `mailauth failed: ${String(error)}`),
      ),
    );
  }

  /** Every audit made so far, once mailauth has answered them all. */
  async figures(): Promise<AuthenticationAuditFigures> {
    for (let settled = 0; settled < this.pending.length;) {
      const batch = this.pending.slice(settled);
      await Promise.all(batch);
      settled += batch.length;
    }
    const disagreements = [...this.disagreements].sort().slice(0, EXAMPLES_MAX);
    return { messages: this.agreed + this.disagreements.length, agreed: this.agreed, disagreements };
  }

  private tally(receiver: string, own: string, byMailauth: string): void {
    if (own === byMailauth) this.agreed++;
    else this.disagreements.push(`${receiver}: the receivers' verifier said ${own}; mailauth said ${byMailauth}`);
  }
}
