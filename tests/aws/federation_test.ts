import { envOf } from "../../lib/env.ts";
import assert from "node:assert/strict";
import {
  consoleDestination,
  DEFAULT_DESTINATION,
  loginUrl,
  resolveSigninEndpoint,
} from "../../lib/aws/federation.ts";

Deno.test("consoleDestination() maps aliases with the region, keeps https URLs, refuses the rest", () => {
  assert.equal(consoleDestination(undefined), DEFAULT_DESTINATION);
  assert.equal(
    consoleDestination("S3", "eu-west-1"),
    "https://console.aws.amazon.com/s3/home?region=eu-west-1",
  );
  assert.equal(
    consoleDestination("logs", "us-east-1"),
    "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:",
  );
  assert.equal(
    consoleDestination("https://eu-west-1.console.aws.amazon.com/ec2/home"),
    "https://eu-west-1.console.aws.amazon.com/ec2/home",
  );
  assert.equal(consoleDestination("s4"), undefined);
  assert.equal(consoleDestination("http://console.aws.amazon.com/"), undefined);
});

Deno.test("resolveSigninEndpoint() prefers the configured URL, then AWS_ENDPOINT_URL_SIGNIN, and refuses plain http off loopback", () => {
  const env = (vars: Record<string, string>) => envOf(vars);
  assert.equal(resolveSigninEndpoint(undefined, env({})), "https://signin.aws.amazon.com");
  assert.equal(
    resolveSigninEndpoint(undefined, env({ AWS_ENDPOINT_URL_SIGNIN: "http://127.0.0.1:4566/" })),
    "http://127.0.0.1:4566",
  );
  assert.equal(
    resolveSigninEndpoint("https://signin.example/", env({ AWS_ENDPOINT_URL_SIGNIN: "x" })),
    "https://signin.example",
  );
  assert.throws(() => resolveSigninEndpoint("http://signin.example", env({})), /must use https/);
});

Deno.test("loginUrl() encodes every parameter", () => {
  const url = new URL(loginUrl("https://signin.aws.amazon.com", {
    signinToken: "a+b/c=",
    destination: "https://console.aws.amazon.com/s3/home?region=eu-west-1",
    issuer: "atmos & co",
  }));
  assert.equal(url.searchParams.get("Action"), "login");
  assert.equal(url.searchParams.get("SigninToken"), "a+b/c=");
  assert.equal(url.searchParams.get("Issuer"), "atmos & co");
  assert.equal(
    url.searchParams.get("Destination"),
    "https://console.aws.amazon.com/s3/home?region=eu-west-1",
  );
});
