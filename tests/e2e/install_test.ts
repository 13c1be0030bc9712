/**
 * `scripts/install.sh` against a fake release directory served on loopback: the binary for
 * this machine (as `deno task compile` names it) and a real `SHA256SUMS`. A tampered binary
 * is refused and nothing is installed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hostTarget, SUMS_FILE } from "../../scripts/compile.ts";
import { ROOT, runCommand } from "./harness.ts";

const SCRIPT = join(ROOT, "scripts", "install.sh");
const FAKE_BINARY = '#!/bin/sh\necho "atmos from the fake release $*"\n';

interface Release {
  url: string;
  /** Replaces a served file's content (e.g. to tamper with the binary). */
  serve(name: string, content: string): void;
  requests: string[];
  close(): Promise<void>;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Serves `/release/<name>` from an in-memory directory on 127.0.0.1, port 0. */
async function startRelease(): Promise<Release> {
  const files = new Map<string, string>();
  const requests: string[] = [];
  const file = hostTarget().file;
  files.set(file, FAKE_BINARY);
  files.set(
    SUMS_FILE,
    `${await sha256("other")}  atmos-other-os\n${await sha256(FAKE_BINARY)}  ${file}\n`,
  );
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    requests.push(path);
    const body = path.startsWith("/release/")
      ? files.get(path.slice("/release/".length))
      : undefined;
    return body === undefined ? new Response("not found", { status: 404 }) : new Response(body);
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/release`,
    serve: (name, content) => files.set(name, content),
    requests,
    close: () => server.shutdown(),
  };
}

async function install(args: string[], env: Record<string, string>) {
  return await runCommand("/bin/bash", [SCRIPT, ...args], {
    env: { PATH: "/usr/bin:/bin", ...env },
  });
}

async function runInstalled(path: string): Promise<string> {
  const out = await runCommand(path, ["version"], { env: Deno.env.toObject() });
  assert.equal(out.code, 0, out.stderr);
  return out.stdout;
}

Deno.test("install.sh downloads this machine's binary, verifies SHA256SUMS and installs it to --dir", async () => {
  const release = await startRelease();
  const home = await Deno.makeTempDir({ prefix: "atmos-install-" });
  try {
    const dir = join(home, "tools", "bin");
    const result = await install(["--url", `${release.url}/`, "--dir", dir], { HOME: home });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`^installed ${dir}/atmos \\(${hostTarget().file}, sha256 [0-9a-f]{64}\\)\n`),
    );
    assert.match(result.stdout, /is not on PATH/);
    assert.deepEqual(release.requests, [`/release/${SUMS_FILE}`, `/release/${hostTarget().file}`]);
    assert.equal(((await Deno.stat(join(dir, "atmos"))).mode ?? 0) & 0o777, 0o755);
    assert.equal(await runInstalled(join(dir, "atmos")), "atmos from the fake release version\n");
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      ["atmos"],
      "no temp files left",
    );
  } finally {
    await release.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("install.sh takes ATMOS_RELEASE_URL and installs to ~/.local/bin by default", async () => {
  const release = await startRelease();
  const home = await Deno.makeTempDir({ prefix: "atmos-install-" });
  try {
    const result = await install([], {
      HOME: home,
      ATMOS_RELEASE_URL: release.url,
      PATH: `${home}/.local/bin:/usr/bin:/bin`,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /not on PATH/);
    assert.equal(
      await runInstalled(join(home, ".local", "bin", "atmos")),
      "atmos from the fake release version\n",
    );
  } finally {
    await release.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("install.sh refuses a tampered binary and leaves the installed one alone", async () => {
  const release = await startRelease();
  const home = await Deno.makeTempDir({ prefix: "atmos-install-" });
  try {
    const dir = join(home, "bin");
    assert.equal((await install(["--url", release.url, "--dir", dir], { HOME: home })).code, 0);
    release.serve(hostTarget().file, FAKE_BINARY.replace("fake release", "evil release"));
    const result = await install(["--url", release.url, "--dir", dir], { HOME: home });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(
      result.stderr,
      new RegExp(
        `^install\\.sh: checksum mismatch for ${hostTarget().file} \\(expected [0-9a-f]{64}, got [0-9a-f]{64}\\); nothing was installed\n$`,
      ),
    );
    assert.equal(await runInstalled(join(dir, "atmos")), "atmos from the fake release version\n");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["atmos"]);
  } finally {
    await release.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("install.sh fails in one line without a URL, or when the release has no binary for this machine", async () => {
  const home = await Deno.makeTempDir({ prefix: "atmos-install-" });
  const release = await startRelease();
  try {
    const none = await install([], { HOME: home });
    assert.equal(none.code, 2);
    assert.equal(
      none.stderr,
      "install.sh: no release URL: pass --url <release dir URL> or set ATMOS_RELEASE_URL\n",
    );
    release.serve(SUMS_FILE, `${await sha256("x")}  atmos-other-os\n`);
    const missing = await install(["--url", release.url], { HOME: home });
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /^install\.sh: atmos-\S+ is not listed in http:\/\/127\.0\.0\.1:\d+\/release\/SHA256SUMS \(no binary for \S+ in this release\)\n$/,
    );
    const unreachable = await install(["--url", `${release.url}/nope`], { HOME: home });
    assert.equal(unreachable.code, 1);
    assert.match(
      unreachable.stderr,
      /^install\.sh: cannot download http:\/\/127\.0\.0\.1:\d+\/release\/nope\/SHA256SUMS: .*404.*\n$/,
    );
    await Deno.stat(join(home, ".local")).then(
      () => assert.fail("something was installed"),
      (error) => assert.ok(error instanceof Deno.errors.NotFound),
    );
  } finally {
    await release.close();
    await Deno.remove(home, { recursive: true });
  }
});
