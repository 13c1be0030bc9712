/**
 * Cloud Resource Manager `GET /v1/projects/<id or number>` (what `gcloud projects describe` and
 * google-auth-library's project lookup call): needs an unexpired Google token the emulator
 * issued, remembers which principal called, and answers the project or Google's 403.
 *
 * @module
 */

import { bearerToken, json } from "./http_util.ts";
import { apiError, unauthenticated } from "./gcp_iam_handler.ts";
import { validGcpToken } from "./gcp_state.ts";
import { countCall, recordCaller } from "./state.ts";
import type { EmulatorState } from "./state.ts";

const PATH = /^\/v1\/projects\/([^/:]+)$/;

/** True for a project path. */
export function isProjectPath(path: string): boolean {
  return PATH.test(path);
}

/** Answers `GET /v1/projects/<id>`. */
export function handleGetProject(state: EmulatorState, request: Request): Response {
  countCall(state, "gcp.projects.get");
  const caller = validGcpToken(state, bearerToken(request));
  if (caller === undefined) return unauthenticated();
  recordCaller(state, "gcp.projects.get", caller.principal);
  const id = decodeURIComponent(PATH.exec(new URL(request.url).pathname)![1]);
  const project = state.gcp.projects.find((p) => p.projectId === id || p.projectNumber === id);
  if (project === undefined) {
    return apiError(
      403,
      "PERMISSION_DENIED",
      "The caller does not have permission",
    );
  }
  return json(200, {
    projectNumber: project.projectNumber,
    projectId: project.projectId,
    lifecycleState: "ACTIVE",
    name: project.name ?? project.projectId,
    createTime: "2024-01-01T00:00:00.000Z",
  });
}
