/**
 * Check `disposable`: throw-away mailbox services (mailinator.com, yopmail.com …). An address
 * there was made to get past a sign-up form and is abandoned within hours; later mail to it
 * is never read, and some of these services' domains are recycled into trap feeds.
 *
 * The domain list is the package `disposable-email-domains-js` (CC0; a build of the
 * community-maintained disposable-email-domains/disposable-email-domains blocklist, ~9,000
 * domains, updated automatically). Its own `isDisposableEmailDomain` rebuilds a Set on every
 * call, so the Set is built once here. A subdomain of a listed domain counts too
 * (`x.mailinator.com`), down to but not including the public suffix.
 */
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import type { Finding } from '../report.ts';

let blocklist: ReadonlySet<string> | undefined;

/** The listed domain `domain` falls under, or undefined. */
export function disposableDomainOf(domain: string): string | undefined {
  blocklist ??= disposableEmailBlocklistSet();
  const labels = domain.split('.');
  for (let start = 0; start < labels.length - 1; start++) {
    const candidate = labels.slice(start).join('.');
    if (blocklist.has(candidate)) return candidate;
  }
  return undefined;
}

/** Drops an address at a disposable-mailbox domain. */
export function disposableFindings(domain: string): Finding[] {
  const listed = disposableDomainOf(domain);
  if (listed === undefined) return [];
  return [
    {
      check: 'disposable',
      code: 'disposable.domain',
      effect: 'drop',
      detail: `${listed} is a disposable-mailbox service`,
    },
  ];
}
