/**
 * Per-campaign figures from the sender's accounting records: how many each campaign injected,
 * delivered, bounced and let expire, and how long it took to reach half and all of its
 * recipients. Joined by the records' `campaign` field, so it works for any MTA whose decisions
 * carry the campaign (the reference engine's owner fields; adapters that learn it otherwise).
 */
import type { AccountingRecord } from '../mta-under-test/index.ts';
import type { CampaignFigures } from '../reports/index.ts';

interface CampaignState {
  readonly campaign: string;
  tenant: string | null;
  injected: number;
  delivered: number;
  bounced: number;
  expired: number;
  firstInjectedAtMs: number;
  /** Times of final records in arrival order (the run clock only moves forward). */
  readonly finalTimes: number[];
}

const HOUR_MS = 3_600_000;

export class CampaignCollector {
  private readonly campaigns = new Map<string, CampaignState>();

  readonly onAccounting = (record: AccountingRecord): void => {
    if (!('campaign' in record) || record.campaign === undefined) return;
    const state = this.stateOf(record.campaign, record.atMs);
    if (record.tenant !== undefined) state.tenant = record.tenant;
    switch (record.type) {
      case 'Reception':
        state.injected++;
        return;
      case 'Delivery':
        state.delivered++;
        break;
      case 'Bounce':
      case 'AdminBounce':
        state.bounced++;
        break;
      case 'Expiration':
        state.expired++;
        break;
      // Not final, or about a message already final (later DSNs, complaints).
      case 'TransientFailure':
      case 'AsyncBounce':
      case 'Feedback':
        return;
    }
    state.finalTimes.push(record.atMs);
  };

  figures(): CampaignFigures[] {
    return [...this.campaigns.values()].map((state) => {
      const finals = state.finalTimes.length;
      const complete = finals >= state.injected && state.injected > 0;
      const hoursAt = (index: number): number | null => {
        const atMs = state.finalTimes[index];
        return atMs === undefined ? null : Math.round(((atMs - state.firstInjectedAtMs) / HOUR_MS) * 100) / 100;
      };
      const half = Math.ceil(state.injected / 2) - 1;
      return {
        campaign: state.campaign,
        tenant: state.tenant,
        injected: state.injected,
        delivered: state.delivered,
        bounced: state.bounced,
        expired: state.expired,
        firstInjectedAtMs: state.firstInjectedAtMs,
        finishedAtMs: complete ? (state.finalTimes[finals - 1] ?? null) : null,
        hoursToHalf: finals > half && half >= 0 ? hoursAt(half) : null,
        hoursToFinish: complete ? hoursAt(finals - 1) : null,
      };
    });
  }

  private stateOf(campaign: string, atMs: number): CampaignState {
    let state = this.campaigns.get(campaign);
    if (state === undefined) {
      state = {
        campaign,
        tenant: null,
        injected: 0,
        delivered: 0,
        bounced: 0,
        expired: 0,
        firstInjectedAtMs: atMs,
        finalTimes: [],
      };
      this.campaigns.set(campaign, state);
    }
    return state;
  }
}
