/**
 * The bench's human table and its Markdown summary (for a CI step summary), both pure
 * functions of the saved JSON, so a saved run renders again.
 */
import { alignColumns } from './columns.ts';
import type { BenchReport } from './report.ts';

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly reference: string;
  readonly ratio: string;
}

const integer = (value: number): string => Math.round(value).toLocaleString('en-US');
const seconds = (value: number): string => `${value.toFixed(2)} s`;
const ratio = (value: number | undefined, goal: number): string =>
  value === undefined ? '' : `${value.toFixed(3)} (goal ≥ ${goal})`;

function rows(report: BenchReport): Row[] {
  const result: Row[] = [];
  const { fleet, engineEndToEnd, injection, injectionLatency, sim } = report;
  if (fleet !== undefined) {
    result.push({
      figure: `fleet accept (smtp-source, ${fleet.sessions} sessions, ${fleet.messageBytes} B, ${fleet.fleet.receivers.join(', ')})`,
      value: `${integer(fleet.fleet.acceptedPerSecond)} msg/s`,
      reference: `smtp-sink ${integer(fleet.smtpSink.acceptedPerSecond)} msg/s`,
      ratio: ratio(report.ratios.fleetVsSmtpSink, report.goals.fleetVsSmtpSink),
    });
  }
  const engine = engineEndToEnd?.engine;
  const postfix = engineEndToEnd?.postfix;
  if (engine !== undefined || postfix !== undefined) {
    result.push({
      figure: `${engine?.mta === undefined ? 'engine' : `${engine.mta} ${engine.version ?? ''}`.trim()} end to end (${engine?.messages ?? postfix?.messages} msgs, durable enqueue)`,
      value: engine === undefined ? '' : `${integer(engine.deliveredPerSecond)} delivered/s`,
      reference:
        postfix === undefined ? '' : `Postfix ${postfix.version} ${integer(postfix.deliveredPerSecond)} delivered/s`,
      ratio: ratio(report.ratios.engineVsPostfix, report.goals.engineVsPostfix),
    });
  }
  if (injectionLatency !== undefined) {
    result.push({
      figure: `small injections while ${integer(injectionLatency.batch)}-message batches are accepted (${injectionLatency.connections} conns)`,
      value: `p99 ${injectionLatency.smallDuringBatchP99Ms} ms`,
      reference: `alone p99 ${injectionLatency.smallAloneP99Ms} ms; ${injectionLatency.batchesAccepted} batches, ${integer(injectionLatency.batchMeanMs)} ms each`,
      ratio: '',
    });
  }
  if (injection !== undefined)
    result.push({
      figure: `injection API (autocannon, ${injection.connections} conns, batches of ${injection.batch})`,
      value: `${integer(injection.acceptedPerSecond)} accepted/s`,
      reference: `p99 ${injection.latencyMsP99} ms, ${injection.fsyncs} fsyncs`,
      ratio: '',
    });
  if (sim?.rate !== undefined)
    result.push({
      figure: `sim ${sim.rate.scenario}`,
      value: `${integer(sim.rate.simulatedPerSecond)} simulated deliveries/s`,
      reference: `${integer(sim.rate.attemptsPerSecond)} attempts/s, ${integer(sim.rate.delivered)} in ${seconds(sim.rate.wallSeconds)}`,
      ratio: '',
    });
  const warmup = sim?.warmup30d;
  if (warmup?.status === 'measured') {
    result.push({
      figure: `sim ${warmup.scenario} at scale ${warmup.scale}`,
      value: `${seconds(warmup.wallSeconds)} for ${integer(warmup.messages)} msgs (measured)`,
      reference: `projected full scale: ${seconds(warmup.projectedFullScaleSeconds)} for ${integer(warmup.projectedFullScaleMessages)} msgs (goal < ${report.goals.warmup30dSecondsAtFullScale} s)`,
      ratio: '',
    });
  } else if (warmup?.status === 'missing')
    result.push({ figure: `sim ${warmup.scenario}`, value: 'not measured', reference: warmup.reason, ratio: '' });
  const memory = Object.entries(report.peakRssMb)
    .map(([phase, mb]) => `${phase} ${integer(mb)}`)
    .join(', ');
  if (memory !== '') result.push({ figure: 'peak RSS per phase (MB)', value: memory, reference: '', ratio: '' });
  return result;
}

function machineLine(report: BenchReport): string {
  const { machine } = report;
  return `${machine.cpus} CPUs (${machine.cpuModel}), load ${machine.loadAverageStart.map((load) => load.toFixed(2)).join(' ')} → ${machine.loadAverageEnd.map((load) => load.toFixed(2)).join(' ')}, Node ${machine.node}, Postfix ${machine.postfix}, mailbench ${report.tool.version}, ${report.startedAt}, ${seconds(report.wallSeconds)}`;
}

export function renderTable(report: BenchReport): string {
  const all = rows(report);
  const header: Row = { figure: 'figure', value: 'value', reference: 'reference', ratio: 'ratio' };
  const table = alignColumns(['figure', 'value', 'reference', 'ratio'] as const, [header, ...all]);
  return [machineLine(report), '', ...table].join('\n') + '\n';
}

export function renderMarkdown(report: BenchReport): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [
    '## mailbench benchmarks',
    '',
    machineLine(report),
    '',
    '| figure | value | reference | ratio |',
    '|---|---|---|---|',
    ...rows(report).map((row) => `| ${[row.figure, row.value, row.reference, row.ratio].map(escape).join(' | ')} |`),
  ];
  return lines.join('\n') + '\n';
}
