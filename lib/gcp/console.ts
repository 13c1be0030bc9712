/**
 * The Google Cloud console URL of a project. Unlike AWS there is no federation sign-in: the
 * console uses the browser's own Google session, so the URL carries no secret (atmos still
 * prints it only with `--print-only`, as for every cloud).
 *
 * @module
 */

import { UsageError } from "../errors.ts";
import type { ConsoleRequest } from "../auth/output.ts";

/** The console's origin. */
export const CONSOLE_ORIGIN = "https://console.cloud.google.com";

const PAGE = /^[a-z0-9][a-z0-9_\-/]*$/i;

/** True for a console page (`compute/instances`) or a URL on the console's origin. */
export function validDestination(destination: string): boolean {
  if (PAGE.test(destination)) return !destination.includes("//");
  try {
    const url = new URL(destination);
    return url.origin === CONSOLE_ORIGIN;
  } catch {
    return false;
  }
}

/** The console URL of `destination` (default: the dashboard), for `project` when known. */
export function consoleUrl(destination: string | undefined, project: string | undefined): string {
  const url = destination && !PAGE.test(destination)
    ? new URL(destination)
    : new URL(`${CONSOLE_ORIGIN}/${destination ?? "home/dashboard"}`);
  if (project && !url.searchParams.has("project")) url.searchParams.set("project", project);
  return url.href;
}

/** Why the Google console cannot serve a request, if it cannot. */
export function consoleProblem(request: ConsoleRequest): UsageError | undefined {
  if (request.destination !== undefined && !validDestination(request.destination)) {
    return new UsageError(`invalid --destination "${request.destination}"`, {
      hint:
        "use a console page such as compute/instances, or an https://console.cloud.google.com/ URL",
    });
  }
  if (request.durationSeconds !== undefined) {
    return new UsageError("--duration does not apply to the Google Cloud console", {
      hint: "the console signs in with your browser's own Google session",
    });
  }
  return undefined;
}
