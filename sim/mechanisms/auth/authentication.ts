/**
 * A receiver's authentication of one message: SPF for the MAIL FROM domain, every DKIM
 * signature, DMARC for the From domain, FCrDNS for the sending IP, and whether the message
 * offers RFC 8058 one-click unsubscribe. Then `judgeAuthentication` applies a provider's
 * rules (profile.ts `AuthenticationRules`) to the results.
 *
 * SPF and PTR answers depend only on (IP, domain, DNS), so they are cached per zone version;
 * DKIM is verified message by message.
 */
import addressparser from 'nodemailer/lib/addressparser';
import type { DnsZone } from '../../dns/zone.ts';
import { memoised } from '../../../kernel/index.ts';
import type { AuthenticationRules, AuthRequirement } from '../../receivers/profile.ts';
import { DkimVerifier } from './dkim.ts';
import type { DkimVerdict } from './dkim.ts';
import { checkDmarc } from './dmarc.ts';
import type { DmarcVerdict } from './dmarc.ts';
import { fieldValue, lastField } from './message-parts.ts';
import type { MessageParts } from './message-parts.ts';
import { forwardConfirmedPtr } from './ptr.ts';
import { checkSpf } from './spf.ts';
import type { SpfResult } from './spf.ts';

export interface AuthenticationResults {
  readonly spf: SpfResult;
  /** The MAIL FROM domain SPF was checked for. */
  readonly spfDomain: string;
  readonly dkim: readonly DkimVerdict[];
  readonly dmarc: DmarcVerdict;
  /** RFC 8058: an https List-Unsubscribe, List-Unsubscribe-Post, both under a passing DKIM signature. */
  readonly oneClickUnsubscribe: boolean;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

/** The first address of a From field value, or ''; a campaign's messages share one From, so it is remembered. */
const firstAddressOf = memoised(
  (value) => {
    const [first] = addressparser(value, { flatten: true });
    return first?.address ?? '';
  },
  { capacity: 1024, maxKeyLength: 1024 },
);

/** A receiver reads the From address of a message twice (DMARC, then the sending domain): once is enough. */
const fromAddresses = new WeakMap<MessageParts, string>();

/** The address in the From header, or '' when there is none readable. */
export function fromAddress(parts: MessageParts): string {
  let address = fromAddresses.get(parts);
  if (address === undefined) {
    const field = lastField(parts, 'from');
    address = field === undefined ? '' : firstAddressOf(fieldValue(field));
    fromAddresses.set(parts, address);
  }
  return address;
}

export class Authenticator {
  private readonly dkim: DkimVerifier;
  private readonly spfCache = new Map<string, SpfResult>();
  private readonly ptrCache = new Map<string, boolean>();
  private cachedVersion = -1;

  constructor(private readonly dns: DnsZone) {
    this.dkim = new DkimVerifier(dns);
  }

  ptrConfirmed(ip: string): boolean {
    this.invalidateOnChange();
    let confirmed = this.ptrCache.get(ip);
    if (confirmed === undefined) {
      confirmed = forwardConfirmedPtr(this.dns, ip);
      this.ptrCache.set(ip, confirmed);
    }
    return confirmed;
  }

  authenticate(peerIp: string, mailFrom: string, parts: MessageParts): AuthenticationResults {
    this.invalidateOnChange();
    const spfDomain = domainOf(mailFrom);
    const spfKey = `${peerIp} ${spfDomain}`;
    let spf = this.spfCache.get(spfKey);
    if (spf === undefined) {
      spf = checkSpf(this.dns, peerIp, spfDomain);
      this.spfCache.set(spfKey, spf);
    }
    const dkim = this.dkim.verify(parts);
    const dkimPassDomains = dkim
      .filter((verdict) => verdict.result === 'pass')
      .map((verdict) => verdict.domain as string);
    const dmarc = checkDmarc(this.dns, {
      fromDomain: domainOf(fromAddress(parts)),
      spfPassDomain: spf === 'pass' ? spfDomain : null,
      dkimPassDomains,
    });
    return { spf, spfDomain, dkim, dmarc, oneClickUnsubscribe: offersOneClick(parts, dkimPassDomains.length > 0) };
  }

  private invalidateOnChange(): void {
    if (this.cachedVersion === this.dns.version) return;
    this.cachedVersion = this.dns.version;
    this.spfCache.clear();
    this.ptrCache.clear();
  }
}

/** RFC 8058 one-click unsubscribe: both fields present, an https URI, under a passing signature. */
export function offersOneClick(parts: MessageParts, dkimPassed: boolean): boolean {
  const unsubscribe = lastField(parts, 'list-unsubscribe');
  const post = lastField(parts, 'list-unsubscribe-post');
  if (unsubscribe === undefined || post === undefined || !dkimPassed) return false;
  return /<https:\/\/[^>]+>/i.test(fieldValue(unsubscribe)) && /^List-Unsubscribe=One-Click$/i.test(fieldValue(post));
}

/** What a provider makes of the results, in the order a receiver checks. */
export type AuthVerdict = 'pass' | 'dmarc-reject' | 'unauthenticated' | 'bulk-requirements' | 'no-one-click';

function meets(requirement: AuthRequirement | 'none', results: AuthenticationResults): boolean {
  const spf = results.spf === 'pass';
  const dkim = results.dkim.some((verdict) => verdict.result === 'pass');
  switch (requirement) {
    case 'none':
      return true;
    case 'spf-or-dkim':
      return spf || dkim;
    case 'spf-and-dkim':
      return spf && dkim;
  }
}

export function judgeAuthentication(
  rules: AuthenticationRules,
  results: AuthenticationResults,
  bulk: boolean,
): AuthVerdict {
  if (rules.enforceDmarcReject && results.dmarc.result === 'fail' && results.dmarc.policy === 'reject')
    return 'dmarc-reject';
  if (!meets(rules.everyone, results)) return 'unauthenticated';
  if (!bulk) return 'pass';
  if (!meets(rules.bulk, results)) return 'unauthenticated';
  if (rules.bulkNeedsDmarc && results.dmarc.result !== 'pass') return 'bulk-requirements';
  if (rules.bulkNeedsOneClick && !results.oneClickUnsubscribe) return 'no-one-click';
  return 'pass';
}
