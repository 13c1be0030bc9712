/**
 * Plain-text output helpers: tables, trees, JSON, shell quoting, durations, colour decision.
 * YAML output is deliberately absent so that commands do not load the YAML library to print.
 *
 * @module
 */

/** One node of a tree printed by {@linkcode renderTree}. */
export interface TreeNode {
  label: string;
  children?: TreeNode[];
}

/**
 * Renders rows under headers as left-aligned columns separated by two spaces; trailing spaces
 * are trimmed. ANSI colour escapes do not count towards the width. Ends with a newline.
 */
export function renderTable(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const columns = Math.max(...all.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) {
    widths.push(Math.max(...all.map((r) => visibleWidth(r[c] ?? ""))));
  }
  const lines = all.map((row) =>
    widths.map((w, c) => {
      const cell = row[c] ?? "";
      return cell + " ".repeat(w - visibleWidth(cell));
    }).join("  ").trimEnd()
  );
  return lines.join("\n") + "\n";
}

/**
 * Renders a tree with box drawing like `atmos auth list`: the root label on the first line,
 * children prefixed `├──`/`└──`, continuation columns `│  `. Ends with a newline.
 */
export function renderTree(node: TreeNode): string {
  const lines = [node.label];
  appendChildren(lines, node.children ?? [], "");
  return lines.join("\n") + "\n";
}

function appendChildren(lines: string[], children: TreeNode[], prefix: string): void {
  children.forEach((child, index) => {
    const last = index === children.length - 1;
    lines.push(`${prefix}${last ? "└──" : "├──"}${child.label}`);
    appendChildren(lines, child.children ?? [], prefix + (last ? "   " : "│  "));
  });
}

/** JSON with 2-space indentation and a trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes a value for POSIX shells: unchanged when safe, else single-quoted. */
export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value)) return value;
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/**
 * A remaining lifetime as Atmos prints it: `1h 0m`, `5m 3s`, `42s`, or `expired` when zero or
 * negative.
 */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  if (total <= 0) return "expired";
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

/**
 * Whether to colour output: never when `NO_COLOR` is set to a non-empty value, else only when
 * the stream is a terminal.
 */
export function useColor(env: Record<string, string | undefined>, isTerminal: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTerminal;
}

/** Text length ignoring ANSI escape sequences, counted in code points. */
export function visibleWidth(text: string): number {
  // deno-lint-ignore no-control-regex
  return [...text.replace(/\x1b\[[0-9;]*m/g, "")].length;
}
