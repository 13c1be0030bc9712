/**
 * Go's predefined template functions: `and or not eq ne lt le gt ge len index slice print
 * printf println html js urlquery call`. `and`, `or` and `call` are special-cased by the
 * executor (short-circuit, callee name); their entries here carry the signatures.
 *
 * @module
 */

import { eq, ge, gt, le, lt, ne } from "./compare.ts";
import { sprint, sprintf, sprintln } from "./fmt.ts";
import type { FuncSpec } from "./func_spec.ts";
import { isPrint } from "./quote.ts";
import {
  fromHost,
  indirect,
  isAscii,
  isTrue,
  kindOf,
  mapGet,
  mapSize,
  toHost,
  typeName,
  utf8Bytes,
  utf8Decode,
  utf8Length,
} from "./value.ts";

/** `len x`. */
function length(item: unknown): number {
  if (item === null) throw new Error("len of nil pointer");
  if (item === undefined) throw new Error("reflect: call of reflect.Value.Type on zero Value");
  switch (kindOf(item)) {
    case "string":
      return utf8Length(item as string);
    case "slice":
      return (item as unknown[]).length;
    case "map":
      return mapSize(item);
  }
  throw new Error(`len of type ${typeName(item)}`);
}

/** Go's `indexArg`: an int within [0, cap]. */
function indexArg(index: unknown, cap: number): number {
  if (kindOf(index) !== "int") {
    if (index === undefined) throw new Error("cannot index slice/array with nil");
    throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  }
  const x = Number(index);
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

/** `index x 1 2` is `x[1][2]`. */
function index(first: unknown, ...indexes: unknown[]): unknown {
  let item = indirect(first);
  if (item === undefined) throw new Error("index of untyped nil");
  for (const raw of indexes) {
    const key = indirect(raw);
    if (item === null) throw new Error("index of nil pointer");
    item = indexOnce(item, key);
  }
  return item;
}

function indexOnce(item: unknown, key: unknown): unknown {
  switch (kindOf(item)) {
    case "slice": {
      const list = item as unknown[];
      const x = indexArg(key, list.length);
      if (x === list.length) throw new Error("reflect: slice index out of range");
      return list[x] ?? null;
    }
    case "string": {
      const bytes = utf8Bytes(item as string);
      const x = indexArg(key, bytes.length);
      if (x === bytes.length) throw new Error("reflect: string index out of range");
      return bytes[x];
    }
    case "map":
      return mapGet(item, mapKey(item, key)).value ?? null;
  }
  throw new Error(`can't index item of type ${typeName(item)}`);
}

/** Go's `prepareArg` for a `map[string]…` key (a JavaScript `Map` takes any key). */
function mapKey(map: unknown, key: unknown): unknown {
  if (map instanceof Map) return key;
  if (key === undefined) throw new Error("value is nil; should be of type string");
  if (typeof key !== "string") throw new Error(`value has type ${typeName(key)}; should be string`);
  return key;
}

/** `slice x 1 2` is `x[1:2]`. */
function slice(first: unknown, ...indexes: unknown[]): unknown {
  const item = indirect(first);
  if (item === undefined) throw new Error("slice of untyped nil");
  if (item === null) throw new Error("slice of nil pointer");
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  if (kind === "string" && indexes.length === 3) throw new Error("cannot 3-index slice a string");
  if (kind !== "string" && kind !== "slice") {
    throw new Error(`can't slice item of type ${typeName(item)}`);
  }
  const len = kind === "string" ? utf8Length(item as string) : (item as unknown[]).length;
  const idx = [0, len, len];
  indexes.forEach((raw, i) => {
    idx[i] = indexArg(indirect(raw), len);
  });
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) {
    throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  }
  if (kind === "slice") return (item as unknown[]).slice(idx[0], idx[1]);
  const text = item as string;
  return isAscii(text)
    ? text.slice(idx[0], idx[1])
    : utf8Decode(utf8Bytes(text).slice(idx[0], idx[1]));
}

/** Go's `evalArgs`: one string as is, else `fmt.Sprint` with nil as `<no value>`. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args.map((arg) => (arg === undefined || arg === null ? "<no value>" : arg)));
}

const HTML_ESCAPES: Record<string, string> = {
  "\0": "\uFFFD",
  '"': "&#34;",
  "'": "&#39;",
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
};

/** Go's `template.HTMLEscapeString`. */
export function htmlEscape(text: string): string {
  return text.replace(/[\0"'&<>]/g, (c) => HTML_ESCAPES[c]);
}

const JS_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
  "<": "\\u003C",
  ">": "\\u003E",
  "&": "\\u0026",
  "=": "\\u003D",
};

/** Go's `template.JSEscapeString`. */
export function jsEscape(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (JS_ESCAPES[ch] !== undefined) out += JS_ESCAPES[ch];
    else if (c < 0x20) out += "\\u00" + c.toString(16).toUpperCase().padStart(2, "0");
    else if (c < 0x80 || isPrint(c)) out += ch;
    else out += "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
  }
  return out;
}

/** Go's `url.QueryEscape`. */
export function urlQueryEscape(text: string): string {
  let out = "";
  for (const byte of utf8Bytes(text)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === " ") out += "+";
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** `call fn args…`: the callee name comes first (inserted by the executor). */
function call(name: unknown, fn: unknown, ...args: unknown[]): unknown {
  const target = indirect(fn);
  if (target === undefined) throw new Error("call of nil");
  if (typeof target !== "function") {
    throw new Error(`non-function ${name} of type ${typeName(target)}`);
  }
  return fromHost(target(...args.map(toHost)));
}

function notImplemented(): never {
  throw new Error("unreachable");
}

/** The builtin function table. */
export const BUILTINS: Readonly<Record<string, FuncSpec>> = {
  and: { params: ["value"], variadic: "value", fn: notImplemented },
  or: { params: ["value"], variadic: "value", fn: notImplemented },
  call: { params: ["value"], variadic: "value", fn: (a) => call(a[0], a[1], ...a.slice(2)) },
  html: { params: [], variadic: "any", fn: (a) => htmlEscape(evalArgs(a)) },
  index: { params: ["value"], variadic: "value", fn: (a) => index(a[0], ...a.slice(1)) },
  slice: { params: ["value"], variadic: "value", fn: (a) => slice(a[0], ...a.slice(1)) },
  js: { params: [], variadic: "any", fn: (a) => jsEscape(evalArgs(a)) },
  len: { params: ["value"], fn: (a) => length(a[0]) },
  not: { params: ["value"], fn: (a) => !isTrue(indirect(a[0])) },
  print: { params: [], variadic: "any", fn: (a) => sprint(a) },
  printf: { params: ["string"], variadic: "any", fn: (a) => sprintf(a[0] as string, a.slice(1)) },
  println: { params: [], variadic: "any", fn: (a) => sprintln(a) },
  urlquery: { params: [], variadic: "any", fn: (a) => urlQueryEscape(evalArgs(a)) },
  eq: { params: ["value"], variadic: "value", fn: (a) => eq(a[0], ...a.slice(1)) },
  ge: { params: ["value", "value"], fn: (a) => ge(a[0], a[1]) },
  gt: { params: ["value", "value"], fn: (a) => gt(a[0], a[1]) },
  le: { params: ["value", "value"], fn: (a) => le(a[0], a[1]) },
  lt: { params: ["value", "value"], fn: (a) => lt(a[0], a[1]) },
  ne: { params: ["value", "value"], fn: (a) => ne(a[0], a[1]) },
};
