/** Rows of text as aligned columns, two spaces apart (the bench's tables for people). */
export function alignColumns<Key extends string>(
  keys: readonly Key[],
  rows: readonly Readonly<Record<Key, string>>[],
): string[] {
  const widths = keys.map((key) => Math.max(...rows.map((row) => row[key].length)));
  return rows.map((row) =>
    keys
      .map((key, index) => row[key].padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
