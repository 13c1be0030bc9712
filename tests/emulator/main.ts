/**
 * Runnable entry for the local cloud emulator:
 * `deno run --allow-net tests/emulator/main.ts [--port N]` (AWS and Google over http), or with
 * `--allow-run=openssl --allow-read --allow-write` too for the https listener (Entra ID) and its
 * test CA. Prints one JSON line `{"url", "port", "httpsUrl", "caFile", "trapUrl"}` to stdout
 * (`httpsUrl` and `caFile` empty without https) and serves until SIGINT/SIGTERM.
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

/** True when this process may make the test CA (run openssl, write and read a temp dir). */
export function canServeHttps(): boolean {
  const granted = (descriptor: Deno.PermissionDescriptor) =>
    Deno.permissions.querySync(descriptor).state === "granted";
  return granted({ name: "run", command: "openssl" }) && granted({ name: "write" }) &&
    granted({ name: "read" });
}

async function main(): Promise<void> {
  const https = canServeHttps();
  if (!https) {
    console.error(
      "emulator: https (Entra ID) is off: it needs --allow-run=openssl --allow-read --allow-write",
    );
  }
  const emulator = await startEmulator({ port: parsePort(Deno.args), https });
  console.log(JSON.stringify({
    url: emulator.url,
    port: emulator.port,
    httpsUrl: emulator.httpsUrl,
    caFile: emulator.caFile,
    trapUrl: emulator.trap.url,
  }));
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
    console.error(`emulator: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
