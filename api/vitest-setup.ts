/** A vitest `setupFiles` entry: installs the mailbench matchers before every test file. */
import { installMailbenchMatchers } from './vitest.ts';

installMailbenchMatchers();
