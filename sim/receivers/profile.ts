/**
 * What a mailbox provider is, as data: its names, its limits, its rules and its own reply
 * texts. One module per provider (sim/receivers/providers/) exports a `ProviderProfile`; the
 * shared engine (profiled-receiver.ts) turns any profile into a Receiver by running the shared
 * mechanisms (admission, reputation, greylisting, authentication, placement) with the
 * profile's numbers and answering with the profile's texts.
 *
 * Every number is a `Sourced` value, so the listing (`mailbench receivers`) can show where it
 * comes from, and a number nobody publishes says so (`@assumption: …`, DESIGN rule 4).
 */
import type { BounceMailFormat } from '../later/bounce-mail.ts';
import type { SmtpReply } from '../../kernel/index.ts';
import type { ReputationScale } from '../mechanisms/reputation.ts';
import type { ReceiverKind } from './receiver.ts';

/** A number with its unit and where it comes from. */
export interface Sourced {
  readonly value: number;
  readonly unit: string;
  /** A citation, or `@assumption: why`. */
  readonly source: string;
}

export function sourced(value: number, unit: string, source: string): Sourced {
  return { value, unit, source };
}

/** What a reply text may mention: the provider fills it in as its servers do. */
export interface ReplyContext {
  readonly peerIp: string;
  /** The recipient the reply is about ('' before RCPT). */
  readonly recipient: string;
  /** The envelope sender's domain ('' before MAIL FROM). */
  readonly senderDomain: string;
  /** A per-reply id, like the queue ids providers append. */
  readonly token: string;
  /** The host name of the answering server. */
  readonly hostname: string;
}

export type ReplyMaker = (context: ReplyContext) => SmtpReply;

/** The provider's own texts, one per decision the shared engine can take. */
export interface ProviderReplies {
  readonly greeting: ReplyMaker;
  /** The first line of the EHLO answer (the capabilities follow it). */
  readonly ehlo: ReplyMaker;
  readonly mailOk: ReplyMaker;
  readonly rcptOk: ReplyMaker;
  readonly dataOk: ReplyMaker;
  readonly unknownUser: ReplyMaker;
  readonly mailboxDisabled: ReplyMaker;
  readonly mailboxFull: ReplyMaker;
  /** The hourly allowance for this IP is spent (4xx). */
  readonly rateLimited: ReplyMaker;
  /** Too many simultaneous connections from this IP (given at connect). */
  readonly tooManyConnections: ReplyMaker;
  /**
   * Messages per connection exceeded. Absent: the provider closes the connection without an
   * error code, as Yahoo does (facts/isp-behaviors.md §2, Y-BP).
   */
  readonly tooManyMessages?: ReplyMaker;
  /** The sending IP's or domain's reputation is in the provider's worst band. */
  readonly reputationBlock: ReplyMaker;
  /** SPF/DKIM below what the provider requires of this sender. */
  readonly authFailure: ReplyMaker;
  /** DMARC failed (or, for bulk senders where required, no DMARC record). */
  readonly dmarcFailure: ReplyMaker;
  /** The sending IP has no PTR, or its PTR does not resolve back (FCrDNS). */
  readonly ptrFailure: ReplyMaker;
  /** The provider requires TLS and the session is in clear text. */
  readonly tlsRequired: ReplyMaker;
  readonly messageTooLarge: ReplyMaker;
  /** A transient failure on the provider's side (fault injection). */
  readonly serverError: ReplyMaker;
  /** Present when the provider greylists. */
  readonly greylisted?: ReplyMaker;
  /** Present when the provider rejects spam at SMTP instead of filing it (Free, T-Online). */
  readonly contentSpam?: ReplyMaker;
  /** Present when the provider refuses bulk mail that misses its sender requirements (Microsoft 5.7.515). */
  readonly bulkRequirements?: ReplyMaker;
}

/** How strict a provider is about SPF and DKIM (facts/isp-behaviors.md §1). */
export type AuthRequirement = 'spf-or-dkim' | 'spf-and-dkim';

export interface AuthenticationRules {
  /** What every sender needs. */
  readonly everyone: AuthRequirement | 'none';
  /** What bulk senders need (above `bulkPerDay`). */
  readonly bulk: AuthRequirement | 'none';
  /** Messages per day (per sending domain) from which a sender counts as bulk; null: no bulk rules. */
  readonly bulkPerDay: Sourced | null;
  /** Bulk senders must publish DMARC and pass it aligned. */
  readonly bulkNeedsDmarc: boolean;
  /** Bulk marketing must carry RFC 8058 one-click unsubscribe, or it goes to spam. */
  readonly bulkNeedsOneClick: boolean;
  /** The sending IP needs a PTR whose name resolves back to it. */
  readonly ptrRequired: boolean;
  /** Honour the sender domain's DMARC p=reject for every sender. */
  readonly enforceDmarcReject: boolean;
  /** What a failure gets: an SMTP refusal, or the spam folder. */
  readonly onFailure: 'reject' | 'spam';
  /** Where the rules come from. */
  readonly source: string;
}

export interface AdmissionRules {
  /** Simultaneous connections per sending IP. */
  readonly connectionsPerIp: Sourced;
  /** Messages per connection before the provider ends the session. */
  readonly messagesPerConnection: Sourced;
  /** Recipients per hour an IP with no history gets. */
  readonly newIpPerHour: Sourced;
  /** The most an IP with the best reputation gets per hour. */
  readonly maxPerHour: Sourced;
  /**
   * How fast trust is earned: the hourly allowance is at least this many times the IP's clean
   * accepted volume of the last day, spread over 24 hours (a steady sender may double daily).
   */
  readonly rampFactor: Sourced;
  /**
   * Where the receiver refuses a sender of the worst reputation band: `connect` for a
   * connection-time check on the IP (a host access table), with its source. Absent: at RCPT,
   * where the IP's and the sending domain's reputation are both known.
   */
  readonly reputationGate?: { readonly stage: 'connect' | 'rcpt'; readonly source: string };
}

export interface GreylistRules {
  /** How long a new (IP, sender, recipient) triplet is refused. */
  readonly delayMs: Sourced;
  /** How long a passed triplet stays known. */
  readonly memoryMs: Sourced;
}

export interface FeedbackLoop {
  /** The programme's name, e.g. `Yahoo CFL`. */
  readonly name: string;
  /** `arf`: one RFC 5965 report per complaint, sent by SMTP to the sender's feedback address. */
  readonly kind: 'arf' | 'aggregate';
  readonly source: string;
}

export interface ProviderProfile {
  readonly id: string;
  readonly name: string;
  readonly kind: ReceiverKind;
  readonly domains: readonly string[];
  readonly mxHosts: readonly string[];
  /** For gateways, how tenants' MX hosts are named. */
  readonly mxPattern?: string;
  readonly hostname: string;
  /** EHLO keywords after the first line, e.g. `SIZE 35882577`, `PIPELINING`, `STARTTLS`. */
  readonly ehloExtensions: readonly string[];
  /** `required`: no mail over clear text; `offered`: STARTTLS available, not required. */
  readonly tls: 'required' | 'offered';
  readonly maxMessageBytes: Sourced;
  readonly admission: AdmissionRules;
  readonly greylist: GreylistRules | null;
  readonly authentication: AuthenticationRules;
  /** `folder`: spam is accepted and filed; `reject`: spam is refused at SMTP. */
  readonly spamHandling: 'folder' | 'reject';
  readonly feedbackLoop: FeedbackLoop | null;
  /**
   * How the receiver writes the bounces it sends after accepting a message (sim/later/bounce-mail.ts),
   * with where that comes from; RFC 3464 as Postfix writes it when absent.
   */
  readonly bounceMail?: { readonly format: BounceMailFormat; readonly source: string };
  /** The provider's own reputation vocabulary (Postmaster Tools bands, SNDS colours …). */
  readonly reputationScale: ReputationScale;
  readonly replies: ProviderReplies;
  /** Where the profile's behaviour and texts come from (non-empty). */
  readonly sources: readonly string[];
}
