/**
 * An in-memory DNS zone that receivers and senders both resolve through: MX for routing,
 * A for the MX hosts (loopback addresses in wire mode), PTR for reverse checks, TXT for
 * SPF, DKIM and DMARC. Answers are unions, as real resolution has three outcomes that matter
 * to mail: records, no records of that type (NODATA), and no such name (NXDOMAIN).
 */

export interface MxRecord {
  readonly priority: number;
  readonly exchange: string;
}

export type DnsAnswer<T> =
  | { readonly kind: 'records'; readonly records: readonly T[] }
  | { readonly kind: 'nodata' }
  | { readonly kind: 'nxdomain' };

export type RecordType = 'MX' | 'A' | 'PTR' | 'TXT';

/** Lower-cases a DNS name and drops a trailing dot, so lookups are case- and root-insensitive. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export class DnsZone {
  private readonly names = new Map<string, Map<RecordType, unknown[]>>();
  private changes = 0;

  /** Grows with every change, so readers can cache answers and notice a changed zone. */
  get version(): number {
    return this.changes;
  }

  /** A copy of the zone as it is now: later changes to this zone do not reach it (nor the other way). */
  snapshot(): DnsZone {
    const copy = new DnsZone();
    for (const [name, byType] of this.names) {
      copy.names.set(name, new Map([...byType].map(([type, values]) => [type, [...values]])));
    }
    copy.changes = this.changes;
    return copy;
  }

  addMx(domain: string, exchange: string, priority = 10): this {
    return this.add(domain, 'MX', { priority, exchange: canonicalName(exchange) });
  }

  addA(host: string, address: string): this {
    return this.add(host, 'A', address);
  }

  addPtr(address: string, name: string): this {
    return this.add(address, 'PTR', canonicalName(name));
  }

  addTxt(name: string, text: string): this {
    return this.add(name, 'TXT', text);
  }

  /** Removes every record of `type` at `name` (a scenario's DNS change, e.g. a rotated key). */
  remove(name: string, type: RecordType): this {
    const byType = this.names.get(canonicalName(name));
    if (byType?.delete(type) === true) this.changes++;
    return this;
  }

  /** MX records sorted by priority (lowest first), ties in the order they were added. */
  mx(domain: string): DnsAnswer<MxRecord> {
    const answer = this.lookup<MxRecord>(domain, 'MX');
    if (answer.kind !== 'records') return answer;
    return { kind: 'records', records: [...answer.records].sort((a, b) => a.priority - b.priority) };
  }

  a(host: string): DnsAnswer<string> {
    return this.lookup(host, 'A');
  }

  ptr(address: string): DnsAnswer<string> {
    return this.lookup(address, 'PTR');
  }

  txt(name: string): DnsAnswer<string> {
    return this.lookup(name, 'TXT');
  }

  /** Every record, for printing a zone (`mailbench serve`) in a stable order. */
  entries(): { name: string; type: RecordType; value: unknown }[] {
    const rows: { name: string; type: RecordType; value: unknown }[] = [];
    for (const [name, byType] of [...this.names].sort(([a], [b]) => a.localeCompare(b))) {
      for (const [type, values] of byType) for (const value of values) rows.push({ name, type, value });
    }
    return rows;
  }

  private add(name: string, type: RecordType, value: unknown): this {
    this.changes++;
    const key = canonicalName(name);
    const byType = this.names.get(key) ?? new Map<RecordType, unknown[]>();
    this.names.set(key, byType);
    const values = byType.get(type) ?? [];
    byType.set(type, values);
    values.push(value);
    return this;
  }

  private lookup<T>(name: string, type: RecordType): DnsAnswer<T> {
    const byType = this.names.get(canonicalName(name));
    if (byType === undefined) return { kind: 'nxdomain' };
    const values = byType.get(type);
    if (values === undefined || values.length === 0) return { kind: 'nodata' };
    return { kind: 'records', records: values as T[] };
  }
}
