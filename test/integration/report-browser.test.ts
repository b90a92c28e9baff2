/**
 * The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core.
 * A small fixed-seed run's page must draw every chart (a uPlot canvas of non-zero size with
 * many painted pixels in several colours), log no console error, and make no request beyond
 * loading its own file. A screenshot goes to test-artifacts/report.png (git-ignored) for a
 * human to look at. Chromium missing is a failure, not a skip: CI installs it (.ci/run).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { renderHtml } from '../../reports/html.ts';
import { chartSpecs } from '../../reports/html/chart-specs.ts';
import type { ReportV1 } from '../../reports/schema.ts';
import { loadUplotAssets } from '../../reports/uplot-assets.ts';
import { smallRunReport } from '../unit/reports/_support/small-run.ts';

const CHROMIUM = '/usr/bin/chromium';
// As root in a closed network: no sandbox, and nothing that phones home at start.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'mailbench-report-browser-'));
let browser: BrowserContext | undefined;
let report: ReportV1;

beforeAll(async () => {
  report = await smallRunReport();
  // A new, empty profile (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 900 },
  });
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The few DOM members the page function reads. The project compiles without the DOM library
 * (it is Node code), so the function that runs in the page names what it uses.
 */
interface PageGlobals {
  readonly document: { querySelectorAll(selector: string): Iterable<PageElement> };
}
interface PageElement {
  readonly id: string;
  querySelector(selector: 'canvas'): PageCanvas | null;
}
interface PageCanvas {
  readonly width: number;
  readonly height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, width: number, height: number): { readonly data: ArrayLike<number> } } | null;
}

interface CanvasReading {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly painted: number;
  readonly colours: number;
  /** Pixels in one of the chart's own series colours: the data lines were drawn, not only axes. */
  readonly seriesPixels: number;
}

test('every chart draws, with no console error and no request beyond the file itself', async () => {
  // Arrange
  const file = join(dir, 'report.html');
  writeFileSync(file, renderHtml(report, loadUplotAssets()));
  if (browser === undefined) throw new Error(`Chromium did not start from ${CHROMIUM}`);
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  // Act
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const seriesColours = Object.fromEntries(
    chartSpecs(report).map((spec) => [spec.id, spec.series.map((series) => series.color)]),
  );
  const readings = await page.evaluate(
    (coloursById: Record<string, string[]>): CanvasReading[] =>
      [...(globalThis as unknown as PageGlobals).document.querySelectorAll('div.chart')].map((host) => {
        const canvas = host.querySelector('canvas');
        if (canvas === null) return { id: host.id, width: 0, height: 0, painted: 0, colours: 0, seriesPixels: 0 };
        const targets = (coloursById[host.id] ?? []).map((hex) =>
          [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)),
        );
        let seriesPixels = 0;
        const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        let painted = 0;
        const colours = new Set<number>();
        for (let index = 0; index < pixels.length; index += 4) {
          if ((pixels[index + 3] ?? 0) === 0) continue;
          painted++;
          const [red, green, blue] = [pixels[index] ?? 0, pixels[index + 1] ?? 0, pixels[index + 2] ?? 0];
          colours.add(((red >> 4) << 8) | ((green >> 4) << 4) | (blue >> 4));
          if (
            targets.some(
              (target) =>
                Math.abs(red - (target[0] ?? 0)) +
                  Math.abs(green - (target[1] ?? 0)) +
                  Math.abs(blue - (target[2] ?? 0)) <
                24,
            )
          )
            seriesPixels++;
        }
        return {
          id: host.id,
          width: canvas.width,
          height: canvas.height,
          painted,
          colours: colours.size,
          seriesPixels,
        };
      }),
    seriesColours,
  );
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  await page.close();
  // Assert
  expect(errors).toEqual([]);
  expect(requests).toEqual([pathToFileURL(file).href]);
  expect(readings.map((reading) => reading.id)).toEqual(chartSpecs(report).map((spec) => spec.id));
  for (const reading of readings) {
    expect(reading.width, reading.id).toBeGreaterThan(300);
    expect(reading.height, reading.id).toBeGreaterThan(100);
    // Axes, grid, labels and at least one series line: thousands of pixels in several colours.
    expect(reading.painted, reading.id).toBeGreaterThan(2_000);
    expect(reading.colours, reading.id).toBeGreaterThan(3);
    expect(reading.seriesPixels, reading.id).toBeGreaterThan(20);
  }
});
