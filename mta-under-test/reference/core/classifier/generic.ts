/**
 * Phrasing families that any MTA uses, in English, whoever wrote it: Postfix, Exim, Sendmail,
 * qmail, Exchange, Domino, Courier, Zimbra, postgrey, the RBL texts. Each rule matches a family
 * of phrasings ("user unknown", "no such user", "does not exist" …), never one product's line.
 *
 * Order matters and follows one idea: a phrase that names a cause other than the address comes
 * before anything that would read the same reply as a dead address. "Too many invalid
 * recipients" is about the sender's behaviour (PowerMTA's stock patterns route it to `other`
 * for that reason, ../shared/research/engines.md §4.4), "rate limited because unauthenticated"
 * is about authentication, and "rate limited" beats "reputation" because the receiver chose to
 * slow the sender down rather than refuse it.
 */
import type { Rule } from './rule.ts';
import { all, code, enhanced, not, rule, text, transient } from './rule.ts';
import {
  GREYLIST,
  VELOCITY,
  MESSAGE_FORMAT,
  CPANEL_UNROUTABLE,
  BLOCKLIST,
  AUTHENTICATION,
  TLS,
  RATE_SPECIFIC,
  REFUSED_AT_GREETING,
  CONNECTIONS,
} from './generic-sender-side.ts';

/** Any accepted answer. */
export const POSITIVE_RULES: readonly Rule[] = [rule('generic.positive', 'delivered', code(200, 399))];

/** Over quota, in every way MTAs say it (RFC 3463 X.2.2). */
const MAILBOX_FULL: readonly Rule[] = [
  rule(
    'generic.mailbox-full',
    'mailbox-full',
    text(
      /over ?quota|quota (exceeded|exceed|full|reached)|(exceeded|exceeds|exceed) (the |his |her |their |your )?(storage|disk|mailbox|user)? ?quota|mailbox (is )?full|full mailbox|inbox is full|mailbox size limit|mailbox (has )?exceeded|exceeded storage|storage (allocation|space|quota)|out of storage|insufficient storage|disk quota|exceeds allowed size|(insufficient|not sufficient|not enough) (disk )?(space|storage)|no space left|(mail ?)?folder is full|would exceed .{0,30}storage|quota violation|space has been used up|too many messages (on|in) (the )?(server|mailbox)/,
    ),
  ),
];

/** Too big for the receiver (RFC 3463 X.3.4, X.2.3): fail the message, keep the address. */
const TOO_LARGE: readonly Rule[] = [
  rule(
    'generic.too-large',
    'message-too-large',
    text(
      /message (size|length) (exceeds|exceeded|too)|exceeds? (the )?(fixed )?maximum (message )?size|message (is |was )?too (large|big)|too (large|big) for|size limits?\b|header size|maximum message size|message exceeded .{0,30}size|recipsizelimit/,
    ),
  ),
];

/** Rate phrases that need the earlier causes ruled out first ("limit exceeded" also ends quota texts). */
const RATE_GENERAL: readonly Rule[] = [
  rule(
    'generic.rate.volume',
    'rate-limited',
    text(
      /too many (messages|mails|emails|recent messages)|(exceeded|exceeds|reached) .{0,40}\blimit\b|limit .{0,20}(exceeded|reached)|per (hour|day|minute)\b|this hour|sent too many/,
    ),
  ),
];

/** IP and domain reputation, complaints and spam-sending IPs (not the message's content). */
const REPUTATION: readonly Rule[] = [
  rule(
    'generic.reputation',
    'reputation-block',
    text(
      /reputation|complaints|spam sender|\bspammers?\b|spamming|too many spams|unusual (amount|volume) of unsolicited|banned (sending )?(ip|sender)|open (proxy|relay)|compromised|temporarily (blocked|deferred)|permanently deferred|(you are|currently) sending spam|(looks|suspiciously) like (a )?spammer|unwanted messages|bad ip profile|listed as abusive/,
    ),
  ),
  rule(
    'generic.reputation.ip-blocked',
    'reputation-block',
    text(
      /\b(ip|client host|your host|server|netblock|network)\b.{0,40}\b(blocked|banned|blacklisted|refused|rejected)\b.{0,30}\b(spam|abuse|suspicious)/,
    ),
  ),
  // The sending IP or host itself is blocked or banned (not the message, not a named public list).
  rule(
    'generic.reputation.ip-refused',
    'reputation-block',
    text(
      /\b(ip|ip address|client host|your host|mail server|sending server|netblock|your network)\b( [^ ]+){0,3} (is |has been |was |are )?(temporar\w* )?(blocked|banned|blacklisted)\b|not currently accepting mail from your ip/,
    ),
  ),
];

/** The message itself: spam, phishing, viruses, attachments. */
const CONTENT: readonly Rule[] = [
  rule(
    'generic.content',
    'content-spam',
    text(
      /\bspam\b|unsolicited|\bub?ce\b|virus|malware|phishing|banned content|(unacceptable|prohibited|forbidden|objectionable) content|content (rejected|denied|filter)|message (was |is |has been )?(filtered|considered as spam)|security (issue|polic(y|ies))|illegal attachment|attachment (type|rejected|blocked)|nature of the content|spam-like|spamsignature|flagged as|looks like spam|spam(assassin|profiler|bouncer)|anti-?spam|\bbulk (e-?mail|mail)\b|classification as bulk|recurrent pattern detection/,
    ),
  ),
];

/** The account exists and is closed, disabled or on hold (RFC 3463 X.2.1; sisimai calls it "suspend"). */
const MAILBOX_DISABLED: readonly Rule[] = [
  rule(
    'generic.mailbox-disabled',
    'mailbox-disabled',
    text(
      /\b(account|mailbox|user|recipient|address)\b( [^ ]+){0,5} (is |has been |was )?(disabled|deactivated|inactive|suspended|closed|frozen|archived|discontinued|terminated)|(disabled|inactive|suspended|deactivated) (e-?mail )?(account|mailbox|user|recipient|address)|no longer (valid|active|in use|accepts mail)|due to inactivity|\b(account|mailbox|user)\b( [^ ]+){0,3} (temporar\w* )?locked|(account|mailbox) (is |has been )?blocked/,
    ),
  ),
];

/** No such domain, no MX, null MX (RFC 7505), NXDOMAIN. A DNS failure reported as temporary is the network, not the domain. */
const DOMAIN: readonly Rule[] = [
  // RFC 7505: a null MX is the domain's own statement that it takes no mail, whatever code the reporter used.
  rule(
    'generic.null-mx',
    'bad-domain',
    text(/null mx|doesn't receive e?mail|does not accept mail|indicated no smtp service/),
  ),
  rule(
    'generic.dns.temporary',
    'network-error',
    all(transient, text(/dns (error|type|lookup)|nxdomain|name service error|domain name not found|lookup failed/)),
  ),
  rule(
    'generic.bad-domain',
    'bad-domain',
    text(
      /host (or domain name )?(unknown|not found)|domain (name )?not found|no such domain|unknown domain|invalid domain|domain (does not|doesn't) exist|(couldn't|could not|can't|cannot|unable to) find (any host|a mail exchanger|the recipient domain|the domain|an? mx)|weren't able to find the recipient domain|no mx (record|found)|null mx|does not accept mail|indicated no smtp service|nxdomain|domain lookup failed|unrout(e)?able (mail )?(domain|address)|unknown host|domain (is not reachable|must exist)|mail domain .{0,40} is unknown|name or service not known/,
    ),
  ),
];

/** The SMTP dialogue itself went wrong (RFC 5321 500-504, X.5.x). */
const PROTOCOL: readonly Rule[] = [
  rule(
    'generic.protocol',
    'protocol-error',
    text(
      /bad sequence|improper sequence|out of sequence|command (not recognized|unrecognized|not implemented)|unrecognized command|syntax error|protocol (violation|error)|too many (errors|bad commands|invalid commands)|bad smtp command|line too long|malformed|(empty|invalid|bad) (helo|ehlo)|(?<!retry )timeout (exceeded|- closing)|connection expired|multiple destination domains|bare (lf|linefeed|cr)/,
    ),
  ),
];

/** Other local policy: relaying, dynamic IPs, spoofing, allow lists, organisation rules. */
const POLICY: readonly Rule[] = [
  rule(
    'generic.policy.relay',
    'policy-block',
    text(
      /relay(ing)? (denied|not (permitted|allowed)|access denied|prohibited)|not (configured|permitted|allowed) to relay|no relaying|unable to relay|allowed rcpthosts|don't handle mail for|not a gateway|as a relay|relaying mail to/,
    ),
  ),
  rule(
    'generic.policy',
    'policy-block',
    text(
      /(for|due to) policy reasons|(local|organization|organisation|administrative) polic(y|ies)|policy (violation|rejection|restrictions?)|violates .{0,40}polic(y|ies)|administrative prohibition|prohibited by|has a policy that prohibits|not (authorized|allowed|permitted) to send|transport\.?rules?|rejectmessage|spoof|doesn't want your mail|recipient preferences|not (in|on) (the )?(whitelist|allow ?list)|not whitelisted|header (error|based)|dynamic ip|dial-?up|residential|envelope blocked|network not allowed|denied by policy|(closed|members-only) (mailing )?list|not subscribed to|organi[sz]ational settings|mass mailer|captcha|not allowed to post|(do not|don't|does not) have permission to send/,
    ),
  ),
];

/** The receiver's own trouble (RFC 3463 X.3.x, X.4.x): retry. */
const SERVER: readonly Rule[] = [
  rule('generic.server.unverified', 'server-error', text(/unverified address|verification in progress/)),
  // A local delivery program failed (Postfix's "Command output:", procmail, maildrop): whatever it
  // printed ("No such user"), the fault is the receiving host's, not the address's.
  rule(
    'generic.server.local-delivery',
    'server-error',
    text(
      /command output:|\b(procmail|maildrop|dovecot-lda|deliver|cyrus deliver|mail\.local)\b: |couldn't create "?\/|can't create "?\/|cannot create "?\//,
    ),
  ),
  rule(
    'generic.server.temporary',
    'server-error',
    text(
      /temporar(y|ily) (error|failure|problem|unavailable|not available|rejected|deferred)|\bbusy\b|system (problem|error)|local error|internal (server )?error|resources? (temporarily )?unavailable|insufficient system|service (is )?(temporarily |currently )?(unavailable|not available)|queue file write error|operating system error|mailer error|(ldap|database|directory) (server )?(error|unavailable|failure)|unable to contact ldap|\bloop\b|hop count|too many hops|try (again )?later|closing transmission channel|(local|system|server) (configuration|config) (error|problem)|misconfigured|local problem|transaction failed|error while being processed|interrupted system call|insufficient permission/,
    ),
  ),
];

/**
 * The message's lifetime ran out at a relay (sisimai "expired"): fail the message, keep the
 * address. qmail's "Giving up on <host>" is not here: qmail ends permanent failures with it too.
 */
const EXPIRY: readonly Rule[] = [
  rule(
    'generic.expired.network',
    'network-error',
    all(
      text(
        /message (expired|timed out)|envelope expired|delivery expired|retry timeout exceeded|could not be delivered for (more than )?\d+|unable to deliver (in \d+|message after multiple retries)|delivery failed \d+ attempts|deleted from queue|delivery time expired|(too long in|in the) queue too long|queue too long|allowed queue period|failing for a long time/,
      ),
      text(/connect|timed out|timeout|unreachable|refused/),
    ),
    'fail-message',
  ),
  rule(
    'generic.expired',
    'server-error',
    text(
      /message (expired|timed out)|envelope expired|delivery expired|retry timeout exceeded|could not be delivered for (more than )?\d+|unable to deliver (in \d+|message after multiple retries)|delivery failed \d+ attempts|deleted from queue|delivery time expired|(too long in|in the) queue too long|queue too long|allowed queue period|failing for a long time/,
    ),
    'fail-message',
  ),
];

/** No answer, or the connection broke: what an MTA writes when there was no reply to quote. */
export const NETWORK_RULES: readonly Rule[] = [
  rule(
    'generic.network.text',
    'network-error',
    text(
      /connection (timed out|refused|reset|closed|lost|dropped)|timed out|\btimeout\b|socket error|host not reachable|no route to host|unreachable|could not connect|(couldn't|could not|unable to|wasn't able to) (establish|connect|open)|did not accept our requests to connect|network error|host is unreachable|host ?name lookup failure|name server reply|unable to resolve|econnrefused|econnreset|etimedout|ehostunreach|enetunreach|epipe|lost connection|refused to talk/,
    ),
  ),
];

/** Every generic rule that names a cause other than the address, in order. */
export const GENERIC_SPECIFIC_RULES: readonly Rule[] = [
  ...GREYLIST,
  ...MESSAGE_FORMAT,
  ...VELOCITY,
  ...CPANEL_UNROUTABLE,
  ...BLOCKLIST,
  ...AUTHENTICATION,
  ...TLS,
  ...RATE_SPECIFIC,
  ...REFUSED_AT_GREETING,
  ...CONNECTIONS,
  ...MAILBOX_FULL,
  ...TOO_LARGE,
  ...PROTOCOL,
  ...RATE_GENERAL,
  ...REPUTATION,
  ...CONTENT,
  ...MAILBOX_DISABLED,
  ...DOMAIN,
  ...POLICY,
  ...SERVER,
  ...EXPIRY,
  ...NETWORK_RULES,
];

/**
 * The address does not exist: the phrasing families of RFC 5321's "mailbox unavailable",
 * Postfix's "User unknown in … table", Sendmail's "… User unknown", qmail's "no mailbox here by
 * that name", Exim's "Unrouteable address", Exchange's "The recipient name is not recognized",
 * Yahoo's "This user doesn't have a … account".
 */
export const GENERIC_ADDRESS_RULES: readonly Rule[] = [
  rule(
    'generic.unknown-user.phrase',
    'unknown-user',
    text(
      /\b(user|mailbox|recipient|rcpt|address|account|addressee|local part|userid|alias)\b(?: [^ ]+){0,2} (is |was )?(unknown|not found|not exist|does not exist|doesn't exist|do not exist|non-?existent|not valid|invalid|not recognized|not listed|not known|not present|unallocated|marked as invalid)/,
    ),
  ),
  rule(
    'generic.unknown-user.adjective',
    'unknown-user',
    text(
      /\b(unknown|invalid|no such|non-?existent|bad|illegal|unrecognized|inexistent)[ -](local )?(user|mailbox|recipient|address|account|alias|addressee|destination|person|userid|e-?mail( address)?|virtual user)s?\b|invalid final delivery/,
    ),
  ),
  rule(
    'generic.unknown-user.other',
    'unknown-user',
    text(
      /no mailbox|not our customer|doesn't have an? .{1,40} account|undeliverable address|no longer on (this )?server|not (a )?valid (mailbox|recipient|user|rfc ?5321 address)|address (does not|doesn't) exist|recipient address rejected: access denied|no account by that name|no (one|such person) at this address|no valid recipients|not (present )?in (the )?(name )?directory|not listed in (the )?([\w-]+ )?(public |name |address )?directory|bad ?rcpt ?to|not in my valid ?rcpt ?to|envelope recipient (has been )?denied|no mail ?box (available|found)/,
    ),
  ),
];

/**
 * Words that say "refused" without saying why. Last among text rules, they keep a bare refusal
 * from being read as a dead address: only "mailbox unavailable" (RFC 5321's own 550 text) still
 * points at the address. Postfix's "Recipient address rejected:" is a prefix for any recipient
 * check, so the words after it decide, not the prefix.
 */
export const GENERIC_WEAK_RULES: readonly Rule[] = [
  rule('generic.weak.blocked', 'policy-block', text(/\b(blocked|block|banned|prohibited)\b|access denied/)),
  rule('generic.weak.mailbox-unavailable', 'unknown-user', text(/mailbox (is )?(unavailable|not available)/)),
  // With an address-status code (X.1.x), "rejected" is about the address: the code rules decide.
  rule(
    'generic.weak.refused',
    'policy-block',
    all(
      text(/\b(denied|refused|rejected|not allowed|not permitted|not accept(ed|ing))\b|\bpolicy\b/),
      not(enhanced(/^5\.1\.\d+$/)),
    ),
  ),
];
