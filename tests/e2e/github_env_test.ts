/**
 * `auth env --format github` against injection: identity `env:` values with line breaks, carriage
 * returns, the old predictable delimiter and look-alike `NAME<<X` text are appended to
 * `$GITHUB_ENV`, and the file is read back with the GitHub runner's own rules (below): every
 * value arrives whole, `AWS_PROFILE` is the identity's, and no variable is added.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, createSandbox } from "./harness.ts";
import { boto3CallerArn, runProgram } from "./auth_support.ts";

/**
 * Reads a `$GITHUB_ENV` file as the GitHub Actions runner does on Linux
 * (`actions/runner`, `FileCommandManager.cs`; docs "Setting an environment variable" and
 * "Multiline strings"): lines split at `\n`; empty lines skipped; `NAME=value` when `=` comes
 * before any `<<`; `NAME<<DELIMITER` otherwise, whose value is every line up to the first line
 * equal to the delimiter; anything else, an empty name or delimiter, or a missing delimiter line
 * fails the step. Later assignments win.
 */
function parseGithubEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    const equals = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === "") throw new Error(`Invalid format '${line}'. Name must not be empty`);
      vars.set(name, line.slice(equals + 1));
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === "" || delimiter === "") throw new Error(`Invalid format '${line}'`);
      const value: string[] = [];
      for (i++;; i++) {
        if (i >= lines.length) throw new Error(`Matching delimiter not found '${delimiter}'`);
        if (lines[i] === delimiter) break;
        value.push(lines[i]);
      }
      vars.set(name, value.join("\n"));
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return vars;
}

Deno.test("parseGithubEnv() follows the runner: NAME=value, heredocs, and the first = or << decides", () => {
  const vars = parseGithubEnv("A=1\n\nB<<EOF\nx\ny=z\nEOF\nC=a<<b\nD<<E=F\nv\nE=F\n");
  assert.deepEqual(Object.fromEntries(vars), { A: "1", B: "x\ny=z", C: "a<<b", D: "v" });
  assert.throws(() => parseGithubEnv("B<<EOF\nx\n"), /Matching delimiter not found/);
  assert.throws(() => parseGithubEnv("nothing\n"), /Invalid format/);
});

const HOSTILE: Record<string, string> = {
  NEWLINE: "one\nAWS_PROFILE=attacker",
  CARRIAGE: "one\rAWS_PROFILE=attacker",
  CRLF: "one\r\nAWS_PROFILE=attacker\r\n",
  // Against the old `ATMOS_EOF_<name>` delimiter: ends the heredoc, sets AWS_PROFILE (after the
  // real one, so it would win) and swallows the real delimiter line in a heredoc of its own.
  OLD_DELIMITER:
    "one\nATMOS_EOF_OLD_DELIMITER\nAWS_PROFILE=attacker\nINJECTED<<ATMOS_EOF_OLD_DELIMITER",
  LOOKALIKE: "x<<EOF",
  LEADING: "\nAWS_PROFILE=attacker",
  TRAILING: "AWS_PROFILE=attacker\n",
};

Deno.test("auth env --format github: env values with line breaks or a delimiter add no variable and keep AWS_PROFILE", async () => {
  const entries = Object.entries(HOSTILE)
    .map(([key, value]) => `        - { key: ${key}, value: ${JSON.stringify(value)} }`)
    .join("\n");
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "deployer" });
  const sb = await createSandbox(
    `auth:
  identities:
    deploy:
      kind: aws/user
      default: true
      credentials: { access_key_id: !env AK, secret_access_key: !env SK, region: us-east-2 }
      env:
${entries}
`,
    { endpoint: emu.url, env: { AK: keys.accessKeyId, SK: keys.secretAccessKey } },
  );
  try {
    const githubEnv = join(sb.home, "github_env");
    await Deno.writeTextFile(githubEnv, "EARLIER=kept\n");
    const json = await sb.run(["auth", "env", "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const expected = JSON.parse(json.stdout) as Record<string, string>;
    for (const [key, value] of Object.entries(HOSTILE)) assert.equal(expected[key], value, key);
    for (let round = 0; round < 2; round++) {
      const github = await sb.run(["auth", "env", "--login", "--format", "github"], {
        env: { GITHUB_ENV: githubEnv },
      });
      assert.equal(github.code, 0, github.stderr);
    }
    const text = await Deno.readTextFile(githubEnv);
    const parsed = parseGithubEnv(text);
    assert.equal(parsed.get("AWS_PROFILE"), "deploy");
    assert.deepEqual(
      [...parsed.keys()].sort(),
      [...Object.keys(expected), "EARLIER"].sort(),
      "no variable was added",
    );
    for (const [key, value] of Object.entries(expected)) assert.equal(parsed.get(key), value, key);
    assert.equal(parsed.get("EARLIER"), "kept");
    // Two runs, two different delimiters.
    const delimiters = [...text.matchAll(/^NEWLINE<<(.*)$/gm)].map((m) => m[1]);
    assert.equal(delimiters.length, 2);
    assert.notEqual(delimiters[0], delimiters[1]);
    assert.match(delimiters[0], /^ATMOS_EOF_[0-9a-f]{32}$/);

    // A real client given exactly those variables is the identity.
    const boto3 = await runProgram("/usr/bin/python3", boto3CallerArn(emu.url).slice(1), {
      HOME: sb.home,
      ...Object.fromEntries(parsed),
    });
    assert.equal(boto3.code, 0, boto3.stderr);
    assert.equal(boto3.stdout.trim(), "arn:aws:iam::123456789012:user/deployer");
    assertNoSecrets(emu.secrets(), { githubEnv: text });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});
