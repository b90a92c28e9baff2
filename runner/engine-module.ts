/**
 * `mailbench run <scenario> --engine ./my-engine.ts`: the sender comes from a module of the
 * user's (TypeScript or JavaScript; the bin registers tsx), so the same sender runs from a test,
 * the CLI and CI. The module exports it as `default` or as `engine`, in any form `run()` takes:
 * `reference({ policy })`, `postfix({ mainCf })`, `smtpRelay(...)`, an MtaUnderTest or a factory.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MailbenchError } from '../kernel/index.ts';
import { engineSpecOf } from './engine-spec.ts';
import type { EngineSpec } from './engine-spec.ts';
import { builtInEngine } from './engines.ts';

const MODULE_FILE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

/** `--engine` names a module (a path) rather than a built-in engine. */
export function isEngineModulePath(value: string): boolean {
  return value.startsWith('.') || value.startsWith('/') || MODULE_FILE.test(value);
}

export async function loadEngineModule(path: string): Promise<EngineSpec> {
  const file = resolve(path);
  if (!existsSync(file))
    throw new MailbenchError('E_ENGINE_MODULE', `--engine ${path}: no such file (looked for ${file})`);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new MailbenchError(
      'E_ENGINE_MODULE',
      `--engine ${path}: the module failed to load: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const engine = exports['default'] ?? exports['engine'];
  if (engine === undefined)
    throw new MailbenchError(
      'E_ENGINE_MODULE',
      `--engine ${path}: the module exports no engine as default or as "engine" (it exports: ${Object.keys(exports).join(', ') || 'nothing'})`,
      { hint: 'export default reference({ policy }) (or postfix(), smtpRelay(...), an MtaUnderTest, a factory)' },
    );
  try {
    return engineSpecOf(engine, builtInEngine);
  } catch (error) {
    throw new MailbenchError(
      'E_ENGINE_MODULE',
      `--engine ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
