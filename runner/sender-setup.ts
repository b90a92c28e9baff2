/**
 * The sender's side of the world's DNS, as a careful bulk sender publishes it: a PTR for the
 * sending IP that resolves back to it (FCrDNS), SPF for the envelope domain, a DKIM key for
 * the From domain, and a DMARC record. The DKIM key is Ed25519, derived from the run's seed,
 * so the same seed signs the same bytes.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { DkimKey } from '../mta-under-test/reference/core/dkim-signer.ts';
import type { DnsZone } from '../sim/dns/zone.ts';
import type { Rng } from '../sim/random/rng.ts';

export interface SenderIdentity {
  /** Every sending IP with its EHLO name: each gets a PTR that resolves back, and a place in SPF. */
  readonly sources: readonly { readonly sourceIp: string; readonly heloName: string }[];
  readonly mailFrom: string;
}

export interface SenderSetup {
  readonly dkim: DkimKey;
  /** The header From address (same domain as the envelope, so SPF and DKIM both align). */
  readonly from: string;
  /** Where feedback loops send complaints: the address the sender registered with them. */
  readonly feedbackAddress: string;
  /** The sender domain's inbound MX host, where DSNs and complaints are delivered. */
  readonly inboundMxHost: string;
}

/** The loopback address of the sender's inbound MX (the return-path listener in wire mode). */
export const SENDER_INBOUND_ADDRESS = '127.0.2.1';

/** PKCS #8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
export const DKIM_SELECTOR = 'mb2026';

export function publishSender(dns: DnsZone, sender: SenderIdentity, rng: Rng): SenderSetup {
  const domain = sender.mailFrom.slice(sender.mailFrom.lastIndexOf('@') + 1).toLowerCase();
  const seed = Buffer.from(Array.from({ length: 32 }, () => rng.int(0, 255)));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicRaw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
  for (const source of sender.sources) {
    dns.addPtr(source.sourceIp, source.heloName);
    dns.addA(source.heloName, source.sourceIp);
  }
  dns.addTxt(domain, `v=spf1 ${sender.sources.map((source) => `ip4:${source.sourceIp}`).join(' ')} -all`);
  dns.addTxt(`${DKIM_SELECTOR}._domainkey.${domain}`, `v=DKIM1; k=ed25519; p=${publicRaw.toString('base64')}`);
  dns.addTxt(`_dmarc.${domain}`, `v=DMARC1; p=none; rua=mailto:dmarc@${domain}`);
  const inboundMxHost = `mx.${domain}`;
  dns.addMx(domain, inboundMxHost, 10);
  dns.addA(inboundMxHost, SENDER_INBOUND_ADDRESS);
  return { dkim: { domain, selector: DKIM_SELECTOR, privateKey }, from: `news@${domain}`, feedbackAddress: `fbl@${domain}`, inboundMxHost };
}
