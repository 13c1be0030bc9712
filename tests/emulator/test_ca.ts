/**
 * A throw-away test CA and a server certificate for `127.0.0.1` and `localhost` (and Google's
 * OAuth, STS and IAM Credentials host names, which the proxy trap can forward to the emulator:
 * see `GcpOptions.googleHosts`), made with the
 * `openssl` command (Debian's, always on our machines) so the emulator can serve https that real
 * clients trust through `NODE_EXTRA_CA_CERTS`, `REQUESTS_CA_BUNDLE` or `DENO_CERT`.
 *
 * Made once per process (P-256 keys: about 80 ms) in a private temp dir that is removed when the
 * process unloads. Hand-written: no npm library both creates X.509 certificates and is already a
 * dependency, and three openssl commands are the recipe the clients were tested with.
 *
 * @module
 */

import { join } from "node:path";

/** The files of the test CA and the server certificate it signed. */
export interface TestCa {
  /** Directory holding every file (0700). */
  dir: string;
  /** The CA certificate (PEM): what clients must trust. */
  caFile: string;
  /** The server certificate (PEM) for 127.0.0.1, localhost and {@linkcode GOOGLE_HOSTS}. */
  certPem: string;
  /** The server's private key (PEM). */
  keyPem: string;
}

/** Google's real host names the server certificate also covers. */
export const GOOGLE_HOSTS = [
  "oauth2.googleapis.com",
  "sts.googleapis.com",
  "iamcredentials.googleapis.com",
] as const;

let pending: Promise<TestCa> | undefined;

async function openssl(dir: string, args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output().catch((error) => {
    throw new Error(`test CA: cannot run openssl (${(error as Error).message})`);
  });
  if (out.code !== 0) {
    const stderr = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`test CA: openssl ${args[0]} failed: ${stderr}`);
  }
}

async function create(): Promise<TestCa> {
  const dir = await Deno.makeTempDir({ prefix: "atmos-test-ca-" });
  globalThis.addEventListener("unload", () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // already gone
    }
  });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(dir, [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=atmos-test-ca",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await openssl(dir, [
    "req",
    ...ec,
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=127.0.0.1",
  ]);
  await Deno.writeTextFile(
    join(dir, "server.ext"),
    `subjectAltName=IP:127.0.0.1,DNS:localhost,${GOOGLE_HOSTS.map((h) => `DNS:${h}`).join(",")}\n` +
      "basicConstraints=CA:FALSE\n" +
      "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(dir, [
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "server.ext",
  ]);
  return {
    dir,
    caFile: join(dir, "ca.pem"),
    certPem: await Deno.readTextFile(join(dir, "server.pem")),
    keyPem: await Deno.readTextFile(join(dir, "server.key")),
  };
}

/** The process's test CA, made on first use. */
export function testCa(): Promise<TestCa> {
  pending ??= create().catch((error) => {
    pending = undefined;
    throw error;
  });
  return pending;
}
