/**
 * Postfix end to end, the reference the engine is measured against: a private instance of
 * Debian's Postfix (mta-under-test/adapters/postfix, its defaults untouched) takes the same N
 * messages over SMTP (16 connections; 250 only once the queue file is fsynced: Postfix's
 * durable enqueue) and relays them into the same simulated Gmail, limits off (mta-e2e.ts). The
 * messages are DKIM-signed by the bench beforehand with the sender's key, so the receiver does
 * the same verification work as for the engine's mail; the signing is the engine's own cost in
 * its figure and not in Postfix's, which favours Postfix.
 */
import { PostfixMta } from '../mta-under-test/index.ts';
import { measureMtaEndToEnd } from './mta-e2e.ts';
import type { MtaEndToEnd } from './mta-e2e.ts';

const INJECT_CONNECTIONS = 16;

export type PostfixEndToEnd = MtaEndToEnd;

export function measurePostfixEndToEnd(options: { readonly messages: number }): Promise<PostfixEndToEnd> {
  return measureMtaEndToEnd({
    messages: options.messages,
    create: () => new PostfixMta({ injectConnections: INJECT_CONNECTIONS }),
  });
}
