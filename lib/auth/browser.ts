/**
 * Opens a URL in the user's browser: `open` on macOS, `wslview` under WSL, `xdg-open` on other
 * Unix systems, `rundll32 url.dll` on Windows. Best effort: the caller always prints the URL
 * too, so a missing opener is not an error.
 *
 * Hand-written: the `open` npm package is Node-only and adds nothing to one spawned command.
 *
 * @module
 */
import { type EnvGetter, inCi } from "../env.ts";

/** The opener command for this platform, or `undefined` when there is none. */
export function browserCommand(env: EnvGetter, os: string = Deno.build.os): string[] | undefined {
  if (os === "darwin") return ["open"];
  if (os === "windows") return ["rundll32", "url.dll,FileProtocolHandler"];
  if (env.get("WSL_DISTRO_NAME") || env.get("WSL_INTEROP")) return ["wslview"];
  return ["xdg-open"];
}

export { inCi };

/**
 * Starts the opener for `url` without waiting for it (its output is discarded). Returns false
 * when it could not be started.
 */
export function openBrowser(url: string, env: EnvGetter): boolean {
  const command = browserCommand(env);
  if (!command) return false;
  try {
    const child = new Deno.Command(command[0], {
      args: [...command.slice(1), url],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    child.status.catch(() => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** How {@linkcode openSecretUrl} ended. */
export type SecretUrlResult = "opened" | "no-browser" | "timeout";

/**
 * Opens a URL that carries a secret (a console sign-in token) without putting it in any
 * process's argv: the browser is pointed at a one-time loopback address
 * (`http://127.0.0.1:<port>/<random>`) that redirects to `url` once, then the server stops.
 * Resolves when the browser has fetched it, or after `timeoutMs`.
 */
export async function openSecretUrl(
  url: string,
  env: EnvGetter,
  timeoutMs = 120_000,
): Promise<SecretUrlResult> {
  const nonce = Array.from(
    crypto.getRandomValues(new Uint8Array(16)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const served = Promise.withResolvers<"opened">();
  let used = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    if (used || new URL(request.url).pathname !== `/${nonce}`) {
      return new Response("not found\n", { status: 404 });
    }
    used = true;
    served.resolve("opened");
    return new Response(null, {
      status: 303,
      headers: { location: url, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    });
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (!openBrowser(`http://127.0.0.1:${server.addr.port}/${nonce}`, env)) return "no-browser";
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    return await Promise.race([served.promise, timeout]);
  } finally {
    clearTimeout(timer);
    await server.shutdown();
  }
}
