/**
 * The first problem of a parsed YAML document, as a message, a hint and the offset of the text
 * to blame, for every YAML atmos reads (`atmos.yaml` and its imports, workflow and stack
 * manifests). Besides the parser's own errors:
 *
 * - an unclosed quote or bracket is reported where it was opened (the parser notices only at the
 *   end of the file or of the enclosing block);
 * - an alias inside its own anchor (`a: &a [*a]`) — legal YAML, but a cyclic value that
 *   overflows every recursive walk after it;
 * - nesting deeper than {@linkcode MAX_YAML_DEPTH} levels, counting through aliases (`*a` used
 *   deep inside adds `a`'s own depth), and the parser's stack overflow on very deep text.
 *
 * Hand-written: the `yaml` package limits alias *expansion* (`maxAliasCount`, which callers pass
 * to `toJS`) but accepts recursive aliases and has no depth limit; its composer reports a stack
 * overflow (`RESOURCE_EXHAUSTION`) only once the JavaScript stack has run out, and shallower
 * documents still overflow the recursive code after it.
 *
 * @module
 */

import type { Document, Node, YAMLError } from "yaml";
import type { YamlModule } from "./yaml_lib.ts";

/** Deepest nesting of maps and lists accepted (Atmos files stay far below; 20 is a lot). */
export const MAX_YAML_DEPTH = 100;

/** A problem and where it is. */
export interface YamlProblem {
  message: string;
  hint?: string;
  /** Offset in the text of what to blame. */
  offset: number;
}

const PARSE_HINTS: Record<string, string> = {
  DUPLICATE_KEY: "each key may appear only once in a map",
  BAD_INDENT: "check the indentation; YAML nesting uses spaces",
  TAB_AS_INDENT: "indent with spaces, not tabs",
  MISSING_CHAR: "a quote or bracket is not closed",
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line; check for a missing ':' or quote",
  BLOCK_AS_IMPLICIT_KEY: "check for a missing ':' or a stray indentation",
  UNEXPECTED_TOKEN: "check the syntax near this position",
  BAD_ALIAS: "the alias refers to an anchor that is not defined before it",
};

/** The first parse error or structural problem of `doc`, or undefined when it is sound. */
export function firstYamlProblem(Y: YamlModule, doc: Document): YamlProblem | undefined {
  const error = doc.errors[0];
  if (error === undefined) return structureProblem(Y, doc);
  if (error.code === "RESOURCE_EXHAUSTION") return tooDeep(error.pos[0]);
  // The parser notices an unclosed quote or bracket late, often after errors it caused (a
  // multi-line key inside the unclosed list): the opening wins when it comes before them.
  for (const later of doc.errors) {
    const unclosed = unclosedOpener(Y, doc, later);
    if (unclosed && unclosed.offset <= error.pos[0]) return unclosed;
  }
  return {
    message: `malformed YAML: ${firstLine(error)}`,
    hint: PARSE_HINTS[error.code],
    offset: error.pos[0],
  };
}

function tooDeep(offset: number): YamlProblem {
  return {
    message: `YAML is nested too deeply (more than ${MAX_YAML_DEPTH} levels of maps and lists)`,
    hint: "flatten the structure",
    offset,
  };
}

function firstLine(error: YAMLError): string {
  return error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

/**
 * An error about a missing closing quote or bracket, placed at the opening one: the innermost
 * quoted scalar or flow collection of that kind that ends where the parser gave up.
 */
function unclosedOpener(Y: YamlModule, doc: Document, error: YAMLError): YamlProblem | undefined {
  const text = firstLine(error);
  const quote = /^Missing closing (["'])quote/.exec(text)?.[1];
  const bracket = /end with an? ([\]}])/.exec(text)?.[1];
  if (quote === undefined && bracket === undefined) return undefined;
  let opener: Node | undefined;
  Y.visit(doc, {
    Node(_key, node) {
      const range = node.range;
      if (!range || range[1] !== error.pos[0]) return;
      const matches = quote !== undefined
        ? Y.isScalar(node) && node.type === (quote === '"' ? "QUOTE_DOUBLE" : "QUOTE_SINGLE")
        : Y.isCollection(node) && node.flow === true &&
          (bracket === "]" ? Y.isSeq(node) : Y.isMap(node));
      if (matches && (opener === undefined || range[0] >= opener.range![0])) opener = node;
    },
  });
  if (opener === undefined) return undefined;
  const what = quote !== undefined
    ? `${quote === '"' ? "double" : "single"} quote ${quote}`
    : bracket === "]"
    ? "bracket ["
    : "brace {";
  return {
    message: `malformed YAML: the ${what} opened here is never closed`,
    hint: `add the closing ${quote ?? bracket}`,
    offset: opener.range![0],
  };
}

/**
 * An alias inside its own anchor, or nesting over {@linkcode MAX_YAML_DEPTH}. Cost is linear in
 * the document (through aliases a node is revisited at most {@linkcode MAX_YAML_DEPTH} times),
 * so an alias bomb does not make it slow.
 */
function structureProblem(Y: YamlModule, doc: Document): YamlProblem | undefined {
  // Pass 1, in document order without following aliases: each alias's target (the last anchor
  // of that name before it), the written depth, and aliases inside their own anchor.
  const targets = new Map<Node, Node>();
  const anchors = new Map<string, Node>();
  const path: Node[] = [];
  const walk = (node: unknown): YamlProblem | undefined => {
    if (!Y.isNode(node)) return undefined;
    if (Y.isCollection(node) && path.length >= MAX_YAML_DEPTH) return tooDeep(start(node));
    if (Y.isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) return undefined; // The parser reports it (BAD_ALIAS).
      if (path.includes(target)) {
        return {
          message:
            `alias *${node.source} refers to itself (it is inside its anchor &${node.source})`,
          hint: "an alias may only repeat a node defined outside it",
          offset: start(node),
        };
      }
      targets.set(node, target);
      return undefined;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    path.push(node);
    try {
      for (const child of children(Y, node)) {
        const problem = walk(child);
        if (problem) return problem;
      }
    } finally {
      path.pop();
    }
    return undefined;
  };
  const written = walk(doc.contents);
  if (written || targets.size === 0) return written;

  // Pass 2, following aliases (acyclic now): the depth of the values they expand to. A node
  // already explored from this depth or deeper has nothing new to report.
  const exploredAt = new Map<Node, number>();
  const expand = (
    node: unknown,
    depth: number,
    alias: number | undefined,
  ): YamlProblem | undefined => {
    if (!Y.isNode(node)) return undefined;
    // Inside an alias's expansion, the (outermost) alias is where the user can act.
    if (Y.isAlias(node)) alias ??= start(node);
    const target = Y.isAlias(node) ? targets.get(node) : node;
    if (!Y.isCollection(target)) return undefined;
    if (depth >= MAX_YAML_DEPTH) return tooDeep(alias ?? start(target));
    if ((exploredAt.get(target) ?? -1) >= depth) return undefined;
    exploredAt.set(target, depth);
    for (const child of children(Y, target)) {
      const problem = expand(child, depth + 1, alias);
      if (problem) return problem;
    }
    return undefined;
  };
  return expand(doc.contents, 0, undefined);
}

/** The child nodes of a collection (keys and values of maps); none for scalars and aliases. */
function children(Y: YamlModule, node: Node): unknown[] {
  if (Y.isMap(node)) return node.items.flatMap((pair) => [pair.key, pair.value]);
  if (Y.isSeq(node)) {
    return node.items.flatMap((item) => Y.isPair(item) ? [item.key, item.value] : [item]);
  }
  return [];
}

function start(node: Node): number {
  return node.range?.[0] ?? 0;
}
