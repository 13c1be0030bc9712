import assert from "node:assert/strict";
import { AWS_REGION, awsSettingProblems } from "../../lib/aws/settings_check.ts";
import { ConfigError } from "../../lib/errors.ts";
import type { IssueFn } from "../../lib/auth/kind.ts";

const issue: IssueFn = (path, message) => new ConfigError(message, { configPath: path });

Deno.test("AWS regions are AWS's shape, never free text for a host name", () => {
  for (
    const region of ["us-east-1", "eu-west-2", "us-gov-west-1", "cn-north-1", "us-isob-east-1"]
  ) {
    assert.ok(AWS_REGION.test(region), region);
  }
  for (
    const region of ["evil.example/#", "us-east-1.evil.example", "us east 1", "US-EAST-1", "x"]
  ) {
    const [problem] = awsSettingProblems({ principal: { region } }, issue, [[
      "principal",
      "region",
    ]]);
    assert.ok(problem, region);
    assert.deepEqual(problem.configPath, ["principal", "region"]);
  }
});

Deno.test("spec.endpoint_url must be an http(s) URL", () => {
  for (const url of ["https://sts.us-east-1.amazonaws.com", "http://127.0.0.1:4566/"]) {
    assert.deepEqual(awsSettingProblems({ spec: { endpoint_url: url } }, issue, []), []);
  }
  for (const url of ["ftp://x", "sts.amazonaws.com", "file:///etc/passwd", "javascript:alert(1)"]) {
    const [problem] = awsSettingProblems({ spec: { endpoint_url: url } }, issue, []);
    assert.ok(problem, url);
    assert.deepEqual(problem.configPath, ["spec", "endpoint_url"]);
  }
});
