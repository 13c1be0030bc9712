/**
 * The invariant between validation and authentication, checked on every configuration the
 * tests use (every e2e sandbox's `atmos.yaml` through the harness, and every fixture file):
 *
 * - when `auth validate` accepts a configuration, every identity builds a chain;
 * - when it rejects one, no command makes a network call for any identity — authenticating
 *   any of them fails with a configuration error first.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { AuthManager } from "../../lib/auth/manager.ts";
import { registry } from "../../lib/auth/registry/mod.ts";
import { loadConfig } from "../../lib/config/load.ts";
import { envOf } from "../../lib/env.ts";
import { ConfigError } from "../../lib/errors.ts";

/**
 * Checks the invariant for the configuration found from `cwd` (or `configFile`) with the
 * environment `env`. `label` names it in failures.
 */
export async function assertAuthInvariant(
  options: { cwd: string; env: Record<string, string>; configFile?: string; label: string },
): Promise<void> {
  let loaded;
  try {
    loaded = await loadConfig({
      cwd: options.cwd,
      env: envOf(options.env),
      configFiles: options.configFile ? [options.configFile] : undefined,
    });
  } catch (error) {
    if (error instanceof ConfigError) return; // nothing loads: no command gets as far as a call
    throw error;
  }
  const auth = loaded.config.auth;
  if (!auth || typeof auth !== "object") return;
  await registry.load(auth);
  const scratch = await Deno.makeTempDir({ prefix: "atmos_invariant_" });
  const manager = () =>
    new AuthManager({
      loaded,
      env: envOf(options.env),
      configDir: join(scratch, "atmos"),
      interactive: false,
      prompter: { secret: () => Promise.reject(), text: () => Promise.reject() },
      writer: () => Promise.reject(new Error("the invariant check never writes")),
      openStore: () => Promise.reject(new Error("the invariant check never opens a store")),
    });
  const names = isRecord(auth.identities) ? Object.keys(auth.identities) : [];
  try {
    let problems;
    let checked: AuthManager;
    try {
      checked = manager();
      problems = checked.validate();
    } catch (error) {
      // e.g. an invalid realm: refused before anything else.
      assert.ok(error instanceof ConfigError, `${options.label}: ${error}`);
      return;
    }
    if (problems.length === 0) {
      for (const name of names) {
        assert.doesNotThrow(
          () => checked.chain(name),
          `${options.label}: auth validate accepts it, but "${name}" builds no chain`,
        );
      }
      return;
    }
    await withNetworkForbidden(options.label, async () => {
      for (const name of names) {
        await assert.rejects(
          () => checked.session(name),
          ConfigError,
          `${options.label}: auth validate rejects it, but "${name}" got past validation`,
        );
      }
    });
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

/** Runs `fn` with `fetch` replaced by one that fails the check. */
async function withNetworkForbidden(label: string, fn: () => Promise<void>): Promise<void> {
  const original = globalThis.fetch;
  let calls = 0;
  globalThis.fetch = (() => {
    calls++;
    return Promise.reject(new Error("network forbidden in the invariant check"));
  }) as typeof fetch;
  try {
    await fn();
  } finally {
    globalThis.fetch = original;
  }
  assert.equal(calls, 0, `${label}: a rejected configuration made ${calls} network call(s)`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
