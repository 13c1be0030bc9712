/**
 * The contract every cloud follows, pinned with a fake cloud (fake_cloud.ts): the caching
 * rule, the resume point, what each link writes, what children get, that an ambient chain is
 * never resumed from files, logout, and that a bad configuration stops everything before any
 * call. The manager knows no cloud, so these hold for AWS, GCP and Azure alike.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { AuthManager, type ManagerOptions } from "../../lib/auth/manager.ts";
import { loginLockPath } from "../../lib/auth/single_flight.ts";
import { childEnvironment } from "../../lib/auth/environment.ts";
import { loadConfig } from "../../lib/config/load.ts";
import { ConfigError } from "../../lib/errors.ts";
import { RefusedInputError } from "../../lib/auth/refused.ts";
import { directWriter } from "../../lib/fs/writer.ts";
import { envOf } from "../../lib/env.ts";
import { Calls, fakeRegistry } from "./fake_cloud.ts";

const CONFIG = `
auth:
  providers:
    idp: { kind: fake/idp, spec: { secret: provider-secret-value } }
    runner: { kind: fake/ambient-idp }
  identities:
    base:
      kind: fake/role
      via: { provider: idp }
      principal: { role: base, minutes: 120 }
    admin:
      kind: fake/role
      via: { identity: base }
      principal: { role: admin, minutes: 60 }
      env:
        - { key: STAGE, value: prod }
        - { key: FAKE_PROFILE, value: from-identity-env }
    deployer:
      kind: fake/role
      via: { provider: runner }
      principal: { role: deployer }
    solo:
      kind: fake/root
      credentials: { secret: long-lived-secret-value }
    local:
      kind: fake/pass
      env: { MODE: local }
`;

interface Fixture {
  manager: AuthManager;
  /** Another manager over the same files and clock: a later atmos process. */
  next(): AuthManager;
  calls: Calls;
  dir: string;
  clock: { now: number };
}

async function withManager(
  yaml: string,
  fn: (f: Fixture) => Promise<void>,
  env: Record<string, string> = {},
  extra: Partial<ManagerOptions> = {},
): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "atmos_manager_test_" }));
  try {
    const file = join(dir, "atmos.yaml");
    await Deno.writeTextFile(file, yaml);
    const loaded = await loadConfig({ cwd: dir, env: envOf({ HOME: dir }), configFiles: [file] });
    const calls = new Calls();
    const clock = { now: Date.parse("2026-12-05T08:00:00Z") };
    const registry = fakeRegistry(calls, () => clock.now);
    await registry.load(loaded.config.auth);
    const configDir = join(dir, "config", "atmos");
    const writer = directWriter(configDir);
    const next = () =>
      new AuthManager({
        loaded,
        env: envOf(env),
        configDir,
        interactive: false,
        prompter: { secret: () => Promise.reject(), text: () => Promise.reject() },
        writer: () => Promise.resolve(writer),
        openStore: () => Promise.reject(new Error("no store in these tests")),
        now: () => clock.now,
        registry,
        ...extra,
      });
    await fn({ manager: next(), next, calls, dir: configDir, clock });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const MINUTE = 60_000;

Deno.test("AuthManager runs every link of a cold chain once and writes each identity link", async () => {
  await withManager(CONFIG, async ({ manager, calls, dir }) => {
    const session = await manager.session("admin");
    assert.deepEqual(calls.log, ["idp", "base", "admin"]);
    assert.equal(session.source, "login");
    assert.equal(session.principal, "role/admin");
    const files = (name: string) => join(dir, "fake", "idp", `${name}.json`);
    assert.deepEqual(session.files, { state: files("admin") });
    for (const name of ["base", "admin"]) {
      const stat = await Deno.stat(files(name));
      assert.equal(stat.mode! & 0o777, 0o600, `${name} is 0600`);
    }
    // A provider writes nothing of its own through the output.
    assert.equal(await Deno.stat(join(dir, "fake", "idp", "idp.json")).catch(() => null), null);
  });
});

Deno.test("AuthManager uses a target with more than 5 minutes left with no call at all", async () => {
  await withManager(CONFIG, async ({ manager, next, calls, clock }) => {
    await manager.session("admin");
    calls.log.length = 0;
    clock.now += 54 * MINUTE; // 6 minutes left on admin
    const later = next();
    const session = later.cachedSession("admin");
    assert.equal(session?.source, "cache");
    assert.equal(session?.principal, "role/admin", "what readCached returns reaches the session");
    assert.equal((await later.session("admin")).source, "cache");
    assert.equal((await manager.session("admin")).source, "login", "in-process reuse");
    assert.deepEqual(calls.log, []);
  });
});

Deno.test("AuthManager resumes at the nearest fresh link when the target has 5 minutes or less", async () => {
  await withManager(CONFIG, async ({ manager, calls, clock }) => {
    await manager.session("admin");
    calls.log.length = 0;
    clock.now += 55 * MINUTE; // admin: exactly 5 minutes left (not reused); base: 65 minutes
    assert.equal(manager.cachedSession("admin"), undefined);
    const session = await manager.session("admin");
    assert.deepEqual(calls.log, ["admin"], "only the target's link runs again");
    assert.equal(session.source, "login");
    calls.log.length = 0;
    clock.now += 61 * MINUTE; // base expired too: the whole chain runs
    await manager.session("admin");
    assert.deepEqual(calls.log, ["idp", "base", "admin"]);
  });
});

Deno.test("AuthManager --force runs the whole chain even when everything is fresh", async () => {
  await withManager(CONFIG, async ({ manager, calls }) => {
    await manager.session("admin");
    calls.log.length = 0;
    await manager.session("admin", { force: true });
    assert.deepEqual(calls.log, ["idp", "base", "admin"]);
  });
});

Deno.test("AuthManager never resumes a chain rooted at an ambient provider from files", async () => {
  await withManager(CONFIG, async ({ manager, next, calls, dir }) => {
    await manager.session("deployer");
    // The files are written for children...
    await Deno.stat(join(dir, "fake", "runner", "deployer.json"));
    // ...but a later process does not trust them.
    const later = next();
    assert.equal(later.cachedSession("deployer"), undefined);
    calls.log.length = 0;
    await later.session("deployer");
    assert.deepEqual(calls.log, ["runner", "deployer"]);
  });
});

Deno.test("AuthManager gives children the target's pointers, every registered cloud's variables removed", async () => {
  await withManager(CONFIG, async ({ manager }) => {
    const session = await manager.session("admin");
    assert.equal(session.isolated, true);
    const parent = {
      PATH: "/usr/bin",
      FAKE_TOKEN: "raw",
      OTHER_TOKEN: "raw-other",
      FAKE_PROFILE: "someone-else",
      KEPT: "yes",
      STOLEN: "long-lived-secret-value",
      ALSO_STOLEN: "provider-secret-value",
    };
    const env = childEnvironment(parent, session, manager.configSecrets());
    assert.equal(env.FAKE_TOKEN, undefined, "the output's own unset list");
    assert.equal(env.OTHER_TOKEN, undefined, "another registered cloud's variables");
    assert.equal(env.STOLEN, undefined, "a configured long-lived secret, whatever its name");
    assert.equal(env.ALSO_STOLEN, undefined, "a secret in a provider's configuration too");
    assert.equal(env.KEPT, "yes");
    assert.equal(env.STAGE, "prod", "the identity's env entries");
    assert.equal(env.FAKE_PROFILE, "admin", "pointers win over the identity's env");
    assert.equal(env.FAKE_FILE, session.files.state);
    assert.equal(env.ATMOS_IDENTITY, "admin");
    assert.ok(!session.env.unset.includes("FAKE_PROFILE"), "nothing set is also unset");
  });
});

Deno.test("AuthManager passes the environment through for a pass-through identity, with no call", async () => {
  await withManager(CONFIG, async ({ manager, calls }) => {
    const session = await manager.session("local");
    assert.deepEqual(calls.log, []);
    assert.equal(session.source, "ambient");
    assert.equal(session.isolated, false);
    assert.deepEqual(session.files, {});
    const env = childEnvironment({ OTHER_TOKEN: "kept", FAKE_TOKEN: "kept" }, session);
    assert.deepEqual(env, {
      OTHER_TOKEN: "kept",
      FAKE_TOKEN: "kept",
      MODE: "local",
      ATMOS_IDENTITY: "local",
    });
  });
});

Deno.test("AuthManager puts a standalone kind's chain in its fixed directory", async () => {
  await withManager(CONFIG, async ({ manager, dir }) => {
    const session = await manager.session("solo");
    assert.equal(session.root, "fake-root");
    assert.equal(session.files.state, join(dir, "fake", "fake-root", "solo.json"));
    assert.deepEqual(manager.fixedRoots(), ["fake-root"]);
  });
});

Deno.test("AuthManager logs out exactly one identity, or a whole root under every output", async () => {
  await withManager(CONFIG, async ({ manager, dir }) => {
    await manager.session("admin");
    const other = join(dir, "other", "idp");
    await Deno.mkdir(other, { recursive: true });
    await Deno.writeTextFile(join(other, "x"), "another cloud's files of the same root");
    assert.deepEqual(await manager.logoutIdentity("admin", { dryRun: true }), [
      join(dir, "fake", "idp", "admin.json"),
    ]);
    await Deno.stat(join(dir, "fake", "idp", "admin.json"));
    await manager.logoutIdentity("admin");
    assert.equal(await Deno.stat(join(dir, "fake", "idp", "admin.json")).catch(() => null), null);
    await Deno.stat(join(dir, "fake", "idp", "base.json")); // kept
    const removed = await manager.logoutRoot("idp");
    assert.deepEqual(removed.sort(), [join(dir, "fake", "idp"), other].sort());
    assert.equal(await Deno.stat(join(dir, "fake", "idp")).catch(() => null), null);
  });
});

Deno.test("AuthManager refuses a configuration with any problem before any call, for every identity", async () => {
  const broken = CONFIG.replace("principal: { role: base, minutes: 120 }", "principal: {}");
  await withManager(broken, async ({ manager, calls }) => {
    for (const name of ["admin", "deployer", "solo", "local"]) {
      await assert.rejects(() => manager.session(name), ConfigError);
      assert.throws(() => manager.cachedSession(name), ConfigError);
    }
    assert.deepEqual(calls.log, []);
    const [problem] = manager.validate();
    assert.deepEqual(problem.configPath, ["auth", "identities", "base", "principal", "role"]);
  });
});

Deno.test("AuthManager scopes nothing by parsing dotted paths: a dotted identity name's problem stops it", async () => {
  const yaml = `
auth:
  providers:
    idp: { kind: fake/idp }
  identities:
    prod.admin:
      kind: fake/role
      via: { provider: idp }
      principal: { minutes: 60 }
`;
  await withManager(yaml, async ({ manager, calls }) => {
    await assert.rejects(() => manager.session("prod.admin"), ConfigError);
    assert.throws(() => manager.plannedSession("prod.admin"), ConfigError);
    assert.deepEqual(calls.log, []);
    assert.deepEqual(manager.validate()[0].configPath, [
      "auth",
      "identities",
      "prod.admin",
      "principal",
      "role",
    ]);
  });
});

Deno.test("AuthManager resolves mixed-case references the way the validator accepts them", async () => {
  const yaml = `
auth:
  providers:
    GitHub-CI: { kind: fake/idp }
  identities:
    Base:
      kind: fake/role
      via: { provider: github-ci }
      principal: { role: base }
    deploy:
      kind: fake/role
      via: { identity: base }
      principal: { role: deploy }
`;
  await withManager(yaml, async ({ manager, calls }) => {
    assert.deepEqual(manager.validate(), []);
    const session = await manager.session("DEPLOY");
    assert.equal(session.identity, "deploy");
    assert.equal(session.root, "GitHub-CI");
    assert.deepEqual(calls.log, ["GitHub-CI", "Base", "deploy"]);
  });
});

Deno.test("AuthManager reports a reference that matches two names ignoring case as ambiguous", async () => {
  const yaml = `
auth:
  providers:
    idp: { kind: fake/idp }
  identities:
    Base:
      kind: fake/role
      via: { provider: idp }
      principal: { role: a }
    other:
      kind: fake/role
      via: { identity: BASE }
      principal: { role: b }
`;
  await withManager(yaml, ({ manager }) => {
    // "Base" alone is not ambiguous; add a second one differing by case.
    assert.deepEqual(manager.validate(), []);
    return Promise.resolve();
  });
  const twice = yaml.replace(
    "    other:",
    "    base:\n      kind: fake/role\n      via: { provider: idp }\n      principal: { role: c }\n    other:",
  );
  await withManager(twice, async ({ manager, calls }) => {
    const messages = manager.validate().map((e) => e.message);
    assert.ok(
      messages.some((m) => /identity "BASE" is ambiguous: it matches "Base" and "base"/.test(m)),
      messages.join("\n"),
    );
    await assert.rejects(() => manager.session("other"), ConfigError);
    assert.throws(() => manager.resolveIdentity("BASE"), /ambiguous/);
    assert.equal(manager.resolveIdentity("base"), "base", "an exact name is never ambiguous");
    assert.deepEqual(calls.log, []);
  });
});

Deno.test("AuthManager plans a session's pointers without any call or file", async () => {
  await withManager(CONFIG, async ({ manager, calls, dir }) => {
    const planned = manager.plannedSession("admin");
    assert.equal(planned.source, "planned");
    assert.equal(planned.expiration, undefined);
    assert.equal(planned.env.set.FAKE_FILE, join(dir, "fake", "idp", "admin.json"));
    assert.deepEqual(calls.log, []);
    assert.equal(await Deno.stat(join(dir, "fake")).catch(() => null), null, "nothing written");
  });
});

Deno.test("AuthManager drops cached credentials the cloud refuses and authenticates again, once", async () => {
  await withManager(CONFIG, async ({ manager, next, calls, clock, dir }) => {
    await manager.session("admin");
    const base = join(dir, "fake", "idp", "base.json");
    const revoked = JSON.parse(await Deno.readTextFile(base)).secret;
    calls.refused.add(revoked);
    calls.log.length = 0;
    clock.now += 56 * MINUTE; // admin is stale, base (120 minutes) is fresh but revoked
    const session = await next().session("admin");
    assert.deepEqual(calls.log, ["admin", "idp", "base", "admin"]);
    assert.equal(session.source, "login");
    assert.notEqual(JSON.parse(await Deno.readTextFile(base)).secret, revoked, "base rewritten");
  });
});

Deno.test("AuthManager gives up after one retry when the cloud refuses again", async () => {
  await withManager(CONFIG, async ({ manager, next, calls, clock }) => {
    await manager.session("admin");
    // Every session of base is refused, the fresh one of the retry too.
    const refuseBase = new Proxy(calls.refused, {
      get: (target, key) =>
        key === "has"
          ? (secret: string) => secret.startsWith("secret-base-")
          : Reflect.get(target, key),
    });
    Object.defineProperty(calls, "refused", { value: refuseBase });
    calls.log.length = 0;
    clock.now += 56 * MINUTE;
    await assert.rejects(() => next().session("admin"), RefusedInputError);
    assert.deepEqual(calls.log, ["admin", "idp", "base", "admin"]);
  });
});

Deno.test("AuthManager treats a damaged cached link as a miss, never as still valid", async () => {
  await withManager(CONFIG, async ({ manager, next, calls, dir }) => {
    await manager.session("admin");
    const admin = join(dir, "fake", "idp", "admin.json");
    const text = await Deno.readTextFile(admin);
    await Deno.writeTextFile(admin, text.slice(0, text.length / 2)); // cut in half
    calls.log.length = 0;
    const later = next();
    assert.equal(later.cachedSession("admin"), undefined);
    await later.session("admin");
    assert.deepEqual(calls.log, ["admin"], "resumed at the fresh base");
  });
});

Deno.test("AuthManager logs an identity in once for callers starting together; the others use its result", async () => {
  await withManager(CONFIG, async ({ next, calls }) => {
    const sessions = await Promise.all(Array.from({ length: 8 }, () => next().session("admin")));
    assert.deepEqual(calls.log, ["idp", "base", "admin"], "one chain's calls between them");
    assert.equal(sessions.filter((s) => s.source === "login").length, 1);
    assert.equal(sessions.filter((s) => s.source === "cache").length, 7);
    assert.ok(sessions.every((s) => s.principal === "role/admin"));
  });
});

Deno.test("AuthManager renews an identity once for renewals starting together; the others use its session", async () => {
  await withManager(CONFIG, async ({ manager, next, calls, clock }) => {
    await manager.session("admin");
    calls.log.length = 0;
    clock.now += MINUTE; // a renewal's session ends later than the one it renews
    const renewed = await Promise.all(Array.from({ length: 6 }, () => next().renew("admin")));
    assert.deepEqual(calls.log, ["admin"], "one renewal of the target link between them");
    assert.equal(renewed.filter((s) => s.source === "login").length, 1);
    assert.equal(renewed.filter((s) => s.source === "cache").length, 5);
    // A renewal on its own always renews, however much is left.
    await next().renew("admin");
    assert.deepEqual(calls.log, ["admin", "admin"]);
  });
});

Deno.test("AuthManager lets every caller of an ambient chain authenticate (nothing to share)", async () => {
  await withManager(CONFIG, async ({ next, calls }) => {
    await Promise.all([next().session("deployer"), next().session("deployer")]);
    assert.equal(calls.count("runner"), 2);
    assert.equal(calls.count("deployer"), 2);
  });
});

Deno.test("AuthManager waits a bounded time for another process's login, then says so in one line", async () => {
  const progress: string[] = [];
  await withManager(
    CONFIG,
    async ({ manager, calls, dir }) => {
      const writer = directWriter(dir);
      let release!: () => void;
      const held = new Promise<void>((resolve) => release = resolve);
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => locked = resolve);
      const other = writer.withLock(loginLockPath(join(dir, "fake", "idp"), "admin"), () => {
        locked();
        return held;
      });
      await holding;
      await assert.rejects(
        () => manager.session("admin"),
        (error: Error) => {
          assert.match(
            error.message,
            /^another atmos process has been logging in to "admin" for more than 3\.5s; gave up waiting for it$/,
          );
          return true;
        },
      );
      assert.deepEqual(calls.log, []);
      release();
      await other;
      assert.equal((await manager.session("admin")).source, "login", "free again");
      assert.deepEqual(progress, ['Waiting for another atmos process to log in to "admin"…']);
    },
    {},
    {
      loginLockTimeoutMs: 3500,
      progress: (message) => {
        progress.push(message);
        return { update() {}, stop() {} };
      },
    },
  );
});
