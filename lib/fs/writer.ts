/**
 * The sandboxed writer: the only code that writes files.
 *
 * The process starts with `--allow-write --unstable-worker-options --no-prompt`.
 * {@linkcode openSandboxedWriter} spawns one worker whose write permission is only the writer root
 * (`<config>/atmos`), then revokes write permission in the main thread, so every later write is a
 * message to that worker. This module is also the worker's entry point (same-file worker pattern),
 * so it must stay free of npm imports.
 *
 * @module
 */

import { resolve } from "./path.ts";
import { revokeWrite } from "./revoke.ts";
import { AtmosError } from "../errors.ts";
import { writerRoot } from "./guard.ts";
import { checkConfigRoot } from "./config_root.ts";
import { type HeldLock, LockTimeoutError } from "./lock.ts";
import { DEFAULT_DIR_MODE, type LocalWriter, localWriter } from "./local_writer.ts";
import { inWriterWorker, WRITER_WORKER_NAME } from "./worker_role.ts";

/** Writes files below one root directory. Paths may be absolute or relative to the root. */
export interface FileWriter {
  /** `Deno.realPath` of the root. */
  readonly root: string;
  /** Creates a directory and missing parents (mode applied with chmod, default 0700). */
  mkdir(path: string, mode?: number): Promise<void>;
  /**
   * Writes a file atomically: a temporary file in the same directory, then rename. The mode
   * (default 0600) is applied explicitly, not via the umask; missing parents are created 0700.
   */
  writeAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void>;
  /** Removes a file or directory; a missing path is not an error. */
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  /**
   * Runs `fn` while holding an exclusive advisory lock (flock) on `${path}.lock` (created 0600).
   * Interoperates with util-linux `flock` and other processes. Throws
   * `Cannot lock "<path>.lock": timed out after 10s` when the lock is not acquired in time.
   */
  withLock<T>(path: string, fn: () => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
  /** Stops the writer (terminates the worker). Later calls fail. */
  close(): void;
  /**
   * What the writing thread's own Deno permission says about writing `path` — the sandbox's
   * second wall, asked without the path guard (diagnostics: `atmos __sandbox-check`, tests).
   * Writes nothing. Optional, so stand-in writers in tests need not have it.
   */
  writePermission?(path: string): Promise<Deno.PermissionState>;
}

/**
 * Creates `root` (0700) when missing, spawns the writer worker allowed to write only there, and
 * revokes write permission in the calling thread. A `root` that is a symlink, not a directory, or
 * another user's is refused (see `config_root.ts`).
 *
 * Call {@linkcode FileWriter.close} when done: a live worker keeps the process running. Without
 * `--unstable-worker-options` Deno itself exits the process (code 70) at the `new Worker` call.
 */
export async function openSandboxedWriter(root: string): Promise<FileWriter> {
  const realRoot = await prepareRoot(root);
  const status = await Deno.permissions.query({ name: "write", path: realRoot });
  if (status.state !== "granted") {
    throw new AtmosError(
      `Cannot start the file writer for "${root}": write access is not granted`,
      {
        hint: "run with --allow-write --unstable-worker-options --no-prompt",
      },
    );
  }
  let worker: Worker;
  try {
    worker = new Worker(import.meta.url, {
      type: "module",
      name: WRITER_WORKER_NAME,
      deno: {
        permissions: {
          read: true,
          write: [realRoot],
          net: false,
          env: false,
          run: false,
          ffi: false,
          sys: false,
          import: "inherit",
        },
      },
    });
  } catch (error) {
    throw new AtmosError(`Cannot start the file writer for "${root}": ${errorText(error)}`, {
      hint: "run with --allow-write --unstable-worker-options --no-prompt",
      cause: error,
    });
  }
  const client = workerClient(worker);
  try {
    await client.call("init", [resolve(root), realRoot]);
  } catch (error) {
    worker.terminate();
    throw error;
  }
  await revokeWrite();
  return {
    root: realRoot,
    mkdir: (path, mode) => client.call("mkdir", [path, mode]) as Promise<void>,
    writeAtomic: (path, data, mode) =>
      client.call("writeAtomic", [path, data, mode]) as Promise<void>,
    remove: (path, options) => client.call("remove", [path, options]) as Promise<void>,
    async withLock(path, fn, options = {}) {
      const lockId = await client.call("lock", [path, options.timeoutMs]);
      try {
        return await fn();
      } finally {
        await client.call("unlock", [lockId]);
      }
    },
    close: () => client.close(),
    writePermission: (path) =>
      client.call("writePermission", [path]) as Promise<Deno.PermissionState>,
  };
}

export { revokeWrite } from "./revoke.ts";

/**
 * A writer with the same checks and API that runs in the calling thread, without a worker or any
 * permission change (for unit tests run with `--allow-write`). Creates `root` when missing.
 */
export function directWriter(root: string): FileWriter {
  const real = prepareRootSync(root);
  const local = localWriter(writerRoot(root, real));
  return {
    root: real,
    mkdir: (path, mode) => local.mkdir(path, mode),
    writeAtomic: (path, data, mode) => local.writeAtomic(path, data, mode),
    remove: (path, options) => local.remove(path, options),
    async withLock(path, fn, options = {}) {
      const held = await local.lock(path, options.timeoutMs);
      try {
        return await fn();
      } finally {
        await held.release();
      }
    },
    close() {},
    writePermission: async (path) => (await Deno.permissions.query({ name: "write", path })).state,
  };
}

async function prepareRoot(root: string): Promise<string> {
  checkConfigRoot(root);
  try {
    await Deno.lstat(root);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await Deno.mkdir(root, { recursive: true, mode: DEFAULT_DIR_MODE });
  }
  const real = await Deno.realPath(root);
  const info = await Deno.stat(real);
  if (Deno.build.os !== "windows" && info.mode !== null && (info.mode & 0o077) !== 0) {
    await Deno.chmod(real, DEFAULT_DIR_MODE);
  }
  return real;
}

function prepareRootSync(root: string): string {
  checkConfigRoot(root);
  try {
    Deno.lstatSync(root);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    Deno.mkdirSync(root, { recursive: true, mode: DEFAULT_DIR_MODE });
  }
  const real = Deno.realPathSync(root);
  const info = Deno.statSync(real);
  if (Deno.build.os !== "windows" && info.mode !== null && (info.mode & 0o077) !== 0) {
    Deno.chmodSync(real, DEFAULT_DIR_MODE);
  }
  return real;
}

// ---------------------------------------------------------------------------------------------
// Protocol. Requests: { id, op, args }. Replies: { id, result } or { id, error: { name, message } }.

interface Request {
  id: number;
  op: string;
  args: unknown[];
}

interface Reply {
  id: number;
  result?: unknown;
  error?: { name: string; message: string };
}

interface WorkerClient {
  call(op: string, args: unknown[]): Promise<unknown>;
  close(): void;
}

function workerClient(worker: Worker): WorkerClient {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let closed: Error | undefined;
  function failAll(error: Error) {
    closed ??= error;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  }
  worker.onmessage = (event: MessageEvent<Reply>) => {
    const reply = event.data;
    const entry = pending.get(reply.id);
    if (entry === undefined) return;
    pending.delete(reply.id);
    if (reply.error) entry.reject(reviveError(reply.error));
    else entry.resolve(reply.result);
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    worker.terminate();
    failAll(new AtmosError(`The file writer failed: ${event.message}`));
  };
  return {
    call(op, args) {
      if (closed) return Promise.reject(closed);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, op, args } satisfies Request);
      });
    },
    close() {
      worker.terminate();
      failAll(new AtmosError("The file writer is closed"));
    },
  };
}

function reviveError(error: { name: string; message: string }): Error {
  if (error.name === "AtmosError") return new AtmosError(error.message);
  if (error.name === "LockTimeoutError") return new LockTimeoutError(error.message);
  const denoError = (Deno.errors as unknown as Record<string, ErrorConstructor | undefined>)[
    error.name
  ];
  const revived = denoError ? new denoError(error.message) : new Error(error.message);
  revived.name = error.name;
  return revived;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Worker side.

interface WorkerScope {
  name: string;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: Reply): void;
}

function runWorker(scope: WorkerScope) {
  let local: LocalWriter | undefined;
  const locks = new Map<number, HeldLock>();
  let nextLockId = 1;

  async function handle(op: string, args: unknown[]): Promise<unknown> {
    if (op === "init") {
      const [given, real] = args as [string, string];
      local = localWriter(writerRoot(given, real));
      return undefined;
    }
    if (local === undefined) throw new AtmosError("The file writer is not initialised");
    switch (op) {
      case "writePermission":
        // The worker's own permission, not the guard: what would stop a write the guard let by.
        return (await Deno.permissions.query({ name: "write", path: args[0] as string })).state;
      case "mkdir":
        return await local.mkdir(args[0] as string, args[1] as number | undefined);
      case "writeAtomic":
        return await local.writeAtomic(
          args[0] as string,
          args[1] as string | Uint8Array,
          args[2] as number | undefined,
        );
      case "remove":
        return await local.remove(args[0] as string, args[1] as { recursive?: boolean });
      case "lock": {
        const held = await local.lock(args[0] as string, args[1] as number | undefined);
        const lockId = nextLockId++;
        locks.set(lockId, held);
        return lockId;
      }
      case "unlock": {
        const held = locks.get(args[0] as number);
        locks.delete(args[0] as number);
        return await held?.release();
      }
      default:
        throw new AtmosError(`The file writer has no operation "${op}"`);
    }
  }

  scope.onmessage = (event) => {
    const { id, op, args } = event.data;
    handle(op, args).then(
      (result) => scope.postMessage({ id, result }),
      (error) =>
        scope.postMessage({
          id,
          error: {
            name: error instanceof Error ? error.name : "Error",
            message: errorText(error),
          },
        }),
    );
  };
}

// Act as the worker only in the worker spawned above (other workers may import this module).
if (inWriterWorker()) runWorker(globalThis as unknown as WorkerScope);
