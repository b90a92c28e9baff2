/**
 * The mailbench matchers for vitest. Install them once, in a setup file or at the top of a
 * test file:
 *
 *     import { expect } from 'vitest';
 *     import { mailbenchMatchers } from 'mailbench/vitest';
 *     expect.extend(mailbenchMatchers);
 *
 * or `installMailbenchMatchers()`, or list `mailbench/vitest/setup` in vitest's `setupFiles`.
 * Importing this module also teaches TypeScript the matchers: vitest 4's `Assertion<T>`
 * extends its `Matchers<T>` interface, which is merged below.
 */
import { expect } from 'vitest';
import { mailbenchMatchers } from './matchers.ts';
import type { MailbenchMatchers } from './matchers.ts';

export { mailbenchMatchers };
export type { MailbenchMatchers };

/** `expect.extend(mailbenchMatchers)` on vitest's global `expect`, or on the one given (e.g. a test context's). */
export function installMailbenchMatchers(target: { extend(matchers: typeof mailbenchMatchers): void } = expect): void {
  target.extend(mailbenchMatchers);
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type -- the shape vitest's own Matchers declaration has
  interface Matchers<T = any> extends MailbenchMatchers<T> {}
}
