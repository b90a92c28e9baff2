/**
 * The `reference` MTA adapters: the reference engine in this process (`referenceInProcess`) or
 * as its own service process (`referenceChildProcess`), both behind MtaUnderTest.
 */
export { referenceChildProcess } from './reference-child-process.ts';
export type { ReferenceChildProcessOptions } from './reference-child-process.ts';
