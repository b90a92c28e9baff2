/**
 * `--engine NAME|./module.ts`: the bench measures a sender of the user's instead of the reference
 * engine, as `mailbench run --engine` takes it (a built-in MTA's name, or a module exporting an
 * engine), through the adapter every MTA in the bench has (mta-e2e.ts). Only an MTA driven from
 * outside can be measured this way: a policy for the reference engine (`reference({ policy })`)
 * runs inside the bench's own process and has no front door to time.
 */
import { builtInEngine, isEngineModulePath, loadEngineModule } from '../runner/index.ts';
import type { EngineSpec } from '../runner/index.ts';
import { measureMtaEndToEnd } from './mta-e2e.ts';
import type { MtaEndToEnd } from './mta-e2e.ts';

export async function measureEngineUnderTest(options: {
  readonly engine: string;
  readonly messages: number;
}): Promise<MtaEndToEnd> {
  const spec: EngineSpec | undefined = isEngineModulePath(options.engine)
    ? await loadEngineModule(options.engine)
    : builtInEngine(options.engine);
  if (spec === undefined) throw new Error(`--engine ${options.engine}: no such engine or module`);
  if (typeof spec === 'string' || spec.kind !== 'mta')
    throw new Error(
      `--engine ${options.engine}: the bench measures an MTA through its front door (postfix, reference-process, smtpRelay(…), an MtaUnderTest or a factory of one); ${typeof spec === 'string' ? `"${spec}"` : 'reference({ policy })'} runs inside the bench's process and has none`,
    );
  return measureMtaEndToEnd({ messages: options.messages, create: spec.create });
}
