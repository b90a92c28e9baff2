/**
 * A receiver's authentication of one message by mailauth (SPF, every DKIM signature, DMARC),
 * resolving through the sim DNS: the verdicts the receivers act on in wire mode, where the
 * network already costs far more than mailauth's half a millisecond a message. They come back
 * in the shape the receivers' own verifier gives (authentication.ts), which sim mode uses and
 * a property test holds to mailauth, so a provider's rules judge both the same way.
 *
 * mailauth's results are mapped without interpretation: a result our vocabulary has no word
 * for (DKIM `neutral` or `policy`, DMARC `temperror`) becomes the nearest word that does not
 * pass, so nothing mailauth refused is ever taken for a pass.
 */
import { hash } from 'node:crypto';
import { authenticate } from 'mailauth';
import type { AuthenticateResult, DKIMResult } from 'mailauth';
import { BoundedMemo } from '../../../kernel/index.ts';
import type { DnsZone } from '../../dns/zone.ts';
import { domainOf, offersOneClick } from './authentication.ts';
import type { AuthenticationResults } from './authentication.ts';
import type { DkimResult, DkimVerdict } from './dkim.ts';
import type { DmarcPolicy, DmarcVerdict } from './dmarc.ts';
import { splitMessage } from './message-parts.ts';
import type { SpfResult } from './spf.ts';
import { mailauthResolver } from './mailauth-resolver.ts';

export interface MessageOnTheWire {
  readonly peerIp: string;
  readonly heloName: string;
  /** The MAIL FROM address; '' for the null sender. */
  readonly mailFrom: string;
  readonly data: string;
  /** The receiving host, named in the Authentication-Results mailauth writes (not used here). */
  readonly receivingHost: string;
}

const SPF_RESULTS: ReadonlySet<string> = new Set<SpfResult>([
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'permerror',
  'temperror',
]);

function spfResultOf(result: string | undefined): SpfResult {
  if (result === 'temperr') return 'temperror';
  return result !== undefined && SPF_RESULTS.has(result) ? (result as SpfResult) : 'permerror';
}

function dkimResultOf(result: string): DkimResult {
  switch (result) {
    case 'pass':
    case 'none':
    case 'permerror':
    case 'temperror':
      return result;
    case 'temperr':
      return 'temperror';
    default:
      // fail, neutral (mailauth's word for a body hash that did not verify), policy (a key too short).
      return 'fail';
  }
}

function dkimVerdictOf(signature: DKIMResult): DkimVerdict {
  return {
    result: dkimResultOf(signature.status.result),
    domain: signature.signingDomain?.toLowerCase() || null,
    selector: signature.selector ?? null,
    reason: `mailauth: ${signature.status.comment ?? signature.status.result}`,
  };
}

function dmarcVerdictOf(result: AuthenticateResult, fromDomain: string): DmarcVerdict {
  const dmarc = result.dmarc;
  if (dmarc === false || dmarc === undefined || dmarc.status.result === 'none')
    return { result: 'none', policy: null, fromDomain };
  const policy = (['none', 'quarantine', 'reject'] as const).find((each) => each === dmarc.policy) ?? null;
  // temperror or neutral: a record was there but no verdict came of it; it does not pass.
  return {
    result: dmarc.status.result === 'pass' ? 'pass' : 'fail',
    policy: policy satisfies DmarcPolicy | null,
    fromDomain,
  };
}

export async function authenticateByMailauth(dns: DnsZone, message: MessageOnTheWire): Promise<AuthenticationResults> {
  const result = await authenticate(message.data, {
    // mailauth's declared resolver type leaves out MX answers ({ exchange, priority }), which it does read.
    resolver: mailauthResolver(dns) as never,
    ip: message.peerIp,
    helo: message.heloName,
    sender: message.mailFrom,
    mta: message.receivingHost,
    disableArc: true,
    disableBimi: true,
  });
  const signatures = result.dkim.results ?? [];
  const dkim: DkimVerdict[] =
    signatures.length === 0
      ? [{ result: 'none', domain: null, selector: null, reason: 'no signature' }]
      : signatures.map(dkimVerdictOf);
  const fromDomain = (result.dkim.headerFrom?.[0] ?? '').toLowerCase();
  return {
    spf: result.spf === false ? 'none' : spfResultOf(result.spf.status.result),
    spfDomain: domainOf(message.mailFrom),
    dkim,
    dmarc: dmarcVerdictOf(result, fromDomain.includes('@') ? domainOf(fromDomain) : fromDomain),
    oneClickUnsubscribe: offersOneClick(
      splitMessage(message.data),
      dkim.some((verdict) => verdict.result === 'pass'),
    ),
  };
}

/**
 * mailauth's verdicts, remembered by what they depend on: the sender's address, HELO and MAIL
 * FROM, the message's bytes and the zone's version. Only this verifier writes the memo, and a
 * verdict is a pure function of that key, so a message retried (or a load generator's one
 * message sent a thousand times) is judged once; a changed byte or a changed zone is judged anew.
 */
export class MailauthJudge {
  private readonly verdicts: BoundedMemo<string, Promise<AuthenticationResults>>;

  constructor(
    private readonly dns: DnsZone,
    capacity = 4096,
  ) {
    this.verdicts = new BoundedMemo(capacity);
  }

  authenticate(message: MessageOnTheWire): Promise<AuthenticationResults> {
    const key = [
      this.dns.version,
      message.peerIp,
      message.heloName,
      message.mailFrom,
      hash('sha256', message.data, 'base64'),
    ].join('\n');
    return this.verdicts.recall(key, () =>
      authenticateByMailauth(this.dns, message).catch((error: unknown) => {
        // A verifier that failed gave no verdict: nothing of it is remembered.
        this.verdicts.forget(key);
        throw error;
      }),
    );
  }
}
