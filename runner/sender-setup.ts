/**
 * The sender's side of the world's DNS, as a careful bulk sender publishes it: a PTR for the
 * sending IP that resolves back to it (FCrDNS), SPF for the envelope domain, a DKIM key for
 * the From domain, and a DMARC record. The DKIM key is Ed25519, derived from the run's seed,
 * so the same seed signs the same bytes.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { DkimKey } from '../mta-under-test/index.ts';
import type { DnsZone } from '../sim/index.ts';
import { domainOf } from '../kernel/index.ts';
import type { Rng } from '../kernel/index.ts';

export interface SenderIdentity {
  /** Every sending IP with its EHLO name: each gets a PTR that resolves back, and a place in SPF. */
  readonly sources: readonly { readonly sourceIp: string; readonly heloName: string }[];
  readonly mailFrom: string;
}

/** How the sender's authentication is published; a broken setup is a scenario's choice. */
export interface PublishedAuth {
  readonly dkim: 'valid' | 'wrong-key' | 'missing';
  readonly spf: 'pass' | 'missing';
  readonly dmarc: 'none' | 'quarantine' | 'reject';
}

const VALID_AUTH: PublishedAuth = { dkim: 'valid', spf: 'pass', dmarc: 'none' };

export interface SenderSetup {
  readonly dkim: DkimKey;
  /** The header From address (same domain as the envelope, so SPF and DKIM both align). */
  readonly from: string;
  /** Where feedback loops send complaints: the address the sender registered with them. */
  readonly feedbackAddress: string;
  /** The sender domain's inbound MX host, where DSNs and complaints are delivered. */
  readonly inboundMxHost: string;
  /** Replaces the published DKIM key from now on, as a rotation gone wrong does. */
  breakDkim(to: 'wrong-key' | 'missing'): void;
}

/** The loopback address of the sender's inbound MX (the return-path listener in wire mode). */
export const SENDER_INBOUND_ADDRESS = '127.0.2.1';

/** PKCS #8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
export const DKIM_SELECTOR = 'mb2026';

export function publishSender(
  dns: DnsZone,
  sender: SenderIdentity,
  rng: Rng,
  auth: PublishedAuth = VALID_AUTH,
): SenderSetup {
  const domain = domainOf(sender.mailFrom);
  const privateKey = ed25519Key(rng);
  const publicRaw = publicKeyOf(privateKey);
  // Another key for a record that does not match, drawn from its own stream so a valid setup's draws stay put.
  const wrongKeyRecord = (): string =>
    `v=DKIM1; k=ed25519; p=${publicKeyOf(ed25519Key(rng.fork('wrong-dkim-key'))).toString('base64')}`;
  const dkimName = `${DKIM_SELECTOR}._domainkey.${domain}`;
  for (const source of sender.sources) {
    dns.addPtr(source.sourceIp, source.heloName);
    dns.addA(source.heloName, source.sourceIp);
  }
  if (auth.spf === 'pass')
    dns.addTxt(domain, `v=spf1 ${sender.sources.map((source) => `ip4:${source.sourceIp}`).join(' ')} -all`);
  if (auth.dkim === 'valid') dns.addTxt(dkimName, `v=DKIM1; k=ed25519; p=${publicRaw.toString('base64')}`);
  if (auth.dkim === 'wrong-key') dns.addTxt(dkimName, wrongKeyRecord());
  dns.addTxt(`_dmarc.${domain}`, `v=DMARC1; p=${auth.dmarc}; rua=mailto:dmarc@${domain}`);
  const inboundMxHost = `mx.${domain}`;
  dns.addMx(domain, inboundMxHost, 10);
  dns.addA(inboundMxHost, SENDER_INBOUND_ADDRESS);
  const breakDkim = (to: 'wrong-key' | 'missing'): void => {
    dns.remove(dkimName, 'TXT');
    if (to === 'wrong-key') dns.addTxt(dkimName, wrongKeyRecord());
  };
  return {
    dkim: { domain, selector: DKIM_SELECTOR, privateKey },
    from: `news@${domain}`,
    feedbackAddress: `fbl@${domain}`,
    inboundMxHost,
    breakDkim,
  };
}

function ed25519Key(rng: Rng): KeyObject {
  const seed = Buffer.from(Array.from({ length: 32 }, () => rng.int(0, 255)));
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyOf(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
}
