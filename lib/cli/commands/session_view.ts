/**
 * Human-readable session facts for `auth login` and `auth whoami`: aligned key/value rows,
 * expiry with time left, paths with `~`. Kept out of `shared.ts` so `auth exec` loads none of it.
 *
 * @module
 */
import type { Runtime } from "../runtime.ts";
import type { Session } from "../../auth/session.ts";
import type { AuthManager } from "../../auth/manager.ts";
import { formatDuration } from "../output.ts";

/** Replaces the home directory with `~` for display. */
export function tildify(path: string, env: Record<string, string>): string {
  const home = env.HOME;
  return home && path.startsWith(home + "/") ? `~${path.slice(home.length)}` : path;
}

/** Formats an expiry as `2026-08-20 18:04:05 UTC (59m 12s)`. */
export function formatExpiry(expiration: Date | undefined, now = Date.now()): string {
  if (!expiration) return "never";
  const iso = expiration.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  return `${iso} (${formatDuration(expiration.getTime() - now)})`;
}

/** Key/value rows describing a session, for aligned display. */
export function sessionRows(rt: Runtime, manager: AuthManager, session: Session): string[][] {
  const rows: string[][] = [];
  if (manager.realm) rows.push(["Realm", manager.realm]);
  rows.push(["Identity", `${session.identity} (${session.kind})`]);
  rows.push(["Provider", session.root]);
  if (session.principal) rows.push(["Principal", session.principal]);
  if (session.region) rows.push(["Region", session.region]);
  const files = Object.values(session.files);
  if (files.length > 0) {
    rows.push(["Expires", formatExpiry(session.expiration)]);
    rows.push(["Files", tildify(files[0], rt.env)]);
  }
  return rows;
}

/** Renders `[key, value]` rows as indented, aligned lines. */
export function keyValueLines(rows: string[][]): string {
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}
