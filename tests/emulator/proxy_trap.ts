/**
 * The proxy trap: an HTTP proxy on 127.0.0.1 that logs and refuses (403) every request and every
 * `CONNECT`. Tests point `HTTPS_PROXY`/`HTTP_PROXY` (and the lower-case forms) at it with
 * `NO_PROXY=127.0.0.1,localhost`: clients reach the emulator directly, and any attempt to leave
 * loopback (a hard-coded `login.microsoftonline.com`, a metadata-server probe) lands in the log
 * instead of on the network, so a test can assert the log is empty.
 *
 * Hand-written over `Deno.listen`: an HTTP server library would try to serve `CONNECT` itself; the
 * trap only needs the request line.
 *
 * @module
 */

/** A running proxy trap. */
export interface ProxyTrap {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** One line per refused request, `"<METHOD> <target>"` (e.g. `CONNECT login.microsoftonline.com:443`). */
  log(): string[];
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
}

/** The longest request head the trap reads before answering. */
const MAX_HEAD = 16 * 1024;

const REFUSAL = new TextEncoder().encode(
  "HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 47\r\n" +
    "connection: close\r\n\r\natmos test proxy trap: no traffic off loopback\n",
);

/** The request line of a head, or what was read when it has none. */
export function requestLine(head: Uint8Array): string {
  const text = new TextDecoder().decode(head);
  const end = text.indexOf("\r\n");
  const line = end >= 0 ? text.slice(0, end) : text;
  const [method = "", target = ""] = line.split(" ");
  return `${method} ${target}`.trim();
}

async function readHead(conn: Deno.Conn): Promise<Uint8Array> {
  const buffer = new Uint8Array(MAX_HEAD);
  let length = 0;
  while (length < MAX_HEAD) {
    const n = await conn.read(buffer.subarray(length));
    if (n === null) break;
    length += n;
    const seen = new TextDecoder().decode(buffer.subarray(0, length));
    if (seen.includes("\r\n\r\n")) break;
  }
  return buffer.subarray(0, length);
}

/** Starts a proxy trap on a random loopback port. */
export function startProxyTrap(): ProxyTrap {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const entries: string[] = [];
  const open = new Set<Deno.Conn>();
  const handled = new Set<Promise<void>>();

  async function handle(conn: Deno.Conn): Promise<void> {
    try {
      const head = await readHead(conn);
      if (head.length > 0) {
        // Logged before answering, so the entry exists by the time the client sees the 403.
        entries.push(requestLine(head));
        await conn.write(REFUSAL);
      }
    } catch {
      // The client went away, or stop() closed the connection.
    } finally {
      open.delete(conn);
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  }

  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        open.add(conn);
        const done = handle(conn);
        handled.add(done);
        done.finally(() => handled.delete(done));
      }
    } catch {
      // listener closed
    }
  })();

  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => [...entries],
    stop: async () => {
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      await accepting;
      await Promise.all([...handled]);
    },
  };
}

/** The proxy variables that send every off-loopback request of a client to `trapUrl`. */
export function trapEnv(trapUrl: string): Record<string, string> {
  return {
    HTTPS_PROXY: trapUrl,
    HTTP_PROXY: trapUrl,
    https_proxy: trapUrl,
    http_proxy: trapUrl,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
}
