import assert from "node:assert/strict";
import { gcpCredentialSet } from "../../lib/gcp/credential_set.ts";

Deno.test("gcpCredentialSet() never prints its refresh token or subject token", () => {
  const set = gcpCredentialSet({
    plan: {
      base: {
        type: "authorized_user",
        client_id: "c",
        client_secret: "GOCSPX-secret-value",
        refresh_token: "1//0-refresh-value",
      },
      chain: ["t@p.iam.gserviceaccount.com"],
    },
    subject: { token: "eyJhbGciOi.subject.token", write: true },
    principal: "t@p.iam.gserviceaccount.com",
  });
  for (
    const text of [JSON.stringify(set), Deno.inspect(set), String(Deno.inspect({ nested: set }))]
  ) {
    for (
      const secret of ["GOCSPX-secret-value", "1//0-refresh-value", "eyJhbGciOi.subject.token"]
    ) {
      assert.ok(!text.includes(secret), `${secret} in ${text}`);
    }
    assert.ok(text.includes("t@p.iam.gserviceaccount.com"));
  }
  // The fields themselves are still there for the code that writes the files.
  assert.equal(set.plan.base.refresh_token, "1//0-refresh-value");
});
