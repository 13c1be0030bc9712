import assert from "node:assert/strict";
import {
  emailProblem,
  listProblems,
  locationProblem,
  poolIdProblem,
  projectProblem,
  settingProblems,
} from "../../lib/gcp/validate.ts";
import { chainProject, chainScopes, chainZone, projectOfEmail } from "../../lib/gcp/link.ts";

Deno.test("the shape checks accept Google's identifiers and refuse near misses", () => {
  for (const ok of ["a@p-1.iam.gserviceaccount.com", "123-compute@developer.gserviceaccount.com"]) {
    assert.equal(emailProblem(ok), undefined, ok);
  }
  for (
    const bad of ["a@gmail.com", "a@p.iam.gserviceaccount.com.evil", "@p.iam.gserviceaccount.com"]
  ) {
    assert.ok(emailProblem(bad), bad);
  }
  assert.equal(projectProblem("my-proj"), undefined);
  for (const bad of ["abc", "My-Proj", "1proj-abc", "proj-"]) assert.ok(projectProblem(bad), bad);
  assert.equal(poolIdProblem("github-pool"), undefined);
  assert.ok(poolIdProblem("p"));
  assert.equal(locationProblem("us-central1-b"), undefined);
  assert.ok(locationProblem("US_EAST"));
});

Deno.test("settingProblems() and listProblems() locate what is missing or malformed", () => {
  const issue = (path: (string | number)[], message: string, hint?: string) => ({
    path,
    message,
    hint,
  });
  assert.deepEqual(
    settingProblems({ zone: "Bad" }, "principal", [
      { key: "project_id", shape: projectProblem, required: "name the project" },
      { key: "zone", shape: locationProblem },
    ], issue),
    [
      {
        path: ["principal", "project_id"],
        message: "principal.project_id is required",
        hint: "name the project",
      },
      {
        path: ["principal", "zone"],
        message: '"Bad" is not a region or zone name',
        hint: undefined,
      },
    ],
  );
  assert.deepEqual(
    listProblems(
      { delegates: ["ok@p.iam.gserviceaccount.com", "bad"] },
      "principal",
      "delegates",
      emailProblem,
      issue,
    )
      .map((p) => p.path),
    [["principal", "delegates", 1]],
  );
});

Deno.test("chain lookups take the nearest link's setting, a service account's project from its e-mail", () => {
  const sa = {
    kind: "gcp/service-account",
    principal: { service_account_email: "x@from-email.iam.gserviceaccount.com" },
  };
  const adc = { kind: "gcp/adc", spec: { project_id: "provider-proj", scopes: ["s1"] } };
  assert.equal(chainProject({ config: sa, upstream: [{ config: adc }] }), "from-email");
  assert.equal(
    chainProject({ config: { kind: "gcp/project", principal: {} }, upstream: [{ config: adc }] }),
    "provider-proj",
  );
  assert.deepEqual(chainScopes({ config: sa, upstream: [{ config: adc }] }), ["s1"]);
  assert.deepEqual(chainScopes({ config: sa, upstream: [] }), [
    "https://www.googleapis.com/auth/cloud-platform",
  ]);
  assert.equal(
    chainZone({
      config: { kind: "gcp/project", principal: { location: "eu-west1-c" } },
      upstream: [],
    }),
    "eu-west1-c",
  );
  assert.equal(projectOfEmail("123-compute@developer.gserviceaccount.com"), undefined);
});
