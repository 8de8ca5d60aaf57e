/** Plain-text tables for the terminal, and the same rows as Markdown for the README. */
export type Cell = string | number | boolean | null | undefined;

export function fmt(v: Cell, digits = 1): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toFixed(Math.abs(v) >= 100 ? 0 : digits);
}

export function table(title: string, head: string[], rows: Cell[][]): string {
  const cells = rows.map((r) => r.map((c) => fmt(c)));
  // A short row leaves its last columns blank; a cell past the head is not padded.
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [`\n${title}`, line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join(
    '\n',
  );
}

export function markdown(head: string[], rows: Cell[][]): string {
  const r = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    r(head),
    r(head.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map((row) => r(row.map((c) => fmt(c)))),
  ].join('\n');
}
