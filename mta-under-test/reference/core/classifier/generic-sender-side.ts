/**
 * The generic rules that name the sender's side of a refusal: greylisting, velocity, the
 * message's format, blocklists, authentication, TLS, rate limits and connection limits. They
 * come first in generic.ts's order, before anything that would read the same reply as a dead
 * address (see generic.ts for why).
 */
import type { Rule } from './rule.ts';
import { all, rule, text, transient } from './rule.ts';

/** Receivers that defer unknown triplets say so: postgrey's "Greylisted, see …", Exim's and Barracuda's "Greylisted for N minutes". */
export const GREYLIST: readonly Rule[] = [
  rule('generic.greylisted', 'greylisted', text(/\bgr[ae]y-?list(ed|ing)?\b|\bgr[ae]y list/)),
];

/**
 * Velocity and harvesting: the receiver refuses because of what the sender did (many invalid
 * addresses, many recipients), not because this recipient is missing. Never suppress on these.
 */
export const VELOCITY: readonly Rule[] = [
  rule(
    'generic.harvest.invalid-recipients',
    'reputation-block',
    text(
      /too many (invalid|unknown|bad|illegal|non-?existent|unavailable|failed|undeliverable) (recipients?|users?|addresses|rcpts?|mailboxes|rcpt to)|directory harvest|harvest(ing)? attack|\bdha\b|namespace mining/,
    ),
  ),
  rule(
    'generic.rate.recipients',
    'rate-limited',
    text(/too many (recipients|rcpts?)\b|sent to too many recipients|recipients? rate|recipient limit/),
  ),
];

/** Faults in the message format, before auth rules: "Duplicate header 'DKIM-Signature'" is about headers. */
export const MESSAGE_FORMAT: readonly Rule[] = [
  // A personal or local block list of senders ("sender is blacklisted") is the recipient's policy, not a public list.
  rule(
    'generic.policy.sender-list',
    'policy-block',
    text(
      /sender (address )?(is )?(black|block) ?listed|(black|block) ?listed (by|in) (the )?(recipient|user)|(user|recipient)'?s? (personal )?(black|block) ?list/,
    ),
  ),
  rule(
    'generic.policy.rfc-format',
    'policy-block',
    text(
      /duplicate header|headers? (are )?not rfc|not rfc ?\d* ?compliant|must be rfc ?5322|(missing|multiple|invalid) .{0,30}(from|message-id|date|subject):? headers?|multiple addresses in from/,
    ),
  ),
  // A lookup that failed for now is the receiver's problem (Cisco's "Temporary error occurred during SPF verification").
  rule(
    'generic.server.auth-lookup',
    'server-error',
    all(transient, text(/temporary (error|failure)s? (occurred )?(during|in|while) (spf|dkim|dmarc|dns)/)),
  ),
];

/**
 * cPanel's Exim template for a recipient domain it could not route: "The account or domain may
 * not exist, they may be blacklisted, or missing the proper dns entries." It lists guesses; the
 * failure is the routing, so it must come before the block-list words it contains.
 */
export const CPANEL_UNROUTABLE: readonly Rule[] = [
  rule(
    'generic.cpanel.unroutable',
    'bad-domain',
    text(/account or domain may not exist, they may be (black|block) ?listed, or missing the proper dns entries/),
  ),
];

/** Lists of bad IPs, domains and URLs, by their names (Spamhaus, SpamCop, Barracuda, Cloudmark CSI …) and by the words "listed", "blocklist". */
export const BLOCKLIST: readonly Rule[] = [
  rule(
    'generic.content.url-blocklist',
    'content-spam',
    text(
      /(black|block) ?listed (url|link|domain in (the )?(message|body))|\buribl\b|\bsurbl\b|spam url|url .{0,20}(black|block) ?list/,
    ),
  ),
  rule(
    'generic.blocklist.named',
    'blocklisted',
    text(
      /spamhaus|spamcop|\bsorbs\b|barracudacentral|abuseat\.org|\bcbl\b|cloudmark|\(csi\)|by csi\b|uceprotect|\bpsbl\b|spamrats|invaluement|mail-abuse\.(com|org)|\brbl\b|\brbl\+|dnsbls?\b/,
    ),
  ),
  rule(
    'generic.blocklist.listed',
    'blocklisted',
    text(
      /blocked using|\bis listed (at|on|in|by)\b|(black|block) ?list(ed)?\b|listed (at|in|on|by) .{0,40}\b(list|bl)\b|on (our|a|the) (block|black) ?list/,
    ),
  ),
];

/** SPF, DKIM, DMARC, PTR and sender-domain faults: the sender's configuration, not the recipient. */
export const AUTHENTICATION: readonly Rule[] = [
  rule(
    'generic.auth.spf-dkim-dmarc',
    'auth-failure',
    text(/\bspf\b|\bdkim\b|\bdmarc\b|sender policy framework|domainkeys/),
  ),
  rule(
    'generic.auth.unauthenticated',
    'auth-failure',
    text(
      /unauthenticated|not authenticated|authentication (check|checks|results|level|failed|failure|information)|fails? to pass (authentication|spf|dkim)|does not have authentication|without authentication|smtp authentication|authentication (required|credentials)|insecure mail relay/,
    ),
  ),
  // Postfix's reject_unknown_client_hostname says "cannot find your (reverse) hostname"; reject_unknown_helo_hostname says "Helo command rejected".
  rule(
    'generic.auth.ptr',
    'auth-failure',
    text(
      /\bptr\b|reverse dns|\brdns\b|reverse (lookup|dns|mapping|hostname)|(ip|host) ?name lookup failed|cannot find your (reverse )?hostname|cannot resolve your (address|hostname)|unresolvable relay host|mismatches client ip|unverif(y|i)able sending ip|valid sender domain|resource record|helo command rejected/,
    ),
  ),
  // The envelope sender itself refused (empty or bogus MAIL FROM, BATV, pre-approved senders only): the sending side's setup.
  rule(
    'generic.auth.sender-refused',
    'auth-failure',
    text(
      /sender (e-?mail )?(address )?(was |is )?(rejected|refused|denied|not pre-?approved)|bogus mail from|(null|empty) (envelope )?senders? (is |are )?not allowed|mail from not owned|\bbatv\b|backscatter|fully qualified (e-?mail )?address required|does not accept mail from|returned mail not accepted/,
    ),
  ),
  rule(
    'generic.auth.sender',
    'auth-failure',
    text(
      /sender address rejected|domain of sender address|sender (domain|address) (does not|doesn't|must) (exist|resolve)|invalid sender|unroutable sender|sender verify failed|unresolvable.{0,30}from domain|purported responsible address|(invalid|bad|malformed|illegal) .{0,30}\b(mail from|sender'?s?)\b|(mail ?from|envelope sender) domain .{0,30}(not|fail)/,
    ),
  ),
];

/** STARTTLS demanded: Gmail's 4.7.29/5.7.29, Mimecast's "This route requires encryption (TLS)", RFC 3207's "Must issue a STARTTLS command first". */
export const TLS: readonly Rule[] = [
  rule(
    'generic.tls.required',
    'tls-required',
    text(
      /\btls\b.{0,30}\b(required|requires|version|connection)|(require[sd]?|must use|must issue|needs?) (a )?(starttls|tls|encryption|encrypted)|not using a tls|sent over a tls|encryption required|starttls (is )?required/,
    ),
  ),
];

/** Signals of a rate limit that no other cause can share. */
export const RATE_SPECIFIC: readonly Rule[] = [
  rule(
    'generic.rate.limited',
    'rate-limited',
    text(
      /rate[- ]limit(ed|ing)?|too (quickly|fast)|receiving (e?mail|messages) at a rate|unusual rate|frequency limit|throttl|(sending|queue|relay|recipient) (quota|limit)|quota for sending|thread limit|excessive (volume|traffic|mail)|message rate|permitted limits/,
    ),
  ),
];

/**
 * Postfix's "host … refused to talk to me: 421 …": the receiver refused the connection at its
 * greeting, before any command, which is a refusal of the connecting IP (its reputation or the
 * receiver's policy), not a fault of the message or the address.
 */
export const REFUSED_AT_GREETING: readonly Rule[] = [
  rule('generic.reputation.refused-at-greeting', 'reputation-block', text(/refused to talk to me/)),
];

/** Concurrency and messages-per-session limits: Postfix anvil, Orange's "Trop de connexions", Yahoo's "Max message per connection". */
export const CONNECTIONS: readonly Rule[] = [
  rule(
    'generic.connections',
    'too-many-connections',
    text(
      /too many (concurrent |simultaneous |smtp )?(connections|sessions)|connection limit|(maximum|max) (number of )?(concurrent )?connections|concurrent connections|connections? (per|from (this|your)) ip|max(imum)? (number of )?messages? per (connection|session)|messages per session/,
    ),
  ),
];
