/**
 * `--query` paths for `describe`: the yq path subset scripts use — `.`, `.vars.stage`,
 * `.auth.identities.data-default.default`, `.vars["odd key"]`, `.list[0]`. A missing key gives
 * `null`, as yq does.
 *
 * Hand-written: a full yq is far more than these paths need.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { isSection } from "./merge.ts";

/** Splits a query into keys and indexes; throws {@linkcode UsageError} on bad syntax. */
export function parseQuery(query: string): (string | number)[] {
  const text = query.trim();
  if (!text.startsWith(".")) throw badQuery(query, 'a query starts with "."');
  const out: (string | number)[] = [];
  let i = 1;
  while (i < text.length) {
    if (text[i] === ".") {
      i++;
      continue;
    }
    if (text[i] === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) throw badQuery(query, 'missing "]"');
      const inner = text.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) out.push(JSON.parse(inner));
      else if (/^'[^']*'$/.test(inner)) out.push(inner.slice(1, -1));
      else throw badQuery(query, `bad index [${inner}]`);
      i = close + 1;
      continue;
    }
    const match = /^[^.[\]\s]+/.exec(text.slice(i));
    if (!match) throw badQuery(query, `unexpected "${text[i]}"`);
    out.push(match[0]);
    i += match[0].length;
  }
  return out;
}

/** The value at `query` in `value` (`null` when absent). */
export function runQuery(value: unknown, query: string): unknown {
  let node = value;
  for (const key of parseQuery(query)) {
    if (typeof key === "number" && Array.isArray(node)) node = node[key];
    else if (isSection(node) && Object.hasOwn(node, String(key))) node = node[String(key)];
    else return null;
    if (node === undefined) return null;
  }
  return node;
}

function badQuery(query: string, why: string): UsageError {
  return new UsageError(`invalid --query "${query}": ${why}`, {
    hint: 'use a path like .vars.stage or .settings["my-key"]',
  });
}
