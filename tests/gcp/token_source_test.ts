import assert from "node:assert/strict";
import { join } from "node:path";
import { envOf } from "../../lib/env.ts";
import { AtmosError } from "../../lib/errors.ts";
import { isGitHubActionsHost, resolveSubject } from "../../lib/gcp/token_source.ts";

const AUDIENCE =
  "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q";

/** A token endpoint on loopback that answers `{"value": <jwt>}` and records what it was asked. */
async function withTokenServer(
  fn: (url: string, seen: { url: string; authorization: string | null }[]) => Promise<void>,
): Promise<void> {
  const seen: { url: string; authorization: string | null }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    seen.push({ url: request.url, authorization: request.headers.get("authorization") });
    return Response.json({ value: "h.p.s" });
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/token?api-version=2.0`, seen);
  } finally {
    await server.shutdown();
  }
}

Deno.test("resolveSubject() uses the GitHub Actions URL without a token_source, with the provider's audience and the request token", async () => {
  await withTokenServer(async (url, seen) => {
    const env = envOf({
      ACTIONS_ID_TOKEN_REQUEST_URL: url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token",
    });
    const subject = await resolveSubject(undefined, AUDIENCE, env, "gha");
    assert.equal(subject.token, "h.p.s");
    assert.equal(subject.write, false);
    assert.equal(seen.length, 1);
    assert.equal(new URL(seen[0].url).searchParams.get("audience"), AUDIENCE);
    assert.equal(seen[0].authorization, "Bearer req-token");
    // Clients get the same URL and header, and fetch a fresh token themselves.
    assert.deepEqual(subject.credentialSource, {
      url: `${url}&audience=${encodeURIComponent(AUDIENCE).replace(/%20/g, "+")}`,
      headers: { Authorization: "Bearer req-token" },
      format: { type: "json", subject_token_field_name: "value" },
    });
  });
});

Deno.test("resolveSubject() refuses an ACTIONS_ID_TOKEN_REQUEST_URL off GitHub's hosts, and plain http off loopback", async () => {
  const cases = [
    ["https://token.example.com/x", /token\.example\.com is not a GitHub Actions OIDC host/],
    ["http://token.actions.githubusercontent.com/x", /must use https/],
  ] as const;
  for (const [url, message] of cases) {
    await assert.rejects(
      resolveSubject(undefined, AUDIENCE, envOf({ ACTIONS_ID_TOKEN_REQUEST_URL: url }), "gha"),
      (error: unknown) =>
        error instanceof AtmosError && error.exitCode === 2 && message.test(error.message),
    );
  }
  assert.ok(isGitHubActionsHost("token.actions.githubusercontent.com"));
  assert.ok(isGitHubActionsHost("run-actions-1-azure-eastus.actions.githubusercontent.com"));
  assert.ok(!isGitHubActionsHost("actions.githubusercontent.com.evil.test"));
});

Deno.test("resolveSubject() checks an explicit url against allowed_hosts, and sends its own request token", async () => {
  await withTokenServer(async (url, seen) => {
    const spec = { type: "url", url, request_token: "mine", allowed_hosts: ["127.0.0.1"] };
    const subject = await resolveSubject(
      spec,
      AUDIENCE,
      envOf({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runner" }),
      "p",
    );
    assert.equal(subject.token, "h.p.s");
    assert.equal(seen[0].authorization, "Bearer mine");
    assert.equal(new URL(seen[0].url).searchParams.get("audience"), null);
    await assert.rejects(
      resolveSubject({ ...spec, allowed_hosts: ["idp.example.com"] }, AUDIENCE, envOf({}), "p"),
      /127\.0\.0\.1 is not in token_source\.allowed_hosts/,
    );
    assert.equal(seen.length, 1);
  });
});

Deno.test("resolveSubject() reads a variable (for a file of atmos's) or points at the user's file", async () => {
  const fromEnv = await resolveSubject(
    { type: "environment", environment_variable: "MY_JWT" },
    AUDIENCE,
    envOf({ MY_JWT: " h.p.s\n" }),
    "p",
  );
  assert.deepEqual(fromEnv, { token: "h.p.s", credentialSource: { file: "" }, write: true });
  // As in Atmos, a token_source without a type reads a variable.
  const untyped = await resolveSubject(
    { environment_variable: "MY_JWT" },
    AUDIENCE,
    envOf({ MY_JWT: "x.y.z" }),
    "p",
  );
  assert.equal(untyped.token, "x.y.z");
  await assert.rejects(
    resolveSubject(
      { type: "environment", environment_variable: "MY_JWT" },
      AUDIENCE,
      envOf({}),
      "p",
    ),
    /The variable MY_JWT of provider "p" is empty/,
  );

  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "token");
    await Deno.writeTextFile(path, "f.i.le\n");
    const fromFile = await resolveSubject(
      { type: "file", file_path: path },
      AUDIENCE,
      envOf({}),
      "p",
    );
    assert.deepEqual(fromFile, { token: "f.i.le", credentialSource: { file: path }, write: false });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolveSubject() says how to configure a provider that has no token source", async () => {
  await assert.rejects(resolveSubject(undefined, AUDIENCE, envOf({}), "wif"), (error: unknown) => {
    assert.ok(error instanceof AtmosError);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /"wif" \(gcp\/workload-identity-federation\) has no token_source/);
    assert.match(error.hint ?? "", /id-token: write/);
    return true;
  });
});
