/**
 * Stock Postfix against our tuned Postfix, on eu-isp-throughput over real SMTP on loopback
 * (mailbench starts a private Postfix instance for each run; the system's is never touched).
 * The scenario runs at 5 % of its volume, with its run clock four times faster than the
 * library's (a simulated hour in half a second), so the two runs take about a minute together.
 */
import { describe, expect, test } from 'vitest';
import { defineScenario, postfix, metricValue, run, SCENARIO_LIBRARY } from 'mailbench';
import { EU_ISP_TUNING } from '../tuning.ts';

const library = SCENARIO_LIBRARY['eu-isp-throughput'];
if (library === undefined) throw new Error('mailbench has no eu-isp-throughput scenario');
const euIsps = defineScenario({ ...library, limits: { ...library.limits, realSecondsPerSimulatedHour: 0.5 } });
const RUN = { mode: 'wire', seed: '1', scale: 0.05 } as const;

describe('Postfix tuned for the European ISPs', () => {
  test('meets fewer "too many connections" deferrals at GMX/Web.de than stock Postfix', async () => {
    const stock = await run(euIsps, { ...RUN, engine: postfix() });
    const tuned = await run(euIsps, { ...RUN, engine: postfix({ mainCf: EU_ISP_TUNING }) });

    expect(stock.engine.name).toBe('postfix');
    expect(tuned.figures.messages.inFlight).toBe(0);
    // Fewer connections refused means fewer deferrals and fewer attempts for the same mail.
    expect(metricValue(tuned, 'deferralRate', 'gmx-webde')).toBeLessThan(
      metricValue(stock, 'deferralRate', 'gmx-webde') * 0.8,
    );
    expect(metricValue(tuned, 'attempts')).toBeLessThan(metricValue(stock, 'attempts'));
  });
});
