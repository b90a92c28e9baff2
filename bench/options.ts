/**
 * `npm run bench` options: the command line → a resolved set where every field is present.
 * Every problem is listed at once, naming the option.
 */

export const PHASES = ['fleet', 'engine', 'postfix', 'injection', 'injection-latency', 'sim', 'warmup'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * What the run does: measure once and print (`measure`); judge the figures against the stored
 * baseline (`gate`, `--gate`) or against another commit measured in the same run (`against`,
 * `--against REF`), sampling until each is decided; or measure this tree against itself to learn
 * the machine's spread and propose tolerances (`calibrate`); or record the stored baseline on
 * this machine (`record`, `--record-baseline`: medians of `--rounds`, 5 by default).
 */
export type BenchMode = 'measure' | 'gate' | 'against' | 'calibrate' | 'record';

export interface BenchOptions {
  readonly mode: BenchMode;
  /** `--against`: the git ref the head is measured against. */
  readonly against: string | undefined;
  /** `--engine`: a built-in MTA's name or a module's path, measured instead of the reference engine. */
  readonly engine: string | undefined;
  /** The relative change that matters, for every figure unless `tolerances` names it. */
  readonly tolerance: number;
  readonly tolerances: Readonly<Record<string, number>>;
  readonly confidence: number;
  readonly warmupRounds: number;
  readonly minRounds: number;
  readonly maxRounds: number;
  /** Sampling stops starting rounds past this; then undecided figures are inconclusive. */
  readonly budgetSeconds: number;
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

/** The phases a gate measures when `--only` does not say: the gated figures' (figures.ts). */
export const GATE_PHASES: Readonly<Record<Exclude<BenchMode, 'measure'>, readonly Phase[]>> = {
  gate: ['fleet', 'engine', 'postfix', 'sim'],
  against: ['fleet', 'engine', 'sim'],
  calibrate: ['fleet', 'engine', 'sim'],
  record: ['fleet', 'engine', 'postfix', 'sim'],
};

export const DEFAULT_OPTIONS: BenchOptions = {
  mode: 'measure',
  against: undefined,
  engine: undefined,
  tolerance: 0.1,
  tolerances: {},
  confidence: 0.95,
  warmupRounds: 1,
  minRounds: 6,
  maxRounds: 30,
  budgetSeconds: 420,
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

export const USAGE = `usage: npm run bench -- [--json] [--md [FILE|-]] [--out FILE]
  [--gate [--baseline FILE] | --against GIT-REF | --calibrate [--rounds N] | --record-baseline [--rounds N]]
  [--engine NAME|./module.ts]
  [--tolerance X | --tolerance FIGURE=X]… [--confidence X] [--budget SECONDS]
  [--warmup-rounds N] [--min-rounds N] [--max-rounds N]
  [--only ${PHASES.join(',')}] [--messages N] [--fleet-messages N] [--sink-messages N] [--sessions N]
  [--fleet-receivers N] [--injection-seconds S] [--injection-connections N] [--injection-batch N] [--latency-batch N]
  [--sim-scenario NAME] [--warmup-scenario NAME] [--warmup-scale X (0 < X ≤ 1)]`;

type Mutable = { -readonly [K in keyof BenchOptions]: BenchOptions[K] };
type RoundOption = 'warmupRounds' | 'minRounds' | 'maxRounds';
const ROUND_FLAGS: Readonly<Record<string, RoundOption>> = {
  '--warmup-rounds': 'warmupRounds',
  '--min-rounds': 'minRounds',
  '--max-rounds': 'maxRounds',
};

/** `--tolerance 0.15` or `--tolerance engine.deliveredPerSecond=0.2`. */
function readTolerance(options: Mutable, value: string | undefined, issues: string[]): void {
  const [name, text] = value?.includes('=') === true ? value.split('=', 2) : [undefined, value];
  const number = Number(text);
  if (text === undefined || text === '' || !(number > 0 && number < 1)) {
    issues.push(
      `--tolerance: a relative change above 0 and below 1 is expected, alone or as FIGURE=X (got ${JSON.stringify(value ?? '')})`,
    );
    return;
  }
  if (name === undefined) options.tolerance = number;
  else options.tolerances = { ...options.tolerances, [name]: number };
}

/** One flag and its value; returns how many arguments it took (0 for an unknown flag). */
function readFlag(
  options: Mutable,
  flag: string,
  value: string | undefined,
  issues: string[],
  only: { given: boolean },
): number {
  const modes: Readonly<Record<string, BenchMode>> = {
    '--gate': 'gate',
    '--calibrate': 'calibrate',
    '--record-baseline': 'record',
  };
  if (flag === '--json') options.json = true;
  else if (Object.hasOwn(modes, flag)) setMode(options, modes[flag] as BenchMode, flag, issues);
  else if (flag === '--against') {
    setMode(options, 'against', flag, issues);
    if (value === undefined || value.startsWith('--'))
      issues.push('--against: a git ref is expected (a branch, a tag, a commit)');
    else options.against = value;
    return 2;
  } else if (flag === '--md') {
    const hasValue = value !== undefined && (value === '-' || !value.startsWith('--'));
    options.markdown = hasValue ? value : '-';
    return hasValue ? 2 : 1;
  } else if (flag === '--only') {
    const names = (value ?? '').split(',').filter((name) => name !== '');
    const unknown = names.filter((name) => !(PHASES as readonly string[]).includes(name));
    if (names.length === 0 || unknown.length > 0)
      issues.push(`--only: phases are ${PHASES.join(', ')} (got ${JSON.stringify(value ?? '')})`);
    else options.phases = names as Phase[];
    only.given = true;
    return 2;
  } else if (flag === '--tolerance') {
    readTolerance(options, value, issues);
    return 2;
  } else if (flag === '--confidence') {
    const number = Number(value);
    if (!(number >= 0.5 && number < 1))
      issues.push(`--confidence: at least 0.5 and below 1 is expected (got ${JSON.stringify(value ?? '')})`);
    else options.confidence = number;
    return 2;
  } else if (flag === '--budget') {
    const number = Number(value);
    if (!(number > 0)) issues.push(`--budget: seconds above 0 are expected (got ${JSON.stringify(value ?? '')})`);
    else options.budgetSeconds = number;
    return 2;
  } else if (flag === '--rounds' || Object.hasOwn(ROUND_FLAGS, flag)) {
    const number = Number(value);
    const least = flag === '--warmup-rounds' ? 0 : 1;
    if (!(Number.isInteger(number) && number >= least))
      issues.push(`${flag}: a whole number ≥ ${least} is expected (got ${JSON.stringify(value ?? '')})`);
    else if (flag === '--rounds') options.minRounds = options.maxRounds = number;
    else options[ROUND_FLAGS[flag] as RoundOption] = number;
    return 2;
  } else if (flag === '--engine') {
    if (value === undefined || value.startsWith('--'))
      issues.push('--engine: a built-in MTA name or a module path is expected');
    else options.engine = value;
    return 2;
  } else return readSizeFlag(options, flag, value, issues);
  return 1;
}

function setMode(options: Mutable, mode: BenchMode, flag: string, issues: string[]): void {
  if (options.mode !== 'measure' && options.mode !== mode)
    issues.push(
      `${flag}: one of --gate, --against, --calibrate and --record-baseline at a time (already ${options.mode})`,
    );
  else options.mode = mode;
}

function readSizeFlag(options: Mutable, flag: string, value: string | undefined, issues: string[]): number {
  if (Object.hasOwn(NUMBER_FLAGS, flag)) {
    const name = NUMBER_FLAGS[flag] as NumberOption;
    const number = Number(value);
    const valid = name === 'warmupScale' ? number > 0 && number <= 1 : Number.isInteger(number) && number >= 1;
    if (value === undefined || !valid)
      issues.push(
        `${flag}: ${name === 'warmupScale' ? 'more than 0 and at most 1' : 'a whole number ≥ 1'} is expected (got ${JSON.stringify(value ?? '')})`,
      );
    else options[name] = number;
    return 2;
  }
  if (Object.hasOwn(STRING_FLAGS, flag)) {
    if (value === undefined || value.startsWith('--')) issues.push(`${flag}: a value is expected`);
    else options[STRING_FLAGS[flag] as 'baseline'] = value;
    return 2;
  }
  return 0;
}

export function parseBenchArgs(
  args: readonly string[],
): { readonly options: BenchOptions } | { readonly issues: readonly string[] } {
  const options: Mutable = { ...DEFAULT_OPTIONS };
  const issues: string[] = [];
  const only = { given: false };
  for (let index = 0; index < args.length;) {
    const flag = args[index] ?? '';
    const taken = readFlag(options, flag, args[index + 1], issues, only);
    if (taken === 0) {
      issues.push(`unknown option ${JSON.stringify(flag)}`);
      index++;
    } else index += taken;
  }
  if (options.mode !== 'measure' && !only.given)
    options.phases =
      options.engine !== undefined && options.mode === 'against' ? ['engine'] : GATE_PHASES[options.mode];
  const defaultRounds = { calibrate: 10, record: 5 } as const;
  if ((options.mode === 'calibrate' || options.mode === 'record') && !args.includes('--rounds'))
    options.minRounds = options.maxRounds = defaultRounds[options.mode];
  if (options.minRounds > options.maxRounds)
    issues.push(`--min-rounds: at most --max-rounds (${options.minRounds} > ${options.maxRounds})`);
  if (options.sessions < options.fleetReceivers)
    issues.push(
      `--sessions: at least one session per receiver is needed (${options.sessions} < --fleet-receivers ${options.fleetReceivers})`,
    );
  return issues.length > 0 ? { issues } : { options };
}

/** What the caller must fix (a baseline from elsewhere, a ref that does not exist): exit 2, not a failed measurement. */
export class BenchInputError extends Error {
  override readonly name = 'BenchInputError';
}
