/**
 * The emulator's flaky front door: a second loopback port that forwards every connection to the
 * emulator, except that it closes the next N connections as soon as they are accepted — a
 * connection failure for the client (`connection closed before message completed`), which no
 * HTTP answer can imitate.
 *
 * @module
 */

import type { EmulatorState } from "./state.ts";

/** A running proxy. */
export interface FlakyProxy {
  port: number;
  /** Stops accepting and closes every open connection. */
  stop(): Promise<void>;
}

/** Starts forwarding a new loopback port to `upstreamPort`. */
export function startFlakyProxy(state: EmulatorState, upstreamPort: number): FlakyProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const forward = async (conn: Deno.Conn) => {
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: upstreamPort });
    } catch {
      conn.close();
      return;
    }
    open.add(conn);
    open.add(upstream);
    await Promise.allSettled([
      conn.readable.pipeTo(upstream.writable),
      upstream.readable.pipeTo(conn.writable),
    ]);
    for (const end of [conn, upstream]) {
      if (open.delete(end)) closeQuietly(end);
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        if (state.dropConnections > 0) {
          state.dropConnections--;
          conn.close();
          continue;
        }
        forward(conn);
      }
    } catch {
      // The listener was closed.
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async stop() {
      listener.close();
      for (const conn of open) closeQuietly(conn);
      open.clear();
      await accepting;
    },
  };
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}
