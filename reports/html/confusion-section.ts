/**
 * The confusion matrix, receiver truth (rows) × sender class (columns), only the rows and
 * columns that met a paired attempt: the full 22 × 23 grid is mostly zeros and hides the cells
 * that matter. Right cells (the class names the cause, or `delivered` for accepted mail) are
 * shaded green, wrong non-empty cells red, so the diagonal reads at a glance.
 */
import { escapeHtml, formatInteger } from '../format.ts';
import { confusionAxes, isRightClass } from '../report-view.ts';
import type { ReportV1 } from '../schema.ts';

export function confusionSection(report: ReportV1): string {
  const { causes, classes } = confusionAxes(report);
  if (causes.length === 0) {
    return `<section aria-labelledby="confusion"><h2 id="confusion">Confusion matrix</h2><p>No paired attempts: nothing to score.</p></section>`;
  }
  const header = classes.map((cls) => `<th scope="col">${escapeHtml(cls)}</th>`).join('');
  const rows = causes.map((cause) => {
    const row = report.figures.confusion[cause];
    const cells = classes.map((cls) => {
      const count = row[cls] ?? 0;
      if (count === 0) return '<td></td>';
      const right = isRightClass(cause, cls);
      return `<td class="${right ? 'right' : 'wrong'}" title="${escapeHtml(`${cause} → ${cls}: ${right ? 'right' : 'wrong'}`)}">${formatInteger(count)}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(cause)}</th>${cells.join('')}</tr>`;
  });
  return `<section aria-labelledby="confusion">
<h2 id="confusion">Confusion matrix</h2>
<table class="confusion">
<caption>Paired attempts: receiver truth (rows) × sender class (columns); green cells are right, red cells wrong</caption>
<thead><tr><th scope="col">truth \\ class</th>${header}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}
