/**
 * The resolved shaping as a readable table, for `mailbench engine resolve <domain>`. A pure
 * function of the result, like every renderer in mailbench.
 */
import { formatDuration } from '../../../../kernel/index.ts';
import { PARAM_NAMES, PARAM_SPECS } from './params.ts';
import type { ShapingParamName, ShapingParams } from './params.ts';
import { formatRate } from './rate.ts';
import type { ResolvedShaping } from './resolve.ts';

/** One value as a shaping file would write it; `null` limits print as 'unlimited'. */
export function formatParamValue(name: ShapingParamName, value: ShapingParams[ShapingParamName]): string {
  if (value === null) return 'unlimited';
  // Rates are the only object values.
  if (typeof value === 'object') return formatRate(value);
  if (typeof value === 'number' && PARAM_SPECS[name].kind === 'duration') return formatDuration(value);
  return String(value);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function renderResolvedShaping(result: ResolvedShaping): string {
  const header = [
    `domain   ${result.domain}`,
    `site     ${result.site}`,
    `provider ${result.provider ?? '(none matched)'}`,
    `source   ${result.source ?? '(any)'}`,
  ];
  const rows = PARAM_NAMES.map((name) => {
    const from = result.setBy[name];
    return [name, formatParamValue(name, result.effective[name]), `${from.layer} ${from.name}`];
  });
  return `${header.join('\n')}\n\n${table([['parameter', 'value', 'from layer'], ...rows])}\n`;
}
