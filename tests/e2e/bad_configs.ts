/**
 * Generated bad `atmos.yaml` files, by category: YAML syntax, a wrong type for every field
 * atmos reads (each kind's field table and the keys the structural validator knows), names that
 * cannot be written, references, cycles, tags, size, depth and encoding. Deterministic (seeded),
 * so a failure names a case that comes back on every run.
 *
 * Every file also holds a valid identity `probe` (an IAM user whose keys come from `!env`), so
 * a command naming it gets past identity selection and fails on the bad part — or does not, which
 * is the bug the suite is for.
 *
 * @module
 */
import { registry } from "../../lib/auth/registry/table.ts";
import type { FieldTable, FieldType } from "../../lib/config/fields.ts";
import { isTable } from "../../lib/config/fields.ts";
import {
  IDENTITY_BOOLEANS,
  IDENTITY_MAPS,
  IDENTITY_STRINGS,
  PROVIDER_BOOLEANS,
  PROVIDER_STRINGS,
} from "../../lib/config/validate_auth.ts";
import { seededRandom } from "../seeded_random.ts";

/** One generated case. */
export interface BadConfig {
  category: string;
  name: string;
  /** Files of the project, `atmos.yaml` first; bytes for files that are not UTF-8. */
  files: Record<string, string | Uint8Array>;
  /** What the error line must also show (the config path, the problem). */
  expect?: RegExp;
  /**
   * True for cases fixed on the harden-a branch (YAML depth and self-referencing aliases, the
   * length of echoed values), which pass once both are merged.
   */
  hardenA?: boolean;
}

/** The valid identity every file has. */
const PROBE = `    probe:
      kind: aws/user
      credentials: { access_key_id: !env PROBE_AK, secret_access_key: !env PROBE_SK }
`;

/** Valid providers every file has (entries may use them). */
const PROVIDERS = `  providers:
    sso:
      kind: aws/iam-identity-center
      start_url: https://acme.awsapps.com/start
      region: eu-west-1
    gh:
      kind: github/oidc
`;

/** An atmos.yaml with the valid parts and `identities` (YAML lines at 4 spaces) added. */
function config(identities = "", providers = "", top = ""): string {
  return `${top}auth:\n${PROVIDERS}${providers}  identities:\n${PROBE}${identities}`;
}

/** JSON is YAML: an entry written on one line. */
function entry(name: string, value: unknown): string {
  return `    ${JSON.stringify(name)}: ${JSON.stringify(value)}\n`;
}

/** A valid entry of each identity kind, to put one wrong field into. */
const VALID_IDENTITIES: Record<string, Record<string, unknown>> = {
  "aws/user": { kind: "aws/user" },
  "aws/assume-role": {
    kind: "aws/assume-role",
    via: { identity: "probe" },
    principal: { assume_role: "arn:aws:iam::111122223333:role/R" },
  },
  "aws/permission-set": {
    kind: "aws/permission-set",
    via: { provider: "sso" },
    principal: { name: "Admin", account: { id: "111122223333" } },
  },
  "aws/ambient": { kind: "aws/ambient" },
  "ambient": { kind: "ambient" },
};

const VALID_PROVIDERS: Record<string, Record<string, unknown>> = {
  "github/oidc": { kind: "github/oidc" },
  "aws/iam-identity-center": {
    kind: "aws/iam-identity-center",
    start_url: "https://x.awsapps.com/start",
    region: "us-east-1",
  },
};

/** Values of the wrong type for a field of `type`. */
function wrongValues(type: FieldType): unknown[] {
  if (typeof type === "object" && "oneOf" in type && Array.isArray(type.oneOf)) {
    return ["not-one-of-them", 5];
  }
  switch (type) {
    case "string":
      return [{ a: 1 }, ["x"], 5];
    case "boolean":
      return ["yes-please", [true]];
    case "map":
      return ["text", ["a"]];
    case "integer":
      return [1.5, "x"];
    case "scalar":
      return [{ a: 1 }, [1]];
    case "duration":
      return [{ a: 1 }, ["1h"], -5];
    case "strings":
      return ["x", { a: 1 }, [{ a: 1 }]];
    case "string[]":
      return [{ a: 1 }, [{ b: 2 }]];
  }
  return [];
}

/** Sets `value` at `path` below `base` (a fresh copy). */
function withValue(base: Record<string, unknown>, path: string[], value: unknown) {
  const copy = structuredClone(base);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
  return copy;
}

/** Every field path of a kind's table: `[section, key]`, `[section, key, sub]`, … */
function fieldPaths(table: FieldTable, prefix: string[]): [string[], FieldType][] {
  const out: [string[], FieldType][] = [];
  for (const [key, type] of Object.entries(table)) {
    out.push([[...prefix, key], type]);
    if (isTable(type)) out.push(...fieldPaths(type, [...prefix, key]));
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** A wrong type for every field every kind reads, and for the keys every entry has. */
async function typeCases(): Promise<BadConfig[]> {
  await registry.loadAll();
  const fields = registry.fieldsByKind();
  const cases: BadConfig[] = [];
  const add = (what: "identities" | "providers", name: string, value: unknown, at: string[]) => {
    const line = entry(name, value);
    cases.push({
      category: "types",
      name: `${what}.${name}.${at.join(".")} = ${JSON.stringify(value)}`,
      files: {
        "atmos.yaml": what === "identities" ? config(line) : config("", line),
      },
      expect: new RegExp(`auth\\.${what}\\.${escapeRegExp(name)}\\.${escapeRegExp(at[0])}`),
    });
  };
  for (const [kind, base] of Object.entries(VALID_IDENTITIES)) {
    const table = fields.identities[kind];
    for (const section of ["spec", "principal", "credentials"] as const) {
      for (const [path, type] of fieldPaths(table[section] ?? {}, [section])) {
        for (const value of wrongValues(type)) {
          add("identities", `t-${kind.replace("/", "-")}`, withValue(base, path, value), path);
        }
      }
    }
    for (const key of IDENTITY_STRINGS) {
      add("identities", `s-${kind.replace("/", "-")}`, { ...base, [key]: { a: 1 } }, [key]);
    }
    for (const key of IDENTITY_BOOLEANS) {
      add("identities", `b-${kind.replace("/", "-")}`, { ...base, [key]: "yes" }, [key]);
    }
  }
  for (const key of IDENTITY_MAPS) add("identities", "m", { kind: "aws/user", [key]: [1] }, [key]);
  for (const value of ["1h", { duration: { a: 1 } }, { duration: "1h", extra: 1 }]) {
    add("identities", "session", { kind: "aws/user", session: value }, ["session"]);
  }
  for (const value of ["x", [1], { a: [1] }, [{ key: 1 }], [{ key: "A", value: {} }]]) {
    add("identities", "env", { kind: "aws/user", env: value }, ["env"]);
  }
  for (const value of ["x", [{}]]) {
    add("identities", "tags", { kind: "aws/user", tags: value }, ["tags"]);
  }
  for (const [kind, base] of Object.entries(VALID_PROVIDERS)) {
    for (const [path, type] of fieldPaths(fields.providers[kind].spec ?? {}, ["spec"])) {
      for (const value of wrongValues(type)) {
        add("providers", `p-${kind.replace("/", "-")}`, withValue(base, path, value), path);
      }
    }
    for (const key of PROVIDER_STRINGS) {
      add("providers", `ps-${kind.replace("/", "-")}`, { ...base, [key]: ["x"] }, [key]);
    }
    for (const key of PROVIDER_BOOLEANS) {
      add("providers", `pb-${kind.replace("/", "-")}`, { ...base, [key]: "maybe" }, [key]);
    }
    for (
      const [key, value] of [["session", "1h"], ["console", { session_duration: 5 }], [
        "tags",
        "x",
      ], ["spec", "x"]] as const
    ) {
      add("providers", `pm-${kind.replace("/", "-")}`, { ...base, [key]: value }, [key]);
    }
  }
  for (const kind of [5, ["aws/user"], "", "gcp/oidc", "aws/userr", null]) {
    const kindPath = kind === null ? [] : ["kind"];
    cases.push({
      category: "types",
      name: `identity kind ${JSON.stringify(kind)}`,
      files: { "atmos.yaml": config(entry("k", kind === null ? { via: {} } : { kind })) },
      expect: new RegExp(`auth\\.identities\\.k${kindPath.length ? "\\.kind" : ""}`),
    });
    cases.push({
      category: "types",
      name: `provider kind ${JSON.stringify(kind)}`,
      files: { "atmos.yaml": config("", entry("k", kind === null ? { region: "x" } : { kind })) },
      expect: new RegExp(`auth\\.providers\\.k`),
    });
  }
  const top: [string, string][] = [
    ["realm: 5", "auth\\.realm"],
    ["realm: Bad Realm", "auth\\.realm"],
    ["realm: a--b", "auth\\.realm"],
    ["realm: ../x", "auth\\.realm"],
    ["logs: {level: verbose}", "auth\\.logs\\.level"],
    ["logs: [x]", "auth\\.logs"],
    ["keyring: {type: vault}", "auth\\.keyring\\.type"],
    ["keyring: {spec: {path: [x]}}", "auth\\.keyring\\.spec\\.path"],
    ["console: {isolated: yes-please}", "auth\\.console\\.isolated"],
    ["identites: {}", "auth\\.identites"],
  ];
  for (const [line, path] of top) {
    cases.push({
      category: "types",
      name: `auth ${line}`,
      files: { "atmos.yaml": config().replace("auth:\n", `auth:\n  ${line}\n`) },
      expect: new RegExp(path),
    });
  }
  for (const [value, path] of [["[a]", "auth\\.providers"], ["5", "auth\\.identities"]]) {
    const key = path.endsWith("providers") ? "providers" : "identities";
    cases.push({
      category: "types",
      name: `auth.${key}: ${value}`,
      files: { "atmos.yaml": `auth:\n  ${key}: ${value}\n` },
      expect: new RegExp(path),
    });
  }
  cases.push({
    category: "types",
    name: "auth is a list",
    files: { "atmos.yaml": "auth: [a, b]\n" },
    expect: /auth: "auth" must be a map/,
  });
  return cases;
}

function nameCases(): BadConfig[] {
  const cases: BadConfig[] = [];
  const identityNames = [
    "x]",
    "[x",
    "a\nb",
    "a\rb",
    "e\u001b[2J",
    "\u001b]8;;http://x\u0007",
    " lead",
    "trail ",
    "tab\there",
    "del\u007f",
    "c1\u0085",
    "bidi\u202eevil",
    "/".repeat(70),
    "n".repeat(201),
  ];
  for (const name of identityNames) {
    cases.push({
      category: "names",
      name: `identity ${JSON.stringify(name)}`,
      files: {
        "atmos.yaml": config(entry(name, VALID_IDENTITIES["aws/assume-role"])),
      },
      expect: /identity name ".* (holds|starts or ends|is too long)/,
    });
  }
  const providerNames = ["..", ".", "a/b", "a\\b", "../../etc", "p\u001b[31m", "x".repeat(300)];
  for (const name of providerNames) {
    cases.push({
      category: "names",
      name: `provider ${JSON.stringify(name)}`,
      files: { "atmos.yaml": config("", entry(name, { kind: "github/oidc" })) },
      expect: /provider name ".* (holds|is a relative|is empty|is longer)/,
    });
  }
  for (const name of ["aws-user", "AWS-USER"]) {
    cases.push({
      category: "names",
      name: `provider named like a fixed root: ${name}`,
      files: { "atmos.yaml": config("", entry(name, { kind: "github/oidc" })) },
      expect: /is reserved/,
    });
  }
  for (const [a, b] of [["Dev", "dev"], ["PROD", "prod"]]) {
    cases.push({
      category: "names",
      name: `identities ${a} and ${b}`,
      files: {
        "atmos.yaml": config(entry(a, { kind: "aws/user" }) + entry(b, { kind: "aws/user" })),
      },
      expect: /differs from .* only by case/,
    });
  }
  cases.push({
    category: "names",
    name: "providers SSO and sso",
    files: { "atmos.yaml": config("", entry("SSO", VALID_PROVIDERS["aws/iam-identity-center"])) },
    expect: /differs from .* only by case/,
  });
  return cases;
}

function referenceCases(): BadConfig[] {
  const random = seededRandom(4242);
  const word = () =>
    Array.from(
      { length: 4 + Math.floor(random() * 6) },
      () => "abcdefghijklmnopqrstuvwxyz-"[Math.floor(random() * 27)],
    ).join("");
  const cases: BadConfig[] = [];
  const role = (via: unknown) => ({
    kind: "aws/assume-role",
    via,
    principal: { assume_role: "arn:aws:iam::111122223333:role/R" },
  });
  for (let i = 0; i < 8; i++) {
    const ref = `x${word()}`;
    cases.push({
      category: "references",
      name: `via.identity ${ref} (unknown)`,
      files: { "atmos.yaml": config(entry("r", role({ identity: ref }))) },
      expect: /auth\.identities\.r\.via\.identity: unknown identity/,
    });
    cases.push({
      category: "references",
      name: `via.provider ${ref} (unknown)`,
      files: { "atmos.yaml": config(entry("r", role({ provider: ref }))) },
      expect: /auth\.identities\.r\.via\.provider: unknown provider/,
    });
  }
  const fixed: [string, unknown, RegExp][] = [
    ["via.identity probes (near name)", { identity: "probes" }, /did you mean "probe"/],
    ["via.provider naming an identity", { provider: "probe" }, /"probe" is an identity/],
    ["via.identity naming a provider", { identity: "sso" }, /"sso" is a provider/],
    ["both via keys", { identity: "probe", provider: "sso" }, /keep one/],
    ["empty via", {}, /needs via\.provider or via\.identity/],
    ["via a string", "probe", /"via" must be a map/],
    ["via.identity a number", { identity: 5 }, /via\.identity must be a string/],
    ["via.provider a list", { provider: ["sso"] }, /via\.provider must be a string/],
    ["unknown via key", { identity: "probe", identiti: "x" }, /unknown via field "identiti"/],
  ];
  for (const [name, via, expect] of fixed) {
    cases.push({
      category: "references",
      name,
      files: { "atmos.yaml": config(entry("r", role(via))) },
      expect,
    });
  }
  cases.push({
    category: "references",
    name: "no via on a role",
    files: {
      "atmos.yaml": config(entry("r", {
        kind: "aws/assume-role",
        principal: { assume_role: "arn:aws:iam::111122223333:role/R" },
      })),
    },
    expect: /needs via\.provider or via\.identity/,
  });
  cases.push({
    category: "references",
    name: "via on a standalone kind",
    files: { "atmos.yaml": config(entry("r", { kind: "aws/user", via: { identity: "probe" } })) },
    expect: /standalone and must not have "via"/,
  });
  cases.push({
    category: "references",
    name: "an ambiguous reference",
    files: {
      "atmos.yaml": config(
        entry("Base", { kind: "aws/user" }) + entry("base", { kind: "aws/user" }) +
          entry("r", role({ identity: "BASE" })),
      ),
    },
    expect: /only by case|ambiguous/,
  });
  return cases;
}

function cycleCases(): BadConfig[] {
  const cases: BadConfig[] = [];
  const role = (next: string) => ({
    kind: "aws/assume-role",
    via: { identity: next },
    principal: { assume_role: "arn:aws:iam::111122223333:role/R" },
  });
  for (let length = 1; length <= 9; length++) {
    let lines = "";
    for (let i = 0; i < length; i++) lines += entry(`c${i}`, role(`c${(i + 1) % length}`));
    cases.push({
      category: "cycles",
      name: `a cycle of ${length}`,
      files: { "atmos.yaml": config(lines) },
      expect: /identity chain has a cycle: c\d/,
    });
  }
  cases.push({
    category: "cycles",
    name: "a cycle reached from outside it",
    files: {
      "atmos.yaml": config(
        entry("in", role("a")) + entry("a", role("b")) + entry("b", role("a")),
      ),
    },
    expect: /cycle: a -> b -> a|cycle: b -> a -> b/,
  });
  cases.push({
    category: "cycles",
    name: "two cycles",
    files: {
      "atmos.yaml": config(
        entry("a", role("b")) + entry("b", role("a")) + entry("x", role("y")) +
          entry("y", role("x")),
      ),
    },
    expect: /cycle/,
  });
  cases.push({
    category: "cycles",
    name: "a cycle through references in another case",
    files: { "atmos.yaml": config(entry("Up", role("down")) + entry("Down", role("UP"))) },
    expect: /cycle/,
  });
  return cases;
}

function tagCases(): BadConfig[] {
  const cases: BadConfig[] = [];
  const places = [
    (v: string) =>
      config(`    t:\n      kind: aws/user\n      credentials: { access_key_id: ${v} }\n`),
    (v: string) => config(`    t:\n      kind: ${v}\n`),
    (v: string) => `settings:\n  list:\n    - ${v}\n` + config(),
  ];
  const unknown = [
    "!unknowntag AKIAX",
    "!terraform.output vpc id",
    "!store s k",
    "!repo-root",
    "!cwd",
    "!git.root",
    "!random 1 2",
    "!literal x",
    "!template '{{ .x }}'",
    "!<tag:example.com,2026:x> y",
    "!Env HOME",
    "!env.x HOME",
  ];
  unknown.forEach((tag, i) => {
    cases.push({
      category: "tags",
      name: `unknown tag ${tag}`,
      files: { "atmos.yaml": places[i % places.length](tag) },
      expect: /unknown YAML tag !\S+ \(atmos\.yaml knows !env, !exec, !include, !include\.raw/,
    });
  });
  const shapes = [
    "!env {a: 1}",
    "!env [A]",
    "!exec [a, b]",
    "!exec {x: 1}",
    "!include {f: x}",
    "!include.raw [x]",
  ];
  shapes.forEach((tag, i) => {
    cases.push({
      category: "tags",
      name: `a tag on a collection: ${tag}`,
      files: { "atmos.yaml": places[i % places.length](tag) },
      expect: /takes a text argument, not a (map|list)/,
    });
  });
  const args: [string, RegExp][] = [
    ["!env A=B", /is not a variable name: it contains "="/],
    ["!env a b c", /!env takes a variable name and an optional default/],
    ['!env ""', /!env takes a variable name|is not a variable name/],
    ['!env "A\\u0001"', /control character/],
    ["!exec", /!exec needs a command/],
    ['!exec "echo \\0"', /NUL/],
    ["!exec exit 3", /!exec command "exit 3" failed with exit code 3/],
    ["!include missing.yaml", /!include "missing\.yaml": file not found/],
    ["!include.raw missing.txt", /!include\.raw "missing\.txt": file not found/],
    ["!include atmos.yaml", /includes itself/],
  ];
  args.forEach(([tag, expect], i) => {
    cases.push({
      category: "tags",
      name: `a tag's argument: ${tag}`,
      files: { "atmos.yaml": places[i % 2](tag) },
      expect,
    });
  });
  cases.push({
    category: "tags",
    name: "an unknown tag inside an included file",
    files: {
      "atmos.yaml": config("    t: !include inc.yaml\n"),
      "inc.yaml": "kind: aws/user\nalias: !nope x\n",
    },
    expect: /^error: inc\.yaml:2:8: .*unknown YAML tag !nope/,
  });
  cases.push({
    category: "tags",
    name: "an unknown tag in an imported file",
    files: {
      "atmos.yaml": `import: [extra.yaml]\n${config()}`,
      "extra.yaml": "settings:\n  x: !nope y\n",
    },
    expect: /^error: extra\.yaml:2:6: .*unknown YAML tag !nope/,
  });
  return cases;
}

function syntaxCases(): BadConfig[] {
  const breakers: [string, (text: string) => string][] = [
    ["an unclosed double quote", (t) => t.replace("kind: aws/user", 'kind: "aws/user')],
    ["an unclosed single quote", (t) => t.replace("kind: aws/user", "kind: 'aws/user")],
    ["an unclosed flow map", (t) => t.replace("credentials: { ", "credentials: {{ ")],
    ["an unclosed flow sequence", (t) => t.replace("kind: aws/user", "kind: [aws/user")],
    ["a tab for indentation", (t) => t.replace("      kind: aws/user", "\t  kind: aws/user")],
    ["a key indented too little", (t) => t.replace("      kind: aws/user", "     kind: aws/user")],
    [
      "a duplicate key",
      (t) => t.replace("      kind: aws/user", "      kind: aws/user\n      kind: x"),
    ],
    ["a duplicate identity", (t) => t + PROBE],
    [
      "a duplicate key in a flow map",
      (t) => t.replace("{ access_key_id", "{ a: 1, a: 2, access_key_id"),
    ],
    ["an undefined alias", (t) => t.replace("kind: aws/user", "kind: *nowhere")],
    ["two documents", (t) => `${t}---\nauth: {}\n`],
    ["a bad escape", (t) => t.replace("kind: aws/user", 'kind: "aws\\qx"')],
    ["a stray colon", (t) => t.replace("kind: aws/user", "kind: : aws/user")],
    [
      "a list item inside a map",
      (t) => t.replace("      kind: aws/user", "      kind: aws/user\n      - x"),
    ],
    ["a reserved indicator", (t) => t.replace("kind: aws/user", "kind: @aws/user")],
    ["a missing space after the colon", (t) => t.replace("  identities:\n", "  identities:x\n")],
  ];
  const cases: BadConfig[] = [];
  for (const [name, breaker] of breakers) {
    cases.push({ category: "syntax", name, files: { "atmos.yaml": breaker(config()) } });
    // The same mistake in another file: one a config imports.
    cases.push({
      category: "syntax",
      name: `${name}, in an imported file`,
      files: {
        "atmos.yaml": `import: [more.yaml]\n${config()}`,
        "more.yaml": breaker(config().replace("auth:", "other:")),
      },
      expect: /^error: more\.yaml:\d+:\d+: /,
    });
  }
  return cases;
}

function sizeCases(): BadConfig[] {
  const many = (count: number, bad: string) => {
    let lines = "";
    for (let i = 0; i < count; i++) {
      lines += `    r${i}: { kind: aws/assume-role, via: { identity: probe }, ` +
        `principal: { assume_role: "arn:aws:iam::111122223333:role/R${i}" } }\n`;
    }
    return config(lines + bad);
  };
  return [
    {
      category: "size",
      name: "2,000 identities, the last with an unknown via",
      files: {
        "atmos.yaml": many(
          2000,
          entry("last", { kind: "aws/assume-role", via: { identity: "nope" } }),
        ),
      },
      expect: /auth\.identities\.last/,
    },
    {
      category: "size",
      name: "2,000 identities, 500 with a bad kind",
      files: {
        "atmos.yaml": many(2000, "") +
          Array.from({ length: 500 }, (_, i) => entry(`k${i}`, { kind: "aws/nope" })).join(""),
      },
      expect: /unknown identity kind "aws\/nope"/,
    },
    {
      category: "size",
      name: "a 20,000-item list elsewhere and a bad kind",
      files: {
        "atmos.yaml": `settings:\n  big:\n${"    - item\n".repeat(20_000)}` +
          config(entry("k", { kind: "aws/nope" })),
      },
      expect: /unknown identity kind/,
    },
    {
      category: "size",
      name: "a 1 MB role ARN",
      files: {
        "atmos.yaml": config(entry("big", {
          ...VALID_IDENTITIES["aws/assume-role"],
          principal: { assume_role: `arn:aws:iam::111122223333:role/${"R".repeat(1_000_000)}!` },
        })),
      },
      expect: /invalid role ARN/,
      hardenA: true,
    },
    {
      category: "size",
      name: "a 100,000-character region",
      files: {
        "atmos.yaml": config(
          entry("big", { kind: "aws/user", credentials: { region: "a".repeat(100_000) } }),
        ),
      },
      expect: /invalid AWS region/,
      hardenA: true,
    },
    {
      category: "size",
      name: "a 1,000-character identity name",
      files: { "atmos.yaml": config(entry("n".repeat(1000), { kind: "aws/user" })) },
      expect: /is too long/,
    },
    {
      category: "size",
      name: "a 10,000-character unknown kind",
      files: { "atmos.yaml": config(entry("k", { kind: "k".repeat(10_000) })) },
      expect: /unknown identity kind/,
      hardenA: true,
    },
    {
      category: "size",
      name: "an alias bomb",
      files: {
        "atmos.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
          Array.from(
            { length: 6 },
            (_, i) =>
              `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${
                Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")
              }]`,
          ).join("\n") + "\n" + config(),
      },
      expect: /alias/i,
    },
  ];
}

function depthCases(): BadConfig[] {
  const nested = (depth: number, indent: string) => {
    let text = "";
    for (let i = 0; i < depth; i++) text += `\n${indent}${"  ".repeat(i)}k${i}:`;
    return `${text} 1`;
  };
  return [
    {
      category: "depth",
      name: "a spec nested 60 levels",
      files: {
        "atmos.yaml": config(
          `    d:\n      kind: aws/user\n      spec:${nested(60, "        ")}\n`,
        ),
      },
      expect: /auth\.identities\.d\.spec/,
    },
    {
      category: "depth",
      name: "flow maps nested 80 levels in an identity",
      files: { "atmos.yaml": config(`    d: ${"{k: ".repeat(80)}1${"}".repeat(80)}\n`) },
      expect: /auth\.identities\.d/,
    },
    {
      category: "depth",
      name: "a spec nested 150 levels",
      files: {
        "atmos.yaml": config(
          `    d:\n      kind: aws/user\n      spec:${nested(150, "        ")}\n`,
        ),
      },
      expect: /nested too deeply/,
      hardenA: true,
    },
    {
      category: "depth",
      name: "flow maps nested 300 levels in an identity",
      files: { "atmos.yaml": config(`    d: ${"{k: ".repeat(300)}1${"}".repeat(300)}\n`) },
      expect: /nested too deeply/,
      hardenA: true,
    },
    {
      category: "depth",
      name: "settings nested 200 levels",
      files: { "atmos.yaml": `settings:${nested(200, "  ")}\n${config()}` },
      expect: /nested/,
      hardenA: true,
    },
    {
      category: "depth",
      name: "flow lists nested 1,000 levels",
      files: { "atmos.yaml": `x: ${"[".repeat(1000)}${"]".repeat(1000)}\n${config()}` },
      expect: /nested/,
      hardenA: true,
    },
    {
      category: "depth",
      name: "an alias inside its own anchor",
      files: { "atmos.yaml": `a: &a [*a]\n${config()}` },
      expect: /alias/,
      hardenA: true,
    },
    {
      category: "depth",
      name: "an alias inside its own map anchor",
      files: { "atmos.yaml": `a: &a {b: *a}\n${config()}` },
      expect: /alias/,
      hardenA: true,
    },
  ];
}

function encodingCases(): BadConfig[] {
  const bytes = (text: string, at: string, insert: number[]) => {
    const encoded = new TextEncoder().encode(text);
    const index = new TextEncoder().encode(text.slice(0, text.indexOf(at))).length;
    return new Uint8Array([...encoded.slice(0, index), ...insert, ...encoded.slice(index)]);
  };
  const text = config(entry("x", { kind: "aws/user", alias: "cafe" }));
  const cases: BadConfig[] = [];
  const invalid: [string, number[]][] = [
    ["a Latin-1 é", [0xe9]],
    ["a lone continuation byte", [0x80]],
    ["an overlong encoding", [0xc0, 0xaf]],
    ["a surrogate encoded", [0xed, 0xa0, 0x80]],
    ["0xFF", [0xff]],
  ];
  invalid.forEach(([name, insert], i) => {
    const at = ["cafe", "aws/user", "probe", "identities", "start_url"][i];
    cases.push({
      category: "encoding",
      name: `not UTF-8: ${name}`,
      files: { "atmos.yaml": bytes(text, at, insert) },
      expect: /"atmos\.yaml" is not UTF-8 text/,
    });
  });
  cases.push({
    category: "encoding",
    name: "UTF-16 with a byte-order mark",
    files: {
      "atmos.yaml": new Uint8Array([
        0xff,
        0xfe,
        ...[...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]),
      ]),
    },
    expect: /not UTF-8 text/,
  });
  const escapes: [string, string, RegExp][] = [
    ["ESC in a kind", 'kind: "\\e[2Jaws/user"', /unknown identity kind "\\x1b\[2Jaws\/user"/],
    ["OSC 8 in a kind", 'kind: "\\e]8;;http://x\\a"', /\\x1b\]8;;http:\/\/x\\x07/],
    [
      "a C1 control in a region",
      'kind: aws/user\n      credentials: { region: "us\\x85east-1" }',
      /invalid AWS region "us\\x85east-1"/,
    ],
    [
      "a bidi override in an alias ref",
      'kind: aws/assume-role\n      via: { identity: "pro\\u202Ebe" }',
      /unknown identity "pro\\u202ebe"/,
    ],
    ["NUL in an env value", 'kind: aws/user\n      env: { A: "x\\0y" }', /NUL/],
    [
      "a line break in a via",
      'kind: aws/assume-role\n      via: { identity: "a\\nb" }',
      /unknown identity "a b"/,
    ],
  ];
  for (const [name, body, expect] of escapes) {
    cases.push({
      category: "encoding",
      name,
      files: { "atmos.yaml": config(`    e:\n      ${body}\n`) },
      expect,
    });
  }
  const badKind = config(entry("k", { kind: "nope" }));
  const line = badKind.slice(0, badKind.indexOf('"k":')).split("\n").length;
  cases.push({
    category: "encoding",
    name: `CRLF line ends, a bad kind on line ${line}`,
    files: { "atmos.yaml": badKind.replaceAll("\n", "\r\n") },
    expect: new RegExp(`^error: atmos\\.yaml:${line}:\\d+: `),
  });
  cases.push({
    category: "encoding",
    name: `lone CR line ends, a bad kind on line ${line}`,
    files: { "atmos.yaml": badKind.replaceAll("\n", "\r") },
  });
  cases.push({
    category: "encoding",
    name: "a byte-order mark and a bad kind",
    files: { "atmos.yaml": `\uFEFF${badKind}` },
    expect: new RegExp(`^error: atmos\\.yaml:${line}:\\d+: `),
  });
  cases.push({
    category: "encoding",
    name: "a NUL byte in the file",
    files: { "atmos.yaml": config(entry("k", { kind: "aws/user" })).replace("probe:", "pro\0be:") },
  });
  return cases;
}

/** Every generated bad configuration, in category order. */
export async function badConfigs(): Promise<BadConfig[]> {
  return [
    ...syntaxCases(),
    ...await typeCases(),
    ...nameCases(),
    ...referenceCases(),
    ...cycleCases(),
    ...tagCases(),
    ...sizeCases(),
    ...depthCases(),
    ...encodingCases(),
  ];
}
