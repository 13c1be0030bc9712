import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { awsFilesIn, readAwsCredentials } from "../../lib/aws/files.ts";
import { credentialDir } from "../../lib/fs/layout.ts";
import { removeAwsProfile, writeAwsCredentials } from "../../lib/aws/files_write.ts";
import type { AwsCredentials } from "../../lib/aws/types.ts";
import { checksumOf } from "../../lib/aws/checksum.ts";
import { directWriter } from "../../lib/fs/writer.ts";

/** The files of a root provider's chain, as the manager lays them out (lib/auth/links.ts). */
function awsFilePaths(configDir: string, rootProvider: string, realm?: string) {
  return awsFilesIn(credentialDir(configDir, "aws", rootProvider, realm));
}

const TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVz+LWVhc3QtMSJHMEUCIQ;#x==";

function sampleCreds(overrides: Partial<AwsCredentials> = {}): AwsCredentials {
  return {
    accessKeyId: "ASIAABCDEFGHIJKLWXYZ",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    sessionToken: TOKEN,
    expiration: new Date("2026-08-20T18:04:05.123Z"),
    region: "eu-central-1",
    ...overrides,
  };
}

/** The keys of sampleCreds() as the checksum covers them. */
function sampleKeys(): [string, string][] {
  const creds = sampleCreds();
  return [
    ["aws_access_key_id", creds.accessKeyId],
    ["aws_secret_access_key", creds.secretAccessKey],
    ["aws_session_token", TOKEN],
  ];
}

async function withTempConfig(fn: (configDir: string) => Promise<void>): Promise<void> {
  const base = await Deno.makeTempDir();
  try {
    await fn(join(base, "atmos"));
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

Deno.test("the AWS files of a chain follow the Atmos layout with and without a realm", () => {
  assert.deepEqual(awsFilePaths("/c/atmos", "sso"), {
    dir: "/c/atmos/aws/sso",
    credentials: "/c/atmos/aws/sso/credentials",
    config: "/c/atmos/aws/sso/config",
  });
  assert.equal(
    awsFilePaths("/c/atmos", "sso", "r1").credentials,
    "/c/atmos/r1/aws/sso/credentials",
  );
  assert.equal(awsFilePaths("/c/atmos", "sso", "").dir, "/c/atmos/aws/sso");
});

Deno.test("the AWS files of a chain refuse provider names and realms that are not one path segment", () => {
  for (const bad of ["", ".", "..", "a/b", "a\\b", "x\0"]) {
    assert.throws(() => awsFilePaths("/c/atmos", bad), ConfigError);
  }
  assert.throws(() => awsFilePaths("/c/atmos", "ok", "../up"), ConfigError);
});

Deno.test("writeAwsCredentials() writes files that readAwsCredentials() reads back", async () => {
  await withTempConfig(async (configDir) => {
    const writer = directWriter(configDir);
    const paths = awsFilePaths(configDir, "sso");
    await writeAwsCredentials(writer, paths, "dev-admin", sampleCreds());

    assert.equal(
      await Deno.readTextFile(paths.credentials),
      [
        `; atmos: checksum=${checksumOf(sampleKeys())}`,
        "; atmos: expiration=2026-08-20T18:04:05Z",
        "[dev-admin]",
        "aws_access_key_id = ASIAABCDEFGHIJKLWXYZ",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        `aws_session_token = ${TOKEN}`,
        "",
      ].join("\n"),
    );
    assert.equal(
      await Deno.readTextFile(paths.config),
      "[profile dev-admin]\nregion = eu-central-1\n",
    );
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(paths.credentials)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(paths.config)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(paths.dir)).mode! & 0o777, 0o700);
    }
    assert.deepEqual(
      await readAwsCredentials(paths, "dev-admin"),
      sampleCreds({ expiration: new Date("2026-08-20T18:04:05Z") }),
    );
    assert.equal(
      (await readAwsCredentials(paths, "dev-admin", "ap-south-1"))?.region,
      "ap-south-1",
    );
  });
});

Deno.test("writeAwsCredentials() omits the token, comment and region when absent", async () => {
  await withTempConfig(async (configDir) => {
    const writer = directWriter(configDir);
    const paths = awsFilePaths(configDir, "sso");
    await writeAwsCredentials(writer, paths, "dev", sampleCreds());
    await writeAwsCredentials(
      writer,
      paths,
      "dev",
      sampleCreds({ sessionToken: undefined, expiration: undefined, region: undefined }),
    );
    const text = await Deno.readTextFile(paths.credentials);
    assert.doesNotMatch(text, /atmos: expiration|aws_session_token/);
    assert.match(text, /^; atmos: checksum=crc32-[0-9a-f]{8}\n\[dev\]\n/);
    assert.equal(await Deno.readTextFile(paths.config), "[profile dev]\nregion = us-east-1\n");
    assert.deepEqual(await readAwsCredentials(paths, "dev"), {
      accessKeyId: "ASIAABCDEFGHIJKLWXYZ",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      region: "us-east-1",
    });
  });
});

Deno.test("writeAwsCredentials() updates the expiration comment and keeps other sections", async () => {
  await withTempConfig(async (configDir) => {
    const writer = directWriter(configDir);
    const paths = awsFilePaths(configDir, "sso", "realm1");
    await Deno.mkdir(paths.dir, { recursive: true });
    const credentialsBefore = [
      "# mine",
      "[other]",
      "aws_access_key_id = AKIAOTHER",
      "aws_secret_access_key = x;y#z",
      "",
      "; atmos: expiration=2020-01-01T00:00:00Z",
      "[dev]",
      "aws_access_key_id = OLD",
      "aws_secret_access_key = OLD",
      "aws_session_token = OLD",
      "",
      "[zzz]",
      "k = v",
      "",
    ].join("\n");
    await Deno.writeTextFile(paths.credentials, credentialsBefore);
    await Deno.writeTextFile(
      paths.config,
      "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = x\noutput = json\n\n[sso-session s]\nsso_region = us-east-1\n",
    );

    const expiration = new Date("2026-01-02T03:04:05Z");
    await writeAwsCredentials(writer, paths, "dev", sampleCreds({ expiration, region: "" }));

    assert.equal(
      await Deno.readTextFile(paths.credentials),
      credentialsBefore
        .replace(
          "; atmos: expiration=2020-01-01T00:00:00Z",
          `; atmos: checksum=${checksumOf(sampleKeys())}\n; atmos: expiration=2026-01-02T03:04:05Z`,
        )
        .replace("aws_access_key_id = OLD", "aws_access_key_id = ASIAABCDEFGHIJKLWXYZ")
        .replace(
          "aws_secret_access_key = OLD",
          `aws_secret_access_key = ${sampleCreds().secretAccessKey}`,
        )
        .replace("aws_session_token = OLD", `aws_session_token = ${TOKEN}`),
    );
    assert.equal(
      await Deno.readTextFile(paths.config),
      "[default]\nregion = eu-west-1\n\n[profile dev]\nregion = us-east-1\n\n[sso-session s]\nsso_region = us-east-1\n",
    );
    assert.equal(
      (await readAwsCredentials(paths, "dev"))?.expiration?.getTime(),
      expiration.getTime(),
    );
    assert.equal((await readAwsCredentials(paths, "other"))?.secretAccessKey, "x;y#z");
  });
});

Deno.test("writeAwsCredentials() uses [default] in the config file for the profile 'default'", async () => {
  await withTempConfig(async (configDir) => {
    const paths = awsFilePaths(configDir, "p");
    await writeAwsCredentials(directWriter(configDir), paths, "default", sampleCreds());
    assert.equal(await Deno.readTextFile(paths.config), "[default]\nregion = eu-central-1\n");
    assert.equal((await readAwsCredentials(paths, "default"))?.region, "eu-central-1");
  });
});

Deno.test("readAwsCredentials() returns undefined for a missing file, section or key", async () => {
  await withTempConfig(async (configDir) => {
    const paths = awsFilePaths(configDir, "p");
    assert.equal(await readAwsCredentials(paths, "dev"), undefined);
    await Deno.mkdir(paths.dir, { recursive: true });
    await Deno.writeTextFile(
      paths.credentials,
      "[nokey]\naws_secret_access_key = s\n[nosecret]\naws_access_key_id = a\n[ok]\naws_access_key_id = a\naws_secret_access_key = s\n",
    );
    assert.equal(await readAwsCredentials(paths, "dev"), undefined);
    assert.equal(await readAwsCredentials(paths, "nokey"), undefined);
    assert.equal(await readAwsCredentials(paths, "nosecret"), undefined);
    assert.deepEqual(await readAwsCredentials(paths, "ok"), {
      accessKeyId: "a",
      secretAccessKey: "s",
    });
  });
});

Deno.test("removeAwsProfile() removes both sections and deletes emptied files", async () => {
  await withTempConfig(async (configDir) => {
    const writer = directWriter(configDir);
    const paths = awsFilePaths(configDir, "sso");
    await writeAwsCredentials(writer, paths, "a", sampleCreds());
    await writeAwsCredentials(writer, paths, "b", sampleCreds({ region: "us-west-2" }));

    assert.equal(await removeAwsProfile(writer, paths, "a"), true);
    assert.equal(await readAwsCredentials(paths, "a"), undefined);
    assert.equal((await readAwsCredentials(paths, "b"))?.region, "us-west-2");
    assert.doesNotMatch(await Deno.readTextFile(paths.credentials), /\[a\]/);
    assert.equal(await Deno.readTextFile(paths.config), "[profile b]\nregion = us-west-2\n");

    assert.equal(await removeAwsProfile(writer, paths, "a"), false);
    assert.equal(await removeAwsProfile(writer, paths, "b"), true);
    await assert.rejects(Deno.stat(paths.credentials), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(paths.config), Deno.errors.NotFound);
    assert.equal(await removeAwsProfile(writer, paths, "b"), false);
  });
});

Deno.test("writeAwsCredentials() keeps all 20 profiles written concurrently to the same files", async () => {
  await withTempConfig(async (configDir) => {
    const writer = directWriter(configDir);
    const paths = awsFilePaths(configDir, "sso");
    const names = Array.from({ length: 20 }, (_, i) => `identity-${i}`);
    await Promise.all(names.map((name, i) =>
      writeAwsCredentials(writer, paths, name, {
        accessKeyId: `ASIA${String(i).padStart(16, "0")}`,
        secretAccessKey: `secret-${i}`,
        sessionToken: `${TOKEN}${i}=`,
        expiration: new Date(Date.UTC(2026, 0, 1, 0, i)),
        region: `region-${i}`,
      })
    ));
    for (const [i, name] of names.entries()) {
      assert.deepEqual(await readAwsCredentials(paths, name), {
        accessKeyId: `ASIA${String(i).padStart(16, "0")}`,
        secretAccessKey: `secret-${i}`,
        sessionToken: `${TOKEN}${i}=`,
        expiration: new Date(Date.UTC(2026, 0, 1, 0, i)),
        region: `region-${i}`,
      });
    }
    const leftovers = [...Deno.readDirSync(paths.dir)].map((e) => e.name).sort();
    assert.deepEqual(leftovers, ["config", "config.lock", "credentials", "credentials.lock"]);
  });
});

const BOTOCORE_SCRIPT = `
import json, botocore.session
s = botocore.session.Session(profile="dev.admin")
c = s.get_credentials().get_frozen_credentials()
print(json.dumps({"key": c.access_key, "secret": c.secret_key, "token": c.token,
                  "region": s.get_config_variable("region")}))
`;

function hasBotocore(): boolean {
  try {
    return new Deno.Command("python3", {
      args: ["-c", "import botocore"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

Deno.test({
  name: "writeAwsCredentials() writes files botocore reads back exactly",
  ignore: !hasBotocore(),
  async fn() {
    await withTempConfig(async (configDir) => {
      const paths = awsFilePaths(configDir, "sso");
      await writeAwsCredentials(directWriter(configDir), paths, "dev.admin", sampleCreds());
      const output = await new Deno.Command("python3", {
        args: ["-c", BOTOCORE_SCRIPT],
        clearEnv: true,
        env: {
          PATH: Deno.env.get("PATH") ?? "",
          HOME: Deno.env.get("HOME") ?? "",
          AWS_SHARED_CREDENTIALS_FILE: paths.credentials,
          AWS_CONFIG_FILE: paths.config,
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
      assert.deepEqual(JSON.parse(new TextDecoder().decode(output.stdout)), {
        key: sampleCreds().accessKeyId,
        secret: sampleCreds().secretAccessKey,
        token: TOKEN,
        region: "eu-central-1",
      });
    });
  },
});

Deno.test("readAwsCredentials() reads nothing from a file botocore cannot parse or a damaged section", async () => {
  await withTempConfig(async (configDir) => {
    const writer = directWriter(configDir);
    const paths = awsFilePaths(configDir, "sso");
    await writeAwsCredentials(writer, paths, "dev", sampleCreds());
    await writeAwsCredentials(writer, paths, "prod", sampleCreds());
    const good = await Deno.readTextFile(paths.credentials);
    const config = await Deno.readTextFile(paths.config);
    assert.ok(readAwsCredentials(paths, "dev"));
    const damaged: Record<string, string | Uint8Array> = {
      "binary garbage": new Uint8Array([0x5b, 0x64, 0x65, 0x76, 0x5d, 0x0a, 0xc3, 0x28, 0xff]),
      "a duplicated section": `${good}\n[dev]\naws_access_key_id = X\n`,
      "a line outside any section": `stray = 1\n${good}`,
      "a line that is not name = value": good.replace("[prod]", "[prod]\ngarbage"),
      "a token cut short": good.slice(0, good.indexOf(TOKEN) + 20),
      "a token changed in place": good.replace(TOKEN, TOKEN.replace("J", "K")),
      "a token continued on the next line": good.replace(`${TOKEN}\n`, `${TOKEN}\n  more\n`),
    };
    for (const [what, content] of Object.entries(damaged)) {
      if (typeof content === "string") await Deno.writeTextFile(paths.credentials, content);
      else await Deno.writeFile(paths.credentials, content);
      const read = readAwsCredentials(paths, "dev");
      assert.equal(read, undefined, what);
    }
    await Deno.writeTextFile(paths.credentials, good);
    await Deno.writeTextFile(paths.config, `${config}\n[profile dev]\nregion = x\n`);
    assert.equal(readAwsCredentials(paths, "dev"), undefined, "a config file boto3 cannot read");
  });
});

Deno.test("readAwsCredentials() reads a section without a checksum line (Atmos's or an older atmos's) as it is", async () => {
  await withTempConfig(async (configDir) => {
    const paths = awsFilePaths(configDir, "sso");
    await Deno.mkdir(paths.dir, { recursive: true });
    await Deno.writeTextFile(
      paths.credentials,
      `; atmos: expiration=2026-08-20T18:04:05Z\n[dev]\naws_access_key_id     = AKIA1\naws_secret_access_key = S\naws_session_token     = ${TOKEN}\n`,
    );
    assert.deepEqual(readAwsCredentials(paths, "dev"), {
      accessKeyId: "AKIA1",
      secretAccessKey: "S",
      sessionToken: TOKEN,
      expiration: new Date("2026-08-20T18:04:05Z"),
    });
  });
});

Deno.test("writeAwsCredentials() moves a file botocore cannot parse aside, says so in one line, and writes it anew", async () => {
  await withTempConfig(async (configDir) => {
    const writer = directWriter(configDir);
    const paths = awsFilePaths(configDir, "sso");
    await Deno.mkdir(paths.dir, { recursive: true });
    const garbage = new Uint8Array([0x00, 0xff, 0x5b, 0x0a, 0x80, 0x41]);
    await Deno.writeFile(paths.credentials, garbage);
    await Deno.writeTextFile(
      paths.config,
      "[profile dev]\nregion = a\n[profile dev]\nregion = b\n",
    );
    const notices: string[] = [];
    await writeAwsCredentials(writer, paths, "dev", sampleCreds(), {
      notice: (text) => notices.push(text),
    });
    assert.equal(notices.length, 2, notices.join("\n"));
    for (const [notice, file] of notices.map((n, i) => [n, [paths.credentials, paths.config][i]])) {
      assert.ok(!notice.includes("\n"), "one line");
      assert.match(
        notice,
        /^warning: .+ could not be read \(.+\); moved it to .+\.corrupt-\S+ and wrote a new one$/,
      );
      assert.ok(notice.startsWith(`warning: ${file} `));
    }
    const entries = [...Deno.readDirSync(paths.dir)].map((e) => e.name).sort();
    const aside = entries.filter((name) => name.includes(".corrupt-"));
    assert.equal(aside.length, 2, entries.join(" "));
    const kept = aside.find((name) => name.startsWith("credentials."))!;
    assert.deepEqual(await Deno.readFile(join(paths.dir, kept)), garbage, "kept byte for byte");
    assert.equal((await Deno.stat(join(paths.dir, kept))).mode! & 0o777, 0o600);
    assert.deepEqual(readAwsCredentials(paths, "dev")?.sessionToken, TOKEN);
    assert.equal(await Deno.readTextFile(paths.config), "[profile dev]\nregion = eu-central-1\n");
  });
});
