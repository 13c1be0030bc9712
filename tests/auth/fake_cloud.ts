/**
 * A fake cloud for the auth core's contract tests: provider and identity kinds that count their
 * calls, and a {@linkcode CredentialOutput} that keeps each link's credentials in a real 0600
 * JSON file through the writer. Nothing here knows AWS.
 */
import { join } from "node:path";
import { sealed } from "../../lib/redact.ts";
import type { CredentialSet } from "../../lib/auth/credentials.ts";
import type { IdentityKind, ProviderKind } from "../../lib/auth/kind.ts";
import type { CredentialOutput, OutputLink } from "../../lib/auth/output.ts";
import { passthroughOutput } from "../../lib/auth/passthrough_output.ts";
import { KindRegistry } from "../../lib/auth/registry/mod.ts";
import { RefusedInputError } from "../../lib/auth/refused.ts";

/** A fake credential: a secret, an expiry and who it belongs to. */
export interface FakeSet extends CredentialSet {
  readonly type: "fake";
  readonly secret: string;
  readonly principal: string;
}

/** Builds a self-redacting fake credential set. */
export function fakeSet(secret: string, expiration: Date, principal: string): FakeSet {
  return sealed({ type: "fake" as const, secret, expiration, principal }, (c) => ({
    type: c.type,
    secret: "[redacted]",
    principal: c.principal,
  }));
}

/** The fake output: `<dir>/<identity>.json` per link. */
export const fakeOutput: CredentialOutput = {
  name: "fake",
  persistent: true,
  isolates: true,
  files: (link) => ({ state: stateFile(link) }),
  async write(writer, link, creds) {
    const set = creds as FakeSet;
    const text = JSON.stringify({
      secret: set.secret,
      principal: set.principal,
      expiration: set.expiration?.toISOString(),
    });
    await writer.writeAtomic(stateFile(link), text, 0o600);
  },
  readCached(link) {
    try {
      const data = JSON.parse(Deno.readTextFileSync(stateFile(link)));
      return fakeSet(data.secret, new Date(data.expiration), data.principal);
    } catch {
      return undefined;
    }
  },
  async remove(link, writer) {
    const path = stateFile(link);
    const exists = await Deno.lstat(path).then(() => true, () => false);
    if (!exists) return [];
    if (writer) await writer.remove(path);
    return [path];
  },
  env: (link) => ({
    set: { FAKE_FILE: stateFile(link), FAKE_PROFILE: link.identity },
    unset: ["FAKE_TOKEN"],
  }),
  secretsIn: (config) => {
    const secret = config.credentials?.secret;
    return typeof secret === "string" ? [secret] : [];
  },
};

function stateFile(link: OutputLink): string {
  return join(link.dir, `${link.identity}.json`);
}

/** Calls made to the fake kinds, by link name. */
export class Calls {
  readonly log: string[] = [];
  /** Secrets the fake cloud no longer accepts as a link's input (revoked). */
  readonly refused = new Set<string>();
  count(name?: string): number {
    return name === undefined ? this.log.length : this.log.filter((n) => n === name).length;
  }
}

/**
 * A registry of fake kinds:
 * - `fake/idp` (provider) and `fake/ambient-idp` (an ambient provider) give a token set;
 * - `fake/role` needs `principal.role`, lives `principal.minutes` (default 60) minutes, and
 *   refuses input whose secret is in `calls.refused`;
 * - `fake/root` is standalone (directory `fake-root`), needs `credentials.secret`;
 * - `fake/pass` is standalone and passes the environment through.
 */
export function fakeRegistry(calls: Calls, now: () => number): KindRegistry {
  const minutes = (config: { principal?: Record<string, unknown> }) =>
    Number(config.principal?.minutes ?? 60);
  const provider = (kind: string, ambient: boolean): ProviderKind => ({
    kind,
    ambient,
    fields: { spec: { secret: "string" } },
    secretsIn: (config) => typeof config.spec?.secret === "string" ? [config.spec.secret] : [],
    validate: () => [],
    authenticate(link) {
      calls.log.push(link.name);
      return Promise.resolve(
        fakeSet(`idp-${calls.count()}`, new Date(now() + 3600_000), link.name),
      );
    },
  });
  const role: IdentityKind = {
    kind: "fake/role",
    output: fakeOutput,
    fields: { principal: { role: "string", minutes: "integer" } },
    validate(config, issue) {
      return typeof config.principal?.role === "string"
        ? []
        : [issue(["principal", "role"], "principal.role is required")];
    },
    authenticate(input, link) {
      calls.log.push(link.name);
      if (!input) throw new Error(`fake/role "${link.name}" got no input`);
      if (calls.refused.has((input as FakeSet).secret)) {
        throw new RefusedInputError(`fake/role "${link.name}": the input's secret was revoked`);
      }
      const expiration = new Date(now() + minutes(link.config) * 60_000);
      return Promise.resolve(
        fakeSet(
          `secret-${link.name}-${calls.count()}`,
          expiration,
          `role/${link.config.principal!.role}`,
        ),
      );
    },
  };
  const root: IdentityKind = {
    kind: "fake/root",
    output: fakeOutput,
    fields: { credentials: { secret: "string" }, principal: { minutes: "integer" } },
    validate: () => [],
    authenticate(_input, link) {
      calls.log.push(link.name);
      const expiration = new Date(now() + minutes(link.config) * 60_000);
      return Promise.resolve(fakeSet(`secret-${link.name}-${calls.count()}`, expiration, "root"));
    },
  };
  const pass: IdentityKind = {
    kind: "fake/pass",
    output: passthroughOutput,
    fields: {},
    ambient: true,
    validate: () => [],
    authenticate(_input, link) {
      calls.log.push(link.name);
      return Promise.resolve({ type: "ambient" });
    },
  };
  return new KindRegistry({
    providers: [
      { kind: "fake/idp", load: () => Promise.resolve(provider("fake/idp", false)) },
      { kind: "fake/ambient-idp", load: () => Promise.resolve(provider("fake/ambient-idp", true)) },
    ],
    identities: [
      { kind: "fake/role", standalone: false, load: () => Promise.resolve(role) },
      {
        kind: "fake/root",
        standalone: true,
        rootDir: "fake-root",
        load: () => Promise.resolve(root),
      },
      { kind: "fake/pass", standalone: true, load: () => Promise.resolve(pass) },
    ],
    outputs: [
      {
        name: "fake",
        label: "Fake",
        variables: () => Promise.resolve(["FAKE_FILE", "FAKE_PROFILE"]),
        load: () => Promise.resolve(fakeOutput),
      },
      {
        name: "other",
        label: "Other",
        variables: () => Promise.resolve(["OTHER_TOKEN"]),
        load: () => Promise.resolve({ ...fakeOutput, name: "other" }),
      },
    ],
  });
}
