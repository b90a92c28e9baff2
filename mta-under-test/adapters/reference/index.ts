/**
 * The `reference` MTA adapters: the reference engine in this process (`referenceInProcess`) or
 * as its own service process (`referenceChildProcess`), both behind MtaUnderTest.
 */
export { referenceInProcess } from './reference-in-process.ts';
export type { ReferenceInProcessOptions } from './reference-in-process.ts';
export { referenceChildProcess } from './reference-child-process.ts';
export type { ReferenceChildProcessOptions } from './reference-child-process.ts';
export { feedReportIntake } from './report-feed.ts';
export type { ReportFeed, ReportFeedOptions } from './report-feed.ts';
