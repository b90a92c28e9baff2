/** The reference engine's version: the package's, since the engine ships with the bench. */
import { readFileSync } from 'node:fs';

export const REFERENCE_ENGINE_VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
