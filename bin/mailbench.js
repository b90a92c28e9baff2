#!/usr/bin/env node
// The `mailbench` command. The project is TypeScript run by tsx, so the bin registers tsx's
// ESM loader and then hands over to the CLI entry point.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
