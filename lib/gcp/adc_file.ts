/**
 * Finding the user's Application Default Credentials file the way Google's libraries do
 * (google-auth-library `googleauth.js`, golang.org/x/oauth2 `google/default.go`, Python
 * `google/auth/_default.py`): `GOOGLE_APPLICATION_CREDENTIALS`, else
 * `$CLOUDSDK_CONFIG/application_default_credentials.json`, else
 * `~/.config/gcloud/application_default_credentials.json` (`%APPDATA%\gcloud\…` on Windows).
 * Files under atmos's own config dir are skipped: inside `atmos auth shell` those variables
 * point at what atmos wrote, not at the user's credentials.
 *
 * The metadata server (GCE, GKE, Cloud Run) is not a file: atmos cannot hand it on as one, so it
 * is not looked for.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { EnvGetter } from "../env.ts";
import { join } from "../fs/path.ts";
import type { FileOrigin } from "./credential_set.ts";

/** The ADC file name gcloud writes. */
export const ADC_FILE_NAME = "application_default_credentials.json";

/** A user's ADC file, read. */
export interface FoundAdc {
  path: string;
  json: unknown;
  origin: FileOrigin;
}

/** Where the libraries look, in order (variables first). */
export function adcCandidates(env: EnvGetter): { path: string; from: string }[] {
  const out: { path: string; from: string }[] = [];
  const explicit = env.get("GOOGLE_APPLICATION_CREDENTIALS");
  if (explicit) out.push({ path: explicit, from: "GOOGLE_APPLICATION_CREDENTIALS" });
  const sdk = env.get("CLOUDSDK_CONFIG");
  if (sdk) out.push({ path: join(sdk, ADC_FILE_NAME), from: "CLOUDSDK_CONFIG" });
  const appData = env.get("APPDATA");
  const home = env.get("HOME");
  if (Deno.build.os === "windows" && appData) {
    out.push({ path: join(appData, "gcloud", ADC_FILE_NAME), from: "%APPDATA%" });
  } else if (home) {
    out.push({ path: join(home, ".config", "gcloud", ADC_FILE_NAME), from: "HOME" });
  }
  return out;
}

/**
 * Reads the user's ADC file.
 *
 * @throws {AtmosError} when none is found (with how to make one), or it is not JSON. An explicit
 * `GOOGLE_APPLICATION_CREDENTIALS` that does not exist is an error, as for the libraries.
 */
export function findAdcFile(
  env: EnvGetter,
  configDir: string,
  debug: (message: string) => void = () => {},
): FoundAdc {
  for (const candidate of adcCandidates(env)) {
    if (candidate.path.startsWith(`${configDir}/`)) {
      debug(`gcp/adc: skipping ${candidate.path} (${candidate.from}): atmos wrote it`);
      continue;
    }
    let text: string;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(candidate.path);
      text = Deno.readTextFileSync(candidate.path);
    } catch (error) {
      if (candidate.from === "GOOGLE_APPLICATION_CREDENTIALS") {
        throw new AtmosError(
          `Cannot read GOOGLE_APPLICATION_CREDENTIALS (${candidate.path}): ${
            (error as Error).message
          }`,
          { exitCode: 2, hint: "point it at a credentials file, or unset it" },
        );
      }
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AtmosError(`${candidate.path} is not JSON`, {
        exitCode: 2,
        hint: "run `gcloud auth application-default login` to write it again",
      });
    }
    debug(`gcp/adc: using ${candidate.path} (${candidate.from})`);
    return {
      path: candidate.path,
      json,
      origin: { path: candidate.path, mtimeMs: info.mtime?.getTime() ?? 0, size: info.size },
    };
  }
  throw new AtmosError("No Google Application Default Credentials found", {
    exitCode: 2,
    hint: "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS",
  });
}
