/**
 * `type: matrix` expansion: the Cartesian product of the axes (in sorted axis order, values in
 * the order written) and the names of the generated steps, which are Atmos's own
 * (`<parent>_<axis>_<value>_<hash>_…_<child>`, the hash being FNV-1a 64 of `axis\0value` in base
 * 36), so `.steps.<name>` references and summaries read the same as in Atmos.
 *
 * @module
 */

import { fnv1a64Hex } from "../fnv1a.ts";

/** One combination of axis values. */
export type MatrixRow = Record<string, string>;

/** Every combination of the axes' values. */
export function expandMatrix(axes: Record<string, readonly string[]>): MatrixRow[] {
  let rows: MatrixRow[] = [{}];
  for (const axis of Object.keys(axes).sort()) {
    rows = rows.flatMap((row) => axes[axis].map((value) => ({ ...row, [axis]: value })));
  }
  return rows;
}

/** The name of step `child` in the row `row` of matrix step `parent`. */
export function matrixStepName(parent: string, row: MatrixRow, child: string): string {
  const parts = Object.keys(row).sort().map((axis) =>
    `${sanitize(axis)}_${sanitize(row[axis])}_${fnv1a64(`${axis}\0${row[axis]}`)}`
  );
  return [parent, ...parts, child].join("_");
}

/** Letters and digits kept, anything else `_`, outer `_` trimmed; `empty` when nothing is left. */
function sanitize(value: string): string {
  let out = "";
  for (const char of value.trim()) out += /^[A-Za-z0-9]$/.test(char) ? char : "_";
  out = out.replace(/^_+|_+$/g, "");
  return out === "" ? "empty" : out;
}

/** FNV-1a 64 of the UTF-8 bytes of `text`, in base 36 (Go's `strconv.FormatUint(h, 36)`). */
export function fnv1a64(text: string): string {
  return BigInt(`0x${fnv1a64Hex(text)}`).toString(36);
}
