/**
 * Runnable entry for the local AWS emulator:
 * `deno run --allow-net tests/emulator/main.ts [--port N]`.
 * Prints one JSON line `{"url": …}` to stdout and serves until SIGINT/SIGTERM.
 *
 * @module
 */

import { startEmulator } from "./server.ts";

/** Reads `--port N` / `--port=N` from argv (0 when absent). */
export function parsePort(args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = arg === "--port" ? args[i + 1] : arg.startsWith("--port=") ? arg.slice(7) : null;
    if (value === null) continue;
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
      throw new Error(`--port needs a number from 0 to 65535, got '${value ?? ""}'`);
    }
    return Number(value);
  }
  return 0;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: parsePort(Deno.args) });
  console.log(JSON.stringify({ url: emulator.url, port: emulator.port }));
  const { promise, resolve } = Promise.withResolvers<void>();
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, resolve);
  await promise;
  await emulator.stop();
  Deno.exit(0);
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(`aws emulator: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
