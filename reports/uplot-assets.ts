/**
 * Reads uPlot's browser build and stylesheet from the installed package, for the HTML
 * renderer to inline. Kept apart from the renderer so that rendering stays a pure function
 * of its inputs; this is the only file in reports/ that touches the file system.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HtmlAssets } from './html/page.ts';

let cached: HtmlAssets | undefined;

/** uPlot's IIFE build (it defines the global `uPlot`) and its CSS, read once per process. */
export function loadUplotAssets(): HtmlAssets {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  // The package's main entry is dist/uPlot.cjs.js; the browser files sit beside it.
  const dist = dirname(require.resolve('uplot'));
  cached = {
    uplotScript: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
  return cached;
}
