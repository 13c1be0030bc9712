/**
 * `atmos auth list`: providers and identities with their chains, defaults and cached expiry.
 * Inline credentials are always shown as `[redacted]`.
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import type { AuthManager } from "../../auth/manager.ts";
import type { IdentityConfig } from "../../config/types.ts";
import { formatDuration, renderTable, renderTree, toJson, type TreeNode } from "../output.ts";
import { type AuthView, filterAuth, LIST_FILTER_FLAGS } from "./auth_list_filter.ts";

/** Output formats of `auth list`. */
export const LIST_FORMATS = ["table", "tree", "json"];

/** Builds the `auth list` command. */
export function authListCommand(rt: Runtime): CommandSpec {
  return {
    name: "list",
    summary: "List providers and identities",
    flags: [{
      name: "format",
      short: "f",
      type: "string",
      description: "output format",
      choices: LIST_FORMATS,
      default: "table",
    }, ...LIST_FILTER_FLAGS],
    async run(inv) {
      const manager = await rt.manager();
      manager.assertValid();
      const format = String(inv.flags.format ?? "table");
      const view = filterAuth(manager.auth, inv);
      const status = cacheStatus(manager);
      if (format === "json") {
        rt.out(toJson(redacted(view)));
      } else if (format === "tree") {
        rt.out(renderTree(tree(view, status)));
      } else {
        rt.out(table(view, status));
      }
      return 0;
    },
  };
}

function cacheStatus(manager: AuthManager): Map<string, string> {
  const status = new Map<string, string>();
  for (const name of manager.identityNames()) {
    let session;
    try {
      session = manager.cachedSession(name);
    } catch {
      session = undefined;
    }
    if (session?.source === "cache" && session.expiration) {
      status.set(name, formatDuration(session.expiration.getTime() - Date.now()));
    }
  }
  return status;
}

function via(config: IdentityConfig): string {
  if (config.via?.provider) return `provider ${config.via.provider}`;
  if (config.via?.identity) return `identity ${config.via.identity}`;
  return "standalone";
}

function table(manager: AuthView, status: Map<string, string>): string {
  const providers = Object.entries(manager.auth.providers ?? {}).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  let out = "";
  if (providers.length > 0) {
    out += renderTable(
      ["PROVIDER", "KIND", "REGION"],
      providers.map(([name, p]) => [name, p.kind, p.region ?? ""]),
    ) + "\n";
  }
  const identities = manager.identityNames().map((name) => {
    const config = manager.auth.identities![name];
    return [name, config.kind, via(config), config.default ? "yes" : "", status.get(name) ?? ""];
  });
  out += renderTable(["IDENTITY", "KIND", "VIA", "DEFAULT", "CACHED"], identities);
  return out;
}

function tree(manager: AuthView, status: Map<string, string>): TreeNode {
  const identities = manager.auth.identities ?? {};
  const label = (name: string) => {
    const c = identities[name];
    const flags = [c.default ? "[DEFAULT]" : "", status.get(name) ?? ""].filter(Boolean).join(" ");
    return `${name} (${c.kind})${flags ? " " + flags : ""}`;
  };
  const childrenOf = (parent: { provider?: string; identity?: string }): TreeNode[] =>
    Object.keys(identities).sort()
      .filter((n) =>
        parent.provider !== undefined
          ? identities[n].via?.provider === parent.provider
          : identities[n].via?.identity === parent.identity
      )
      .map((n) => ({ label: label(n), children: childrenOf({ identity: n }) }));
  const providers = Object.keys(manager.auth.providers ?? {}).sort().map((p) => ({
    label: `${p} (${manager.auth.providers![p].kind})`,
    children: childrenOf({ provider: p }),
  }));
  const standalone = Object.keys(identities).sort()
    .filter((n) => !identities[n].via?.provider && !identities[n].via?.identity)
    .map((n) => ({ label: label(n), children: childrenOf({ identity: n }) }));
  const children = [...providers];
  if (standalone.length > 0) {
    children.push({ label: "Standalone identities", children: standalone });
  }
  return { label: "Authentication configuration", children };
}

function redacted(manager: AuthView): unknown {
  const identities: Record<string, unknown> = {};
  for (const [name, config] of Object.entries(manager.auth.identities ?? {})) {
    const copy: Record<string, unknown> = { ...config };
    if (config.credentials) {
      copy.credentials = Object.fromEntries(
        Object.entries(config.credentials).map(([k, v]) => [
          k,
          /secret|access_key|token|password/i.test(k) && v ? "[redacted]" : v,
        ]),
      );
    }
    identities[name] = copy;
  }
  return { providers: manager.auth.providers ?? {}, identities };
}
