/**
 * `npm run bench` options: the command line → a resolved set where every field is present.
 * Every problem is listed at once, naming the option.
 */

export const PHASES = ['fleet', 'engine', 'postfix', 'injection', 'injection-latency', 'sim', 'warmup'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  readonly json: boolean;
  /** Write the Markdown summary: `-` is stdout. */
  readonly markdown: string | undefined;
  readonly gate: boolean;
  readonly baseline: string;
  /** Where the JSON is written as well as printed. */
  readonly out: string;
  readonly phases: readonly Phase[];
  /** Engine vs Postfix: messages each MTA delivers. */
  readonly messages: number;
  readonly fleetMessages: number;
  readonly sinkMessages: number;
  readonly sessions: number;
  readonly fleetReceivers: number;
  readonly injectionSeconds: number;
  readonly injectionConnections: number;
  readonly injectionBatch: number;
  /** Injection latency: the large batch a second client posts while small requests are timed. */
  readonly latencyBatch: number;
  readonly simScenario: string;
  readonly warmupScenario: string;
  readonly warmupScale: number;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  json: false,
  markdown: undefined,
  gate: false,
  baseline: 'bench/baseline.json',
  out: 'out/bench/bench.json',
  phases: PHASES,
  messages: 3_000,
  fleetMessages: 8_000,
  sinkMessages: 40_000,
  sessions: 16,
  fleetReceivers: 4,
  injectionSeconds: 4,
  injectionConnections: 16,
  injectionBatch: 100,
  latencyBatch: 10_000,
  simScenario: 'smoke',
  warmupScenario: 'warmup-30d',
  warmupScale: 0.01,
};

type NumberOption =
  | 'messages'
  | 'fleetMessages'
  | 'sinkMessages'
  | 'sessions'
  | 'fleetReceivers'
  | 'injectionSeconds'
  | 'injectionConnections'
  | 'injectionBatch'
  | 'latencyBatch'
  | 'warmupScale';
const NUMBER_FLAGS: Readonly<Record<string, NumberOption>> = {
  '--messages': 'messages',
  '--fleet-messages': 'fleetMessages',
  '--sink-messages': 'sinkMessages',
  '--sessions': 'sessions',
  '--fleet-receivers': 'fleetReceivers',
  '--injection-seconds': 'injectionSeconds',
  '--injection-connections': 'injectionConnections',
  '--injection-batch': 'injectionBatch',
  '--latency-batch': 'latencyBatch',
  '--warmup-scale': 'warmupScale',
};
const STRING_FLAGS: Readonly<Record<string, 'baseline' | 'out' | 'simScenario' | 'warmupScenario'>> = {
  '--baseline': 'baseline',
  '--out': 'out',
  '--sim-scenario': 'simScenario',
  '--warmup-scenario': 'warmupScenario',
};

export const USAGE = `usage: npm run bench -- [--json] [--md [FILE|-]] [--gate] [--baseline FILE] [--out FILE]
  [--only ${PHASES.join(',')}] [--messages N] [--fleet-messages N] [--sink-messages N] [--sessions N]
  [--fleet-receivers N] [--injection-seconds S] [--injection-connections N] [--injection-batch N] [--latency-batch N]
  [--sim-scenario NAME] [--warmup-scenario NAME] [--warmup-scale X (0 < X ≤ 1)]`;

export function parseBenchArgs(
  args: readonly string[],
): { readonly options: BenchOptions } | { readonly issues: readonly string[] } {
  const options: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = { ...DEFAULT_OPTIONS };
  const issues: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const flag = args[index] ?? '';
    const value = args[index + 1];
    if (flag === '--json') options.json = true;
    else if (flag === '--gate') options.gate = true;
    else if (flag === '--md') {
      const hasValue = value !== undefined && (value === '-' || !value.startsWith('--'));
      options.markdown = hasValue ? value : '-';
      if (hasValue) index++;
    } else if (flag === '--only') {
      index++;
      const names = (value ?? '').split(',').filter((name) => name !== '');
      const unknown = names.filter((name) => !(PHASES as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0)
        issues.push(`--only: phases are ${PHASES.join(', ')} (got ${JSON.stringify(value ?? '')})`);
      else options.phases = names as Phase[];
    } else if (Object.hasOwn(NUMBER_FLAGS, flag)) {
      index++;
      const name = NUMBER_FLAGS[flag] as NumberOption;
      const number = Number(value);
      const valid = name === 'warmupScale' ? number > 0 && number <= 1 : Number.isInteger(number) && number >= 1;
      if (value === undefined || !valid)
        issues.push(
          `${flag}: ${name === 'warmupScale' ? 'more than 0 and at most 1' : 'a whole number ≥ 1'} is expected (got ${JSON.stringify(value ?? '')})`,
        );
      else options[name] = number;
    } else if (Object.hasOwn(STRING_FLAGS, flag)) {
      index++;
      if (value === undefined || value.startsWith('--')) issues.push(`${flag}: a value is expected`);
      else options[STRING_FLAGS[flag] as 'baseline'] = value;
    } else issues.push(`unknown option ${JSON.stringify(flag)}`);
  }
  if (options.sessions < options.fleetReceivers)
    issues.push(
      `--sessions: at least one session per receiver is needed (${options.sessions} < --fleet-receivers ${options.fleetReceivers})`,
    );
  return issues.length > 0 ? { issues } : { options };
}
