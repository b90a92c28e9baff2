/**
 * The reference engine on a virtual clock with a scripted transport, and the records it
 * emitted, for engine unit and property tests.
 */
import type { AccountingRecord } from '../../mta-under-test/accounting.ts';
import { ReferenceEngine } from '../../mta-under-test/reference/core/engine.ts';
import type { EngineOptions } from '../../mta-under-test/reference/core/engine.ts';
import { singleSourceEgress } from '../../mta-under-test/reference/core/egress.ts';
import { loadShapingConfig } from '../../mta-under-test/reference/core/shaping/config.ts';
import type { ShapingParamsInput } from '../../mta-under-test/reference/core/shaping/params.ts';
import { zoneResolver } from '../../mta-under-test/reference/core/resolver.ts';
import { DEFAULT_EPOCH_MS } from '../../kernel/clock/clock.ts';
import { VirtualScheduler } from '../../kernel/clock/virtual-scheduler.ts';
import { DnsZone } from '../../sim/dns/zone.ts';
import { Rng } from '../../kernel/random/rng.ts';
import { ScriptedTransport } from './scripted-transport.ts';
import type { Script } from './scripted-transport.ts';

export interface EngineHarness {
  readonly engine: ReferenceEngine;
  readonly scheduler: VirtualScheduler;
  readonly transport: ScriptedTransport;
  readonly records: AccountingRecord[];
}

/** The shaping a test sets; rates are off unless it asks for them, so only what it tests limits the engine. */
export type HarnessShaping = ShapingParamsInput;

export function engineHarness(
  script: Script,
  shaping: HarnessShaping = { connectionLimit: 5, maxDeliveriesPerConnection: 50 },
  extra: Partial<EngineOptions> = {},
): EngineHarness {
  const scheduler = new VirtualScheduler(DEFAULT_EPOCH_MS);
  const dns = new DnsZone().addMx('example.test', 'mx1.example.test', 10).addMx('example.test', 'mx2.example.test', 20);
  const transport = new ScriptedTransport(script);
  const records: AccountingRecord[] = [];
  const engine = new ReferenceEngine({
    scheduler,
    rng: new Rng('engine-test'),
    transport,
    resolver: zoneResolver(dns, () => ({ address: '127.0.1.1', port: 25 })),
    egress: singleSourceEgress({ name: 'mta1', sourceIp: '127.0.0.2', heloName: 'mta1.mailbench.test' }),
    shaping: loadShapingConfig({
      builtInProviders: false,
      default: { maxMessageRate: null, maxConnectionRate: null, ...shaping },
    }),
    onRecord: (record) => records.push(record),
    ...extra,
  });
  return { engine, scheduler, transport, records };
}

export function injectMany(harness: EngineHarness, count: number, recipientsPerMessage = 1): string[] {
  const recipients: string[] = [];
  for (let message = 0; message < count; message++) {
    const envelope = Array.from({ length: recipientsPerMessage }, (_, index) => `user${message}-${index}@example.test`);
    recipients.push(...envelope);
    harness.engine.inject({
      mailFrom: 'bounces@news.mailbench.test',
      recipients: envelope,
      data: 'Subject: hi\r\n\r\nhello\r\n',
    });
  }
  return recipients;
}
