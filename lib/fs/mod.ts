/**
 * The file layer: Atmos base directories and the sandboxed writer, the only code that writes
 * files.
 *
 * @module
 */

export { atmosCacheDir, atmosConfigDir } from "./xdg.ts";
export { directWriter, type FileWriter, openSandboxedWriter, revokeWrite } from "./writer.ts";
export { DEFAULT_LOCK_TIMEOUT_MS } from "./lock.ts";
export { checkSegment, credentialDir, identitySegment, segmentProblem } from "./layout.ts";
