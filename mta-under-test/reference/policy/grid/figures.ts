/**
 * A tenant's figures for one UTC day, summed over a window, and the shares the grid decides on.
 * Pure counting; the governor keeps one of these per tenant per day.
 *
 * Deliverability, exactly: delivered ÷ (delivered + bounced + expired + async bounces), where
 * delivered counts Delivery records, bounced counts Bounce records (attempts the receiver
 * refused for good), expired counts Expiration records and async bounces count AsyncBounce
 * records (DSNs after acceptance; such a recipient is in `delivered` too, since the engine saw
 * a 250 first). AdminBounces (suppressed before any attempt) and TransientFailures (not final)
 * are not in it.
 */
import type { AccountingRecord } from '../../../accounting.ts';
import type { Class } from '../../../../kernel/index.ts';

export interface TenantFigures {
  delivered: number;
  bounced: number;
  expired: number;
  asyncBounced: number;
  /** Feedback (ARF) records. */
  complaints: number;
  /** Delivery, Bounce and TransientFailure records. */
  attempts: number;
  /** Attempts of a block class (`GRID_BLOCK_CLASSES`). */
  blocked: number;
}

/** Classes that say a receiver blocks the tenant's mail: the grid's IPs must not carry it. */
export const GRID_BLOCK_CLASSES: ReadonlySet<Class> = new Set<Class>(['reputation-block', 'blocklisted']);

export function emptyTenantFigures(): TenantFigures {
  return { delivered: 0, bounced: 0, expired: 0, asyncBounced: 0, complaints: 0, attempts: 0, blocked: 0 };
}

/** Counts one record into `figures`; returns whether it counted. */
export function countRecord(figures: TenantFigures, record: AccountingRecord): boolean {
  switch (record.type) {
    case 'Delivery':
    case 'Bounce':
    case 'TransientFailure':
      figures.attempts++;
      if (GRID_BLOCK_CLASSES.has(record.class)) figures.blocked++;
      if (record.type === 'Delivery') figures.delivered++;
      if (record.type === 'Bounce') figures.bounced++;
      return true;
    case 'Expiration':
      figures.expired++;
      return true;
    case 'AsyncBounce':
      figures.asyncBounced++;
      return true;
    case 'Feedback':
      figures.complaints++;
      return true;
    case 'Reception':
    case 'AdminBounce':
    case 'Suppression':
    case 'Throttle':
    case 'Suspend':
    case 'Resume':
    case 'Policy':
      return false;
  }
}

export function addFigures(into: TenantFigures, figures: TenantFigures): TenantFigures {
  into.delivered += figures.delivered;
  into.bounced += figures.bounced;
  into.expired += figures.expired;
  into.asyncBounced += figures.asyncBounced;
  into.complaints += figures.complaints;
  into.attempts += figures.attempts;
  into.blocked += figures.blocked;
  return into;
}

/** The deliverability denominator: every recipient whose fate is known. */
export function finalsOf(figures: TenantFigures): number {
  return figures.delivered + figures.bounced + figures.expired + figures.asyncBounced;
}

/** delivered ÷ (delivered + bounced + expired + async bounces); null with no finals. */
export function deliverabilityOf(figures: TenantFigures): number | null {
  const finals = finalsOf(figures);
  return finals === 0 ? null : figures.delivered / finals;
}

/** (bounced + async bounces) ÷ the same denominator; 0 with no finals. */
export function bounceShareOf(figures: TenantFigures): number {
  const finals = finalsOf(figures);
  return finals === 0 ? 0 : (figures.bounced + figures.asyncBounced) / finals;
}

/** complaints ÷ delivered (Gmail's spam rate is per delivered message); 1 when complaints come with nothing delivered. */
export function complaintShareOf(figures: TenantFigures): number {
  if (figures.delivered === 0) return figures.complaints > 0 ? 1 : 0;
  return figures.complaints / figures.delivered;
}

/** blocked ÷ attempts; 0 without attempts. */
export function blockShareOf(figures: TenantFigures): number {
  return figures.attempts === 0 ? 0 : figures.blocked / figures.attempts;
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(2)} %`;
}

/** The figures in words, for a PolicyRecord's `detail`. */
export function describeTenantFigures(figures: TenantFigures): string {
  return [
    `deliverability ${percent(deliverabilityOf(figures))} (${figures.delivered} delivered of ${finalsOf(figures)}: ${figures.bounced} bounced, ${figures.expired} expired, ${figures.asyncBounced} async bounces)`,
    `bounce share ${percent(bounceShareOf(figures))}`,
    `${figures.complaints} complaints (${percent(complaintShareOf(figures))} of delivered)`,
    `${figures.blocked} blocked of ${figures.attempts} attempts (${percent(blockShareOf(figures))})`,
  ].join(', ');
}
