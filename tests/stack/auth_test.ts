import assert from "node:assert/strict";
import type { AuthConfig } from "../../lib/config/types.ts";
import { ConfigError } from "../../lib/errors.ts";
import { describeComponent, mergeComponentAuth, redactAuth } from "../../lib/stack/mod.ts";
import {
  fixture,
  openProject,
  rejection,
  removeTree,
  tempProject,
  thrown,
  where,
} from "./helpers.ts";

const GLOBAL: AuthConfig = {
  providers: { gh: { kind: "github/oidc", spec: { audience: "sts.amazonaws.com" } } },
  identities: {
    "Prod-Admin": { kind: "aws/assume-role", default: true, via: { provider: "gh" } },
    dev: { kind: "aws/assume-role", via: { provider: "gh" } },
  },
};

const issue = (path: (string | number)[], message: string) =>
  new ConfigError(message, { location: { file: "stack.yaml", path: path.join(".") } });

Deno.test("mergeComponentAuth() keeps the global default when the component declares none", () => {
  const merged = mergeComponentAuth(GLOBAL, { identities: { extra: { kind: "ambient" } } }, issue);
  assert.equal(merged.identities?.["Prod-Admin"].default, true);
  assert.equal(merged.identities?.extra.kind, "ambient");
  assert.equal(merged.providers?.gh.spec?.audience, "sts.amazonaws.com");
});

Deno.test("mergeComponentAuth() lets a component default win and clears the global one", () => {
  const merged = mergeComponentAuth(GLOBAL, { identities: { dev: { default: true } } }, issue);
  assert.equal(merged.identities?.dev.default, true);
  assert.equal(merged.identities?.dev.kind, "aws/assume-role");
  assert.equal(merged.identities?.["Prod-Admin"].default, false);
  // The global section itself is never changed.
  assert.equal(GLOBAL.identities?.["Prod-Admin"].default, true);
});

Deno.test("mergeComponentAuth() matches markers case-insensitively and keeps the global spelling", () => {
  const merged = mergeComponentAuth(
    GLOBAL,
    { identities: { "prod-admin": { default: true } } },
    issue,
  );
  assert.deepEqual(Object.keys(merged.identities ?? {}).sort(), ["Prod-Admin", "dev"]);
  assert.equal(merged.identities?.["Prod-Admin"].default, true);
});

Deno.test("mergeComponentAuth() drops unknown default:false markers and refuses unknown default:true", () => {
  const merged = mergeComponentAuth(GLOBAL, { identities: { ghost: { default: false } } }, issue);
  assert.equal(merged.identities?.ghost, undefined);
  const error = thrown(() =>
    mergeComponentAuth(GLOBAL, { identities: { ghost: { default: true } } }, issue)
  );
  assert.match(error.message, /component default identity "ghost" is not defined/);
  assert.equal(error.location?.path, "identities.ghost.default");
});

Deno.test("mergeComponentAuth() merges partial overrides deeply", () => {
  const merged = mergeComponentAuth(GLOBAL, {
    providers: { gh: { spec: { audience: "other" } } },
  }, issue);
  assert.equal(merged.providers?.gh.kind, "github/oidc");
  assert.equal(merged.providers?.gh.spec?.audience, "other");
});

Deno.test("redactAuth() hides inline credentials", () => {
  const shown = redactAuth({
    identities: {
      u: {
        kind: "aws/user",
        credentials: { access_key_id: "AKIAX", secret_access_key: "s", region: "r" },
      },
    },
  }) as AuthConfig;
  assert.deepEqual(shown.identities?.u.credentials, {
    access_key_id: "[redacted]",
    secret_access_key: "[redacted]",
    region: "r",
  });
});

Deno.test("stack defaults apply to their stack only and never leak (auth-stacks)", async () => {
  const project = await openProject(fixture("auth-stacks"));
  const defaults = async (component: string, stack: string) => {
    const config = await describeComponent(project.loaded, {
      component,
      stack,
      cwd: project.cwd,
      env: project.env,
    });
    return Object.entries(config.auth.identities ?? {})
      .filter(([, identity]) => identity.default === true).map(([name]) => name);
  };
  assert.deepEqual(await defaults("monitoring", "data-staging"), ["data-default"]);
  assert.deepEqual(await defaults("eks", "plat-staging"), []);
  assert.deepEqual(await defaults("eks", "plat-prod"), ["plat-default"]);
  assert.deepEqual(await defaults("iam", "plat-prod"), ["plat-readonly"]);
  // A default in an excluded _defaults.yaml still applies through its import.
  assert.deepEqual(await defaults("monitoring", "acme-dev"), ["data-default"]);
});

Deno.test("an unknown default identity in a stack is located in the stack manifest", async () => {
  const dir = await tempProject({
    "stacks/dev.yaml":
      "components:\n  terraform:\n    c:\n      auth:\n        identities:\n          ghost: { default: true }\n",
  });
  try {
    const project = await openProject(dir);
    const error = await rejection(() =>
      describeComponent(project.loaded, {
        component: "c",
        stack: "dev",
        cwd: dir,
        env: project.env,
      })
    );
    assert.match(error.message, /component default identity "ghost" is not defined/);
    assert.equal(where(error), "dev.yaml:6:29");
  } finally {
    await removeTree(dir);
  }
});
