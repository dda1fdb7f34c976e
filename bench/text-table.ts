/**
 * A plain-text table: the header, a rule of dashes, then the rows; columns two spaces apart,
 * as wide as their widest cell, left-aligned in `leftColumns` and right-aligned elsewhere.
 */
export function formatTextTable(
  header: readonly string[],
  body: readonly (readonly string[])[],
  leftColumns: readonly number[],
): string {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) =>
        leftColumns.includes(c) ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
