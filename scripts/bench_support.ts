/**
 * What the sections of `deno task bench` share: timing a command, medians and quantiles, the
 * report table, a progress line and the load average.
 *
 * @module
 */
import { join } from "node:path";
import { ROOT } from "../tests/e2e/harness.ts";

/** argv of a script run with the project's deno.json and read access only (a baseline). */
export function readOnlyScript(script: string, ...args: string[]): string[] {
  return [
    Deno.execPath(),
    "run",
    "--config",
    join(ROOT, "deno.json"),
    "--frozen",
    "--allow-read",
    "--allow-env",
    script,
    ...args,
  ];
}

/** A command whose wall time is sampled. */
export interface Timed {
  name: string;
  argv: string[];
  cwd: string;
}

/** A failed benchmark command (the numbers would be meaningless). */
export class BenchFailed extends Error {}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

/** Runs argv to completion and returns its wall time in milliseconds. */
export async function timeOnce(cmd: Timed, env: Record<string, string>): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(cmd.argv[0], {
    args: cmd.argv.slice(1),
    cwd: cmd.cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const elapsed = performance.now() - start;
  if (!out.success) {
    const stderr = new TextDecoder().decode(out.stderr).trim();
    throw new BenchFailed(`"${cmd.name}" exited with ${out.code}: ${stderr}`);
  }
  return elapsed;
}

/** One row of the report. */
export interface Row {
  metric: string;
  measured: string;
  target: string;
  pass: boolean;
}

export function printTable(rows: Row[]): void {
  const header = { metric: "metric", measured: "measured", target: "target", result: "result" };
  const cells = rows.map((r) => ({ ...r, result: r.pass ? "PASS" : "MISS  <-- over target" }));
  const w = {
    metric: Math.max(header.metric.length, ...cells.map((c) => c.metric.length)),
    measured: Math.max(header.measured.length, ...cells.map((c) => c.measured.length)),
    target: Math.max(header.target.length, ...cells.map((c) => c.target.length)),
  };
  const line = (c: typeof header) =>
    `${c.metric.padEnd(w.metric)}  ${c.measured.padStart(w.measured)}  ${
      c.target.padEnd(w.target)
    }  ${c.result}`;
  const width = Math.max(...[header, ...cells].map((c) => line(c).length));
  console.log(line(header));
  console.log("-".repeat(width));
  for (const c of cells) console.log(line(c));
}

export function describe(name: string, samples: number[]): string {
  return `${name.padEnd(34)} median ${median(samples).toFixed(1).padStart(6)} ms  (p25 ${
    quantile(samples, 0.25).toFixed(1)
  }, p75 ${quantile(samples, 0.75).toFixed(1)}, n=${samples.length})`;
}

/** Shows a progress line on a terminal (stderr), nothing otherwise. */
export function progress(text: string): void {
  if (!Deno.stderr.isTerminal()) return;
  Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[K${text}`));
}

export async function loadAverage(): Promise<string> {
  try {
    return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}
