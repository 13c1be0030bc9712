/**
 * Path helpers with the semantics of Node's `node:path` (POSIX flavour on Linux and macOS).
 *
 * Why hand-written: importing `node:path` (or any npm package, e.g. `pathe`) makes Deno start
 * its Node compatibility layer, which costs about 7 ms in every process that loads it (measured
 * on our machines: a script importing `node:path` 8.8 ms, an empty one 1.3 ms, at the first
 * statement). Nearly every atmos command touches paths, and workflows start atmos again for
 * each `atmos` step. JSR's `@std/path` is not reachable from our machines. The functions below
 * are the few atmos needs, checked against `node:path` itself by a test on thousands of inputs.
 * On Windows the real `node:path` (win32) is used, obtained only there.
 *
 * @module
 */

interface PathApi {
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
  relative(from: string, to: string): string;
  dirname(path: string): string;
  basename(path: string): string;
  extname(path: string): string;
  isAbsolute(path: string): boolean;
  normalize(path: string): string;
  sep: string;
}

/** Collapses `.`, `..` and repeated slashes of the parts after the root. */
function collapse(path: string, allowAboveRoot: boolean): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (allowAboveRoot) out.push("..");
    } else {
      out.push(segment);
    }
  }
  return out.join("/");
}

function posixNormalize(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  let body = collapse(path, !absolute);
  if (body === "" && !absolute) body = ".";
  if (body !== "" && path.endsWith("/")) body += "/";
  return absolute ? `/${body}` : body;
}

function posixResolve(...parts: string[]): string {
  let resolved = "";
  let absolute = false;
  for (let i = parts.length - 1; i >= -1 && !absolute; i--) {
    const part = i >= 0 ? parts[i] : Deno.cwd();
    if (part === "") continue;
    resolved = `${part}/${resolved}`;
    absolute = part.startsWith("/");
  }
  const body = collapse(resolved, !absolute);
  if (absolute) return `/${body}`;
  return body === "" ? "." : body;
}

function posixRelative(from: string, to: string): string {
  if (from === to) return "";
  const fromParts = posixResolve(from).split("/").filter((s) => s !== "");
  const toParts = posixResolve(to).split("/").filter((s) => s !== "");
  let common = 0;
  while (
    common < fromParts.length && common < toParts.length &&
    fromParts[common] === toParts[common]
  ) common++;
  const up = fromParts.slice(common).map(() => "..");
  return [...up, ...toParts.slice(common)].join("/");
}

function posixDirname(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  let end = -1;
  let sawName = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (sawName) {
        end = i;
        break;
      }
    } else {
      sawName = true;
    }
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}

function posixBasename(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  const start = path.lastIndexOf("/", end - 1) + 1;
  return path.slice(start, end);
}

function posixExtname(path: string): string {
  const name = posixBasename(path);
  const dot = name.lastIndexOf(".");
  // No dot, a leading dot only (".bashrc"), or ".." have no extension.
  if (dot <= 0 || name === "..") return "";
  return name.slice(dot);
}

const posix: PathApi = {
  join: (...parts) => {
    const joined = parts.filter((p) => p !== "").join("/");
    return joined === "" ? "." : posixNormalize(joined);
  },
  resolve: posixResolve,
  relative: posixRelative,
  dirname: posixDirname,
  basename: posixBasename,
  extname: posixExtname,
  isAbsolute: (path) => path.startsWith("/"),
  normalize: posixNormalize,
  sep: "/",
};

function windowsApi(): PathApi {
  const node = (globalThis as unknown as {
    process: { getBuiltinModule(name: string): { win32: PathApi } };
  }).process.getBuiltinModule("node:path");
  return node.win32;
}

const api: PathApi = Deno.build.os === "windows" ? windowsApi() : posix;

/** Joins path segments and normalises the result (as `node:path` `join`). */
export const join: (...parts: string[]) => string = api.join;
/** Resolves segments right to left against the current directory into an absolute path. */
export const resolve: (...parts: string[]) => string = api.resolve;
/** The path from `from` to `to` (both resolved first); `""` when they are the same. */
export const relative: (from: string, to: string) => string = api.relative;
/** The directory part of a path. */
export const dirname: (path: string) => string = api.dirname;
/** The last segment of a path, without trailing separators. */
export const basename: (path: string) => string = api.basename;
/** The extension of the last segment, with its dot (`""` when there is none). */
export const extname: (path: string) => string = api.extname;
/** Whether a path is absolute. */
export const isAbsolute: (path: string) => boolean = api.isAbsolute;
/** Collapses `.`, `..` and repeated separators. */
export const normalize: (path: string) => string = api.normalize;
/** The path separator of this platform. */
export const sep: string = api.sep;

/** The POSIX implementation, for tests that compare it with `node:path` on any platform. */
export const posixPath: Readonly<PathApi> = posix;
