/**
 * `auth console`'s one-time loopback link under a hostile local process: the "browser" atmos
 * starts first requests wrong paths (as a process scanning loopback ports would), which get 404
 * with no token in body or headers and do not use the link up; the right path redirects once to
 * a sign-in URL the emulator issued; after that the link is refused.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertNoSecrets } from "./harness.ts";
import { runApproved, setUpSso } from "./sso_support.ts";

/** A stand-in browser that probes wrong paths first, then the right one twice, and logs JSON. */
function probingBrowser(log: string): string {
  return `#!/usr/bin/python3
import json, sys, urllib.request, urllib.error
class Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
opener = urllib.request.build_opener(Keep)
def get(url):
    try:
        r = opener.open(url, timeout=5)
        return [url, r.status, dict(r.headers), r.read().decode()]
    except urllib.error.HTTPError as e:
        return [url, e.code, dict(e.headers), e.read().decode()]
    except Exception as e:
        return [url, 0, {}, type(e).__name__]
link = sys.argv[1]
base, nonce = link.rsplit("/", 1)
wrong = [base + "/", base + "/" + nonce[:-1], base + "/" + nonce.upper(), link + "/x", base + "/favicon.ico"]
answers = [get(u) for u in wrong] + [get(link), get(link)]
with open(${JSON.stringify(log)}, "w") as out:
    json.dump({"link": link, "answers": answers}, out)
`;
}

Deno.test("the console's loopback link: wrong paths get a bare 404, the right one redirects once, then it is refused", async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  try {
    assert.equal((await runApproved(setup, ["auth", "login", "--no-browser"])).code, 0);
    const log = join(sb.home, "probe.json");
    await Deno.writeTextFile(join(sb.home, "bin", "xdg-open"), probingBrowser(log), {
      mode: 0o755,
    });
    const opened = await sb.run(["auth", "console"]);
    assert.equal(opened.code, 0, opened.stderr);
    const { link, answers } = JSON.parse(await Deno.readTextFile(log)) as {
      link: string;
      answers: [string, number, Record<string, string>, string][];
    };
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}$/);
    const wrong = answers.slice(0, 5);
    const [right, again] = answers.slice(5);
    for (const [url, status, headers, body] of wrong) {
      assert.equal(status, 404, url);
      const shown = JSON.stringify(headers) + body;
      assert.doesNotMatch(shown, /SigninToken|federation|location/i, url);
      assertNoSecrets(emu.secrets(), { [url]: shown });
    }
    assert.equal(right[1], 303);
    const location = new URL(right[2]["Location"] ?? right[2]["location"]);
    assert.ok(emu.signinSession(location.searchParams.get("SigninToken")!), "a real sign-in token");
    assert.ok(again[1] === 404 || again[1] === 0, `the second use got ${again[1]}`);
    assert.doesNotMatch(JSON.stringify(again), /SigninToken/);
    assertNoSecrets(emu.secrets(), { stdout: opened.stdout, stderr: opened.stderr });
  } finally {
    await setup.cleanup();
  }
});
