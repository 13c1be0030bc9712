import assert from "node:assert/strict";
import {
  getSection,
  parseIni,
  removeSection,
  setSection,
  stringifyIni,
} from "../../lib/aws/ini.ts";

const MESSY = [
  "# user's own config, hand edited",
  "",
  "[default]",
  "region=eu-west-1",
  "output = json   ",
  "",
  "; about dev",
  "# second comment line",
  "[profile dev.admin]   ; trailing header comment",
  "  role_arn = arn:aws:iam::111111111111:role/Admin",
  "source_profile=default",
  "s3 =",
  "  max_concurrent_requests = 20",
  "  multipart_threshold = 64MB",
  "",
  "",
  "[sso-session corp]",
  "sso_start_url = https://corp.awsapps.com/start#/",
  "sso_region = us-east-1",
  "weird line without equals",
  "  ; indented comment",
  "[ spaced ]",
  "k=v=w",
].join("\n");

Deno.test("parseIni() and stringifyIni() round-trip a messy file byte for byte", () => {
  for (const text of [MESSY, MESSY + "\n", MESSY.replaceAll("\n", "\r\n") + "\r\n", "", "\n"]) {
    assert.equal(stringifyIni(parseIni(text)), text);
  }
});

Deno.test("parseIni() keeps sections in order with the comments directly above their headers", () => {
  const doc = parseIni(MESSY);
  assert.deepEqual(
    doc.sections.map((s) => s.name),
    ["default", "profile dev.admin", "sso-session corp", " spaced "],
  );
  assert.deepEqual(doc.preamble, ["# user's own config, hand edited", ""]);
  assert.deepEqual(doc.sections[1].comments, ["; about dev", "# second comment line"]);
  assert.deepEqual(doc.sections[2].comments, []);
});

Deno.test("getSection() trims keys and values and nests indented sub-properties", () => {
  const doc = parseIni(MESSY);
  assert.deepEqual(getSection(doc, "default"), { region: "eu-west-1", output: "json" });
  assert.deepEqual(getSection(doc, "profile dev.admin"), {
    role_arn: "arn:aws:iam::111111111111:role/Admin",
    source_profile: "default",
    s3: "",
    "s3.max_concurrent_requests": "20",
    "s3.multipart_threshold": "64MB",
  });
  assert.deepEqual(getSection(doc, "sso-session corp"), {
    sso_start_url: "https://corp.awsapps.com/start#/",
    sso_region: "us-east-1",
  });
  assert.deepEqual(
    getSection(doc, " spaced "),
    { k: "v=w" },
    '[ spaced ] is " spaced ", as botocore reads it',
  );
  assert.equal(getSection(doc, "profile missing"), undefined);
});

Deno.test("parseIni() keeps a token ending in '='", () => {
  const token = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+abc/def==";
  const doc = parseIni("");
  setSection(doc, "dev", { aws_session_token: token });
  const text = stringifyIni(doc);
  assert.equal(text, `[dev]\naws_session_token = ${token}\n`);
  assert.equal(getSection(parseIni(text), "dev")?.aws_session_token, token);
});

Deno.test("setSection() writes values with ';' and '#' raw, unquoted and unescaped", () => {
  const doc = parseIni("");
  setSection(doc, "x", { a: "json;semi", b: "x # not a comment", c: '"quoted"' });
  const text = stringifyIni(doc);
  assert.equal(text, '[x]\na = json;semi\nb = x # not a comment\nc = "quoted"\n');
  assert.deepEqual(getSection(parseIni(text), "x"), {
    a: "json;semi",
    b: "x # not a comment",
    c: '"quoted"',
  });
});

Deno.test("setSection() replaces one section in place and leaves the rest untouched", () => {
  const doc = parseIni(MESSY + "\n");
  setSection(doc, "profile dev.admin", { region: "us-east-1" });
  const expected = (MESSY + "\n").replace(
    [
      "  role_arn = arn:aws:iam::111111111111:role/Admin",
      "source_profile=default",
      "s3 =",
      "  max_concurrent_requests = 20",
      "  multipart_threshold = 64MB",
      "",
      "",
    ].join("\n"),
    "region = us-east-1\n\n",
  );
  assert.equal(stringifyIni(doc), expected);
});

Deno.test("setSection() appends a new section after a blank line", () => {
  const doc = parseIni("[a]\nx = 1");
  setSection(doc, "profile b.c", { region: "us-east-1" });
  assert.equal(stringifyIni(doc), "[a]\nx = 1\n\n[profile b.c]\nregion = us-east-1\n");
  const bare = parseIni("[a]\n");
  setSection(bare, "b", {});
  assert.equal(stringifyIni(bare), "[a]\n\n[b]\n");
  const crlf = parseIni("[a]\r\nx = 1\r\n");
  setSection(crlf, "b", { y: "2" }, { comment: "atmos: c" });
  assert.equal(stringifyIni(crlf), "[a]\r\nx = 1\r\n\r\n; atmos: c\r\n[b]\r\ny = 2\r\n");
});

Deno.test("setSection() writes the comment above the header and replaces an earlier atmos comment", () => {
  const doc = parseIni("[a]\nx = 1\n\n# mine\n; atmos: expiration=old\n[dev]\nk = v\n\n[z]\n");
  setSection(doc, "dev", { k: "w" }, { comment: "atmos: expiration=2026-08-20T18:04:05Z" });
  assert.equal(
    stringifyIni(doc),
    "[a]\nx = 1\n\n# mine\n; atmos: expiration=2026-08-20T18:04:05Z\n[dev]\nk = w\n\n[z]\n",
  );
  setSection(doc, "dev", { k: "w" });
  assert.equal(stringifyIni(doc), "[a]\nx = 1\n\n# mine\n[dev]\nk = w\n\n[z]\n");
});

Deno.test("setSection() merges duplicate sections into the first one", () => {
  const doc = parseIni("[d]\na = 1\n[e]\n[d]\nb = 2\n");
  assert.deepEqual(getSection(doc, "d"), { a: "1", b: "2" });
  setSection(doc, "d", { c: "3" });
  assert.equal(stringifyIni(doc), "[d]\nc = 3\n[e]\n");
});

Deno.test("setSection() rejects values, keys and names that would break the file", () => {
  const doc = parseIni("");
  assert.throws(() => setSection(doc, "x", { a: "line\nbreak" }), TypeError);
  assert.throws(() => setSection(doc, "x", { a: "carriage\rreturn" }), TypeError);
  assert.throws(() => setSection(doc, "x", { "a=b": "v" }), TypeError);
  assert.throws(() => setSection(doc, "x", { "; a": "v" }), TypeError);
  assert.throws(() => setSection(doc, "x]", { a: "v" }), TypeError);
  assert.throws(() => setSection(doc, "x", {}, { comment: "a\nb" }), TypeError);
  assert.throws(
    () => setSection(doc, "x", { aws_secret_access_key: "SECRET\n" }),
    (error: unknown) => error instanceof TypeError && !error.message.includes("SECRET"),
  );
  assert.equal(stringifyIni(doc), "");
});

Deno.test("removeSection() removes the section with its comments and reports whether it existed", () => {
  const doc = parseIni("[a]\nx = 1\n\n; atmos: expiration=t\n[b]\ny = 2\n\n[c]\nz = 3\n");
  assert.equal(removeSection(doc, "b"), true);
  assert.equal(stringifyIni(doc), "[a]\nx = 1\n\n[c]\nz = 3\n");
  assert.equal(removeSection(doc, "b"), false);
  assert.equal(removeSection(doc, "a"), true);
  assert.equal(removeSection(doc, "c"), true);
  assert.equal(stringifyIni(doc), "");
});
