import assert from "node:assert/strict";
import { formatErrorLine, safeLine } from "../../lib/errors.ts";
import { loadConfig, type LoadedConfig } from "../../lib/config/load.ts";
import { validateAuth, validateRealm } from "../../lib/config/validate_auth.ts";
import { configIssue } from "../../lib/config/issue.ts";
import { envOf, fixture, makeTree, removeTree } from "./helpers.ts";

const KINDS = {
  providerKinds: ["aws/iam-identity-center", "aws/saml", "github/oidc"],
  identityKinds: [
    "aws/permission-set",
    "aws/assume-role",
    "aws/assume-root",
    "aws/user",
    "aws/ambient",
  ],
  standaloneIdentityKinds: ["aws/user", "aws/ambient"],
};

async function loadFixture(name: string): Promise<LoadedConfig> {
  return await loadConfig({ cwd: fixture(name), env: envOf() });
}

async function issuesFor(yaml: string) {
  const root = await makeTree({ "atmos.yaml": yaml });
  try {
    const loaded = await loadConfig({ cwd: root, env: envOf() });
    return validateAuth(loaded, KINDS).map((issue) =>
      `${issue.location?.path}@${issue.location?.line}: ${issue.message}`
    );
  } finally {
    await removeTree(root);
  }
}

Deno.test("validateAuth() accepts a valid config, with names matched case-insensitively", async () => {
  const loaded = await loadFixture("auth_valid");
  assert.deepEqual(validateAuth(loaded, KINDS).map(formatErrorLine), []);
});

Deno.test("validateAuth() reports every problem with its config path and line", async () => {
  const loaded = await loadFixture("auth_invalid");
  const issues = validateAuth(loaded, KINDS);
  for (const issue of issues) {
    assert.equal(issue.exitCode, 2);
    assert.equal(issue.location?.file, "atmos.yaml");
    assert.equal(typeof issue.location?.column, "number");
  }
  const summary = issues.map((issue) =>
    `${issue.location?.path}@${issue.location?.line}: ${issue.message}`
  );
  assert.deepEqual(summary.sort(), [
    "auth.identities.a.via.identity@40: identity chain has a cycle: a -> b -> a",
    'auth.identities.bad-env.env.0.value@50: env entry needs a string "value", not empty',
    'auth.identities.bad-env.env.1.key@51: env entry needs a non-empty string "key"',
    'auth.identities.bad-env.via.provider@48: unknown provider "ssso"; did you mean "sso"?',
    "auth.identities.both.via@20: both via.provider and via.identity are set; keep one",
    "auth.identities.empty-kind.kind@57: kind must be a non-empty string, not an empty string",
    'auth.identities.empty-kind.via@58: "via" must be a map with provider or identity, not a string',
    'auth.identities.me.via@27: kind "aws/user" is standalone and must not have "via"',
    'auth.identities.orphan@29: identity "orphan" needs via.provider or via.identity',
    'auth.identities.prod-admin.via.identity@17: unknown identity "prd-admin"; did you mean "prod-admin"?',
    'auth.identities.typo-field.principle@35: unknown identity field "principle"; did you mean "principal"?',
    'auth.identities.typo-kind.kind@24: unknown identity kind "aws/usr"; did you mean "aws/user"?',
    'auth.identities.wrong-ref.via.provider@55: unknown provider "a"',
    'auth.keyring.type@6: invalid keyring type "filez"; did you mean "file"?',
    'auth.logs.level@4: invalid log level "debug"; did you mean "Debug"?',
    "auth.providers.nokind@11: provider kind is required",
    'auth.providers.sso.kind@9: unknown provider kind "aws/iam-identity-centre"; did you mean "aws/iam-identity-center"?',
    'auth.providers.sso.regoin@10: unknown provider field "regoin"; did you mean "region"?',
    'auth.realm@2: realm "Bad--Realm" may contain only lowercase letters, digits, "-" and "_"',
  ]);
});

Deno.test("validateAuth() hints list supported kinds and point at the right via key", async () => {
  const loaded = await loadFixture("auth_invalid");
  const issues = validateAuth(loaded, KINDS);
  const byPath = (path: string) => issues.find((issue) => issue.location?.path === path);
  assert.equal(
    byPath("auth.identities.typo-kind.kind")?.hint,
    "supported identity kinds: aws/permission-set, aws/assume-role, aws/assume-root, aws/user, aws/ambient",
  );
  assert.equal(
    byPath("auth.identities.wrong-ref.via.provider")?.hint,
    '"a" is an identity; use via.identity',
  );
  assert.equal(
    formatErrorLine(byPath("auth.identities.prod-admin.via.identity")),
    'atmos.yaml:17:19: auth.identities.prod-admin.via.identity: unknown identity "prd-admin"; ' +
      'did you mean "prod-admin"? (known identities: prod-admin, both, typo-kind, me, orphan, ' +
      "typo-field, a, b, bad-env, wrong-ref, empty-kind)",
  );
});

Deno.test("validateAuth() reports a self-referencing identity as a cycle once", async () => {
  const issues = await issuesFor(
    "auth:\n  identities:\n    x:\n      kind: aws/assume-role\n      via: {identity: x}\n",
  );
  assert.deepEqual(issues, [
    "auth.identities.x.via.identity@5: identity chain has a cycle: x -> x",
  ]);
});

Deno.test("validateAuth() reports a longer cycle reached from outside it once", async () => {
  const yaml = [
    "auth:",
    "  identities:",
    "    entry: {kind: aws/assume-role, via: {identity: c1}}",
    "    c1: {kind: aws/assume-role, via: {identity: c2}}",
    "    c2: {kind: aws/assume-role, via: {identity: c3}}",
    "    c3: {kind: aws/assume-role, via: {identity: C1}}",
    "",
  ].join("\n");
  assert.deepEqual(await issuesFor(yaml), [
    "auth.identities.c1.via.identity@4: identity chain has a cycle: c1 -> c2 -> c3 -> c1",
  ]);
});

Deno.test("validateAuth() checks field types without echoing values", async () => {
  const yaml = [
    "auth:",
    "  realm: 7",
    "  providers:",
    "    p:",
    "      kind: aws/saml",
    "      password: 12345",
    "      default: yes-please",
    "      tags: [a, {b: c}]",
    "      session: 1h",
    "  identities:",
    "    i:",
    "      kind: 5",
    "      via: {provider: p, identiti: x}",
    "      principal: [a]",
    "      env: nope",
    "    j: just-a-string",
    "    J:",
    "      kind: aws/user",
    "",
  ].join("\n");
  const issues = await issuesFor(yaml);
  assert.deepEqual(issues.sort(), [
    'auth.identities.J@17: "J" differs from "j" only by case',
    'auth.identities.i.env@15: "env" must be a list of {key, value} or a map, not a string',
    "auth.identities.i.kind@12: kind must be a non-empty string, not a number",
    'auth.identities.i.principal@14: "principal" must be a map, not a list',
    'auth.identities.i.via.identiti@13: unknown via field "identiti"; did you mean "identity"?',
    'auth.identities.j@16: identity "j" must be a map with at least "kind", not a string',
    'auth.providers.p.default@7: "default" must be true or false, not a string',
    'auth.providers.p.password@6: "password" must be a string, not a number',
    'auth.providers.p.session@9: "session" must be a map, not a string',
    "auth.providers.p.tags.1@8: tags must be strings, not a map",
    'auth.realm@2: "realm" must be a string, not a number',
  ]);
  assert.ok(!issues.join("\n").includes("12345"));
});

Deno.test("validateAuth() refuses names that cannot be written, at the name, escaped", async () => {
  const yaml = [
    "auth:",
    "  providers:",
    '    "../../etc": { kind: github/oidc }',
    '    "..": { kind: github/oidc }',
    '    "p\\e[2J": { kind: github/oidc }',
    "    ok.provider-1_x: { kind: github/oidc }",
    "  identities:",
    '    "x]": { kind: aws/user }',
    '    "[y": { kind: aws/user }',
    '    "a\\nb": { kind: aws/user }',
    '    "esc\\e[31m": { kind: aws/user }',
    '    " padded": { kind: aws/user }',
    `    "${"/".repeat(70)}": { kind: aws/user }`,
    "    Development/AdministratorAccess: { kind: aws/user }",
    "    alice@example.com: { kind: aws/user }",
    "",
  ].join("\n");
  // As the user sees them: control characters escaped by the one line renderer.
  const issues = (await issuesFor(yaml)).map((line) => safeLine(line));
  assert.deepEqual(issues, [
    'auth.providers.../../etc@3: provider name "../../etc" holds "/" or "\\"',
    'auth.providers...@4: provider name ".." is a relative directory name',
    'auth.providers.p\\x1b[2J@5: provider name "p\\x1b[2J" holds a control character',
    'auth.identities.x]@8: identity name "x]" holds "[" or "]", which INI section names cannot',
    'auth.identities.[y@9: identity name "[y" holds "[" or "]", which INI section names cannot',
    // A line break is shown as a space: the line stays one line.
    'auth.identities.a b@10: identity name "a b" holds a control character',
    'auth.identities.esc\\x1b[31m@11: identity name "esc\\x1b[31m" holds a control character',
    'auth.identities. padded@12: identity name " padded" starts or ends with a space',
    `auth.identities.${"/".repeat(70)}@13: identity name "${"/".repeat(70)}" is too long`,
  ]);
  assert.ok(!issues.join("").includes("\x1b"), "no raw escape character");
});

Deno.test("validateAuth() checks a child's variable names and values, and provider regions", async () => {
  const yaml = [
    "auth:",
    "  providers:",
    "    gh: { kind: github/oidc, region: 'evil.example/#' }",
    "  identities:",
    "    base:",
    "      kind: aws/user",
    "      env:",
    "        - { key: 'A=B', value: x }",
    '        - { key: OK, value: "nul\\0here" }',
    "    other:",
    "      kind: aws/user",
    "      env: { '': x, \"C\\tD\": y, GOOD: 1 }",
    "",
  ].join("\n");
  assert.deepEqual(await issuesFor(yaml), [
    'auth.providers.gh.region@3: invalid region "evil.example/#"',
    'auth.identities.base.env.0.key@8: env: "A=B" is not a variable name: it contains "="',
    "auth.identities.base.env.1.value@9: env value holds a NUL character",
    'auth.identities.other.env.@12: env: "" is not a variable name: it is empty',
    'auth.identities.other.env.C\tD@12: env: "C\tD" is not a variable name: it contains a control character',
  ]);
});

Deno.test("validateAuth() allows several default identities and an absent auth section", async () => {
  assert.deepEqual(await issuesFor("logs: {level: Info}\n"), []);
  const yaml = [
    "auth:",
    "  identities:",
    "    a: {kind: aws/user, default: true}",
    "    b: {kind: aws/ambient, default: true}",
    "",
  ].join("\n");
  assert.deepEqual(await issuesFor(yaml), []);
});

Deno.test("validateAuth() skips kind membership when the kind table is empty", async () => {
  const root = await makeTree({
    "atmos.yaml": "auth:\n  providers:\n    p: {kind: anything/at-all}\n",
  });
  try {
    const loaded = await loadConfig({ cwd: root, env: envOf() });
    const issues = validateAuth(loaded, {
      providerKinds: [],
      identityKinds: [],
      standaloneIdentityKinds: [],
    });
    assert.deepEqual(issues, []);
  } finally {
    await removeTree(root);
  }
});

Deno.test("validateRealm() enforces the Atmos realm rules", () => {
  for (const ok of ["a", "acme", "acme-prod", "acme_prod", "a1-b2_c3", "x".repeat(64)]) {
    assert.equal(validateRealm(ok), undefined, ok);
  }
  const bad: Record<string, RegExp> = {
    "": /must not be empty/,
    ["x".repeat(65)]: /longer than 64/,
    "Acme": /only lowercase/,
    "a b": /only lowercase/,
    "a/b": /must not contain "\/"/,
    "a..b": /must not contain/,
    "-a": /start or end/,
    "a_": /start or end/,
    "a--b": /"--"/,
    "a__b": /"--"/,
    "a-_b": /"--"/,
    "a_-b": /"--"/,
  };
  for (const [name, pattern] of Object.entries(bad)) {
    assert.match(validateRealm(name) ?? "", pattern, JSON.stringify(name));
  }
});

Deno.test("configIssue() builds a located error, or prefixes the path when nothing is known", async () => {
  const loaded = await loadFixture("auth_valid");
  const issue = configIssue(
    loaded,
    ["auth", "identities", "prod-admin", "principal", "assume_role"],
    "assume_role must be an IAM role ARN",
    "write arn:aws:iam::<account>:role/<name>",
  );
  assert.deepEqual(issue.location, {
    file: "atmos.yaml",
    line: 36,
    column: 22,
    path: "auth.identities.prod-admin.principal.assume_role",
  });
  assert.equal(issue.exitCode, 2);
  const bare = configIssue({ locate: () => undefined }, ["auth", "identities", "x"], "missing");
  assert.equal(bare.message, "auth.identities.x: missing");
  assert.equal(bare.location, undefined);
});
