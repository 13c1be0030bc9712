/**
 * Auth in stacks (reference atmos-auth.md §2.8): the global `auth:` of `atmos.yaml` merged with
 * a component's merged stack `auth:` (stack globals → `terraform.auth` → bases → component →
 * overrides).
 *
 * 1. The global section is copied, never changed.
 * 2. Component identities that are only `{default: true|false}` are markers: they name a global
 *    identity (exact, then case-insensitive, kept under the global spelling); an unknown
 *    `default: false` marker is dropped; an unknown `default: true` marker is an error.
 * 3. When the component marks any identity `default: true`, the global defaults are cleared
 *    first, so the component's default wins (and there is never more than one by accident).
 * 4. Deep merge, component wins.
 *
 * Defaults never leak across stacks: each (component, stack) is merged on its own.
 *
 * @module
 */
import type { AuthConfig } from "../config/types.ts";
import { findIdentityName } from "../config/types.ts";
import { deepMerge, isSection, type Section } from "./merge.ts";

/** Builds an error located at a path below the component's `auth` section. */
export type AuthIssue = (path: (string | number)[], message: string, hint?: string) => Error;

/** Merges the global auth with a component's stack auth. */
export function mergeComponentAuth(
  global: AuthConfig | undefined,
  component: Section,
  issue: AuthIssue,
): AuthConfig {
  const base = copyGlobal(global ?? {});
  if (Object.keys(component).length === 0) return base;
  const normalized = normalizeMarkers(base, component, issue);
  if (hasDefault(normalized)) {
    for (const [name, identity] of Object.entries(base.identities ?? {})) {
      if (identity?.default) base.identities![name] = { ...identity, default: false };
    }
  }
  return deepMerge(base, normalized) as AuthConfig;
}

function copyGlobal(global: AuthConfig): AuthConfig {
  const copy: AuthConfig = { ...global };
  if (global.identities) copy.identities = { ...global.identities };
  if (global.providers) copy.providers = { ...global.providers };
  return copy;
}

function normalizeMarkers(global: AuthConfig, component: Section, issue: AuthIssue): Section {
  const identities = component.identities;
  if (!isSection(identities)) return component;
  const out: Section = {};
  for (const [name, raw] of Object.entries(identities)) {
    if (!isMarker(raw)) {
      out[name] = raw;
      continue;
    }
    const known = findIdentityName(global, name);
    if (known) out[known] = raw;
    else if (raw.default === true) {
      throw issue(
        ["identities", name, "default"],
        `component default identity "${name}" is not defined in atmos.yaml auth.identities`,
        "define the identity in atmos.yaml, or name an existing one",
      );
    }
  }
  return { ...component, identities: out };
}

function isMarker(value: unknown): value is { default: boolean } {
  return isSection(value) && Object.keys(value).length === 1 && typeof value.default === "boolean";
}

function hasDefault(component: Section): boolean {
  const identities = component.identities;
  if (!isSection(identities)) return false;
  return Object.values(identities).some((identity) =>
    isSection(identity) && identity.default === true
  );
}

const SECRET_KEY = /secret|access_key|token|password/i;

/**
 * A copy of an auth section with inline identity credentials (`access_key_id`,
 * `secret_access_key`, `session_token`, passwords) shown as `[redacted]`, for printing.
 */
export function redactAuth(auth: unknown): unknown {
  if (!isSection(auth) || !isSection(auth.identities)) return auth;
  const identities: Section = {};
  for (const [name, identity] of Object.entries(auth.identities)) {
    if (!isSection(identity) || !isSection(identity.credentials)) {
      identities[name] = identity;
      continue;
    }
    const credentials: Section = {};
    for (const [key, value] of Object.entries(identity.credentials)) {
      credentials[key] = SECRET_KEY.test(key) && value ? "[redacted]" : value;
    }
    identities[name] = { ...identity, credentials };
  }
  return { ...auth, identities };
}
