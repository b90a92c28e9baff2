/**
 * The recipients of a scenario and the truth behind them. The sender gets the list; the
 * world keeps which addresses really exist (MailboxDirectory). Which addresses are invalid is
 * drawn from the population's own seeded stream, and exactly `round(share × size)` of them
 * are, so two runs with the same seed mail the same people.
 */
import type { Rng } from '../random/rng.ts';
import { MailboxDirectory } from './mailboxes.ts';

export interface PopulationSpec {
  /** How many recipients. */
  readonly recipients: number;
  /** Recipient domains, used round-robin. */
  readonly domains: readonly string[];
  /** Share of recipients whose mailbox does not exist, in [0, 1]. */
  readonly unknownShare: number;
}

export interface Population {
  /** The list the sender mails, in order. */
  readonly recipients: readonly string[];
  /** Which of them really exist. */
  readonly mailboxes: MailboxDirectory;
  /** How many do not (ground truth, for checks). */
  readonly unknownCount: number;
}

export function generatePopulation(spec: PopulationSpec, rng: Rng): Population {
  if (spec.domains.length === 0) throw new RangeError('a population needs at least one domain');
  const unknownCount = Math.round(spec.unknownShare * spec.recipients);
  const isUnknown = chooseIndices(spec.recipients, unknownCount, rng);
  const width = String(spec.recipients).length;
  const recipients: string[] = [];
  const mailboxes = new MailboxDirectory();
  for (let index = 0; index < spec.recipients; index++) {
    const domain = spec.domains[index % spec.domains.length] as string;
    const address = `user${String(index + 1).padStart(width, '0')}@${domain}`;
    recipients.push(address);
    if (!isUnknown[index]) mailboxes.set(address, 'active');
  }
  return { recipients, mailboxes, unknownCount };
}

/** Marks exactly `count` of `size` indices, chosen by a partial Fisher–Yates shuffle. */
function chooseIndices(size: number, count: number, rng: Rng): Uint8Array {
  const order = Array.from({ length: size }, (_, index) => index);
  const chosen = new Uint8Array(size);
  for (let slot = 0; slot < count; slot++) {
    const pick = rng.int(slot, size - 1);
    const picked = order[pick] as number;
    order[pick] = order[slot] as number;
    order[slot] = picked;
    chosen[picked] = 1;
  }
  return chosen;
}
