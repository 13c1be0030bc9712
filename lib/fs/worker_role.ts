/**
 * Whether this thread is the writer worker. Kept free of imports: `main.ts` asks it at start,
 * because in a bundle the same-file worker pattern (`new Worker(import.meta.url)` in
 * `writer.ts`) starts the whole bundle, i.e. `main.ts`, inside the worker.
 *
 * @module
 */

/** The `name` the writer worker is started with. */
export const WRITER_WORKER_NAME = "atmos-file-writer";

/** True inside the writer worker spawned by `openSandboxedWriter`. */
export function inWriterWorker(): boolean {
  return "WorkerGlobalScope" in globalThis &&
    (globalThis as unknown as { name?: string }).name === WRITER_WORKER_NAME;
}
