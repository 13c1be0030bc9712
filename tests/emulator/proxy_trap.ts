/**
 * The proxy trap: an HTTP proxy on 127.0.0.1 that logs and refuses (403) every request and every
 * `CONNECT`. Tests point `HTTPS_PROXY`/`HTTP_PROXY` (and the lower-case forms) at it with
 * `NO_PROXY=127.0.0.1,localhost`: clients reach the emulator directly, and any attempt to leave
 * loopback (a hard-coded `login.microsoftonline.com`, a metadata-server probe) lands in the log
 * instead of on the network, so a test can assert the log is empty.
 *
 * Optionally, `CONNECT`s to chosen hosts are forwarded to a loopback port instead (the emulator's
 * TLS listener, whose certificate also names Google's hosts): a client that can only talk to
 * `oauth2.googleapis.com` reaches the emulator without anything leaving loopback. Those are
 * listed by `forwarded()`, never in `log()`.
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
  /** One `"<host>:<port>"` per tunnel forwarded to loopback (see {@linkcode TrapOptions.forward}). */
  forwarded(): string[];
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

/** Options of {@linkcode startProxyTrap}. */
export interface TrapOptions {
  /** The loopback port a `CONNECT <target>` is tunnelled to instead of refused, if any. */
  forward?(target: string): number | undefined;
}

const ESTABLISHED = new TextEncoder().encode("HTTP/1.1 200 Connection established\r\n\r\n");

/** Pipes bytes both ways until either side closes. */
async function tunnel(client: Deno.Conn, port: number, open: Set<Deno.Conn>): Promise<void> {
  const upstream = await Deno.connect({ hostname: "127.0.0.1", port });
  open.add(upstream);
  const pump = async (from: Deno.Conn, to: Deno.Conn) => {
    const buffer = new Uint8Array(16 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        let sent = 0;
        while (sent < n) sent += await to.write(buffer.subarray(sent, n));
      }
    } catch {
      // either side went away
    }
    for (const conn of [from, to]) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  };
  await Promise.all([pump(client, upstream), pump(upstream, client)]);
  open.delete(upstream);
}

/** Starts a proxy trap on a random loopback port. */
export function startProxyTrap(options: TrapOptions = {}): ProxyTrap {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const entries: string[] = [];
  const forwarded: string[] = [];
  const open = new Set<Deno.Conn>();
  const handled = new Set<Promise<void>>();

  async function handle(conn: Deno.Conn): Promise<void> {
    try {
      const head = await readHead(conn);
      const [method, target = ""] = requestLine(head).split(" ");
      const port = method === "CONNECT" ? options.forward?.(target) : undefined;
      if (port !== undefined) {
        forwarded.push(target);
        await conn.write(ESTABLISHED);
        await tunnel(conn, port, open);
      } else if (head.length > 0) {
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
    forwarded: () => [...forwarded],
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
