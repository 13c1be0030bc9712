import assert from "node:assert/strict";
import { AtmosError } from "../../lib/errors.ts";
import {
  type AdcJson,
  gcloudAuth,
  type GcpPlan,
  impersonate,
  planOf,
  renderAdc,
  targetOf,
} from "../../lib/gcp/adc.ts";
import { external, USER } from "./fixtures.ts";

const IAM = "https://iam.example.test/";
const EXTERNAL = external("/run/jwt");
const url = (email: string) => `${IAM}v1/projects/-/serviceAccounts/${email}:generateAccessToken`;

Deno.test("planOf() keeps a user's authorized_user file as the base", () => {
  assert.deepEqual(planOf(USER, "adc.json"), { base: USER, chain: [] });
});

Deno.test("planOf() takes an impersonated_service_account apart, delegates in either form", () => {
  const plan = planOf({
    type: "impersonated_service_account",
    service_account_impersonation_url: url("t@p.iam.gserviceaccount.com"),
    delegates: [
      "projects/-/serviceAccounts/d1@p.iam.gserviceaccount.com",
      "d2@p.iam.gserviceaccount.com",
    ],
    source_credentials: USER,
  }, "adc.json");
  assert.deepEqual(plan.base, USER);
  assert.deepEqual(plan.chain, [
    "d1@p.iam.gserviceaccount.com",
    "d2@p.iam.gserviceaccount.com",
    "t@p.iam.gserviceaccount.com",
  ]);
});

Deno.test("planOf() moves an external_account's own impersonation into the chain, with its lifetime", () => {
  const plan = planOf({
    ...EXTERNAL,
    service_account_impersonation_url: url("sa@p.iam.gserviceaccount.com"),
    service_account_impersonation: { token_lifetime_seconds: 1800 },
  }, "adc.json");
  assert.deepEqual(plan, {
    base: EXTERNAL,
    chain: ["sa@p.iam.gserviceaccount.com"],
    lifetimeSeconds: 1800,
  });
});

Deno.test("planOf() refuses credentials atmos cannot mint from, naming the file", () => {
  for (const json of [{ type: "service_account" }, { type: "gdch_service_account" }, {}, "text"]) {
    assert.throws(() => planOf(json, "/home/u/adc.json"), (error: unknown) => {
      assert.ok(error instanceof AtmosError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /\/home\/u\/adc\.json/);
      return true;
    });
  }
});

Deno.test("renderAdc() wraps a user in an impersonated_service_account, as gcloud writes it", () => {
  const plan = impersonate({ base: USER, chain: [] }, "t@p.iam.gserviceaccount.com", [
    "d@p.iam.gserviceaccount.com",
  ]);
  assert.deepEqual(renderAdc(plan, IAM), {
    type: "impersonated_service_account",
    service_account_impersonation_url: url("t@p.iam.gserviceaccount.com"),
    delegates: ["projects/-/serviceAccounts/d@p.iam.gserviceaccount.com"],
    source_credentials: USER,
  });
  assert.deepEqual(gcloudAuth(plan, IAM), {
    credentials: USER,
    impersonate: "d@p.iam.gserviceaccount.com,t@p.iam.gserviceaccount.com",
  });
});

Deno.test("renderAdc() puts the first service account of a federation in the external_account itself", () => {
  const one: GcpPlan = {
    base: EXTERNAL,
    chain: ["sa@p.iam.gserviceaccount.com"],
    lifetimeSeconds: 600,
  };
  const single = renderAdc(one, IAM);
  assert.equal(single.type, "external_account");
  assert.equal(single.service_account_impersonation_url, url("sa@p.iam.gserviceaccount.com"));
  assert.deepEqual(single.service_account_impersonation, { token_lifetime_seconds: 600 });
  assert.deepEqual(gcloudAuth(one, IAM), { credentials: single });

  const two = impersonate(one, "t@p.iam.gserviceaccount.com");
  const wrapped = renderAdc(two, IAM);
  assert.equal(wrapped.type, "impersonated_service_account");
  assert.deepEqual(wrapped.delegates, []);
  const source = wrapped.source_credentials as AdcJson;
  assert.equal(source.service_account_impersonation_url, url("sa@p.iam.gserviceaccount.com"));
  assert.equal(source.service_account_impersonation, undefined);
  assert.deepEqual(gcloudAuth(two, IAM), {
    credentials: source,
    impersonate: "t@p.iam.gserviceaccount.com",
  });
});

Deno.test("planOf() reads back what renderAdc() writes", () => {
  const plans: GcpPlan[] = [
    { base: USER, chain: [] },
    { base: USER, chain: ["a@p.iam.gserviceaccount.com", "b@p.iam.gserviceaccount.com"] },
    { base: EXTERNAL, chain: [] },
    { base: EXTERNAL, chain: ["a@p.iam.gserviceaccount.com"] },
    {
      base: EXTERNAL,
      chain: [
        "a@p.iam.gserviceaccount.com",
        "b@p.iam.gserviceaccount.com",
        "c@p.iam.gserviceaccount.com",
      ],
    },
  ];
  for (const plan of plans) {
    const back = planOf(JSON.parse(JSON.stringify(renderAdc(plan, IAM))), "x");
    assert.deepEqual(back.base, plan.base);
    assert.deepEqual(back.chain, plan.chain);
    assert.equal(targetOf(back), plan.chain.at(-1));
  }
});
