/**
 * The HTML document around the report's sections: one file with its styles, uPlot and the chart
 * data inline, and a Content-Security-Policy that forbids every fetch, so the page works offline
 * and cannot reach the network even if a report string tried to make it.
 */
import { escapeHtml } from '../format.ts';

/** uPlot's browser build and stylesheet, inlined into the page (read by uplot-assets.ts). */
export interface HtmlAssets {
  readonly uplotScript: string;
  readonly uplotCss: string;
}

/** No source but the page itself: inline scripts and styles, data: images; no fetch of any kind. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

const STYLES = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0 auto; max-width: 1160px; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: right; }
th[scope=row], td.text { text-align: left; }
thead th { background: #f6f8fa; }
td.right { background: #d9ead3; font-weight: 600; }
td.wrong { background: #f4c7c3; }
.outcome { display: inline-block; padding: .15rem .6rem; border-radius: 1rem; font-weight: 600; }
.outcome-passed { background: #d9ead3; } .outcome-failed, .outcome-errored { background: #f4c7c3; } .outcome-interrupted { background: #fce8b2; }
dl.identity { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0; }
dl.identity dt { font-weight: 600; }
figure { margin: 1rem 0 1.6rem; }
figcaption { color: #57606a; font-size: .9rem; margin-top: .3rem; }
.no-series { border: 1px dashed #d0d7de; padding: 1rem; color: #57606a; }
.strip td { width: 1.6rem; padding: .1rem; font-size: .75rem; text-align: center; }
.band-bad { background: #f4c7c3; } .band-low { background: #f9cb9c; } .band-medium { background: #fff2cc; } .band-high { background: #d9ead3; }
.snds-red { background: #e06666; } .snds-yellow { background: #ffd966; } .snds-green { background: #93c47d; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin: 0 .25rem 0 .6rem; vertical-align: -.1rem; }
details { margin: .5rem 0 1rem; }
.muted { color: #57606a; }
`;

export function htmlPage(options: {
  readonly title: string;
  readonly body: string;
  readonly assets: HtmlAssets;
  readonly chartData: unknown;
  readonly script: string;
}): string {
  // JSON inside <script> must not close the element: escape every '<' (and the two line
  // separators JavaScript once treated as newlines).
  const chartJson = JSON.stringify(options.chartData)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(options.title)}</title>
<style>${options.assets.uplotCss}</style>
<style>${STYLES}</style>
</head>
<body>
${options.body}
<script type="application/json" id="chart-data">${chartJson}</script>
<script>${inlineScript(options.assets.uplotScript)}</script>
<script>${inlineScript(options.script)}</script>
</body>
</html>
`;
}

/** A script body that cannot end its own element early. */
function inlineScript(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script');
}
