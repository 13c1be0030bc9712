/**
 * Deep merge of configuration layers: maps merge key by key, lists and scalars from the higher
 * layer replace, except the top-level `commands` list, which merges by command name
 * (atmos-workflows-commands.md §2.1).
 *
 * @module
 */

/** True for plain objects (YAML maps), false for arrays, null and class instances. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Merges `higher` over `lower` into a new value (inputs are not modified). A `null` or
 * `undefined` higher value keeps the lower one, so an empty `auth:` does not erase anything.
 */
export function mergeConfig(lower: unknown, higher: unknown): unknown {
  return mergeAt(lower, higher, 0, "");
}

function mergeAt(lower: unknown, higher: unknown, depth: number, key: string): unknown {
  if (higher === undefined || higher === null) return lower;
  if (depth === 1 && key === "commands" && Array.isArray(lower) && Array.isArray(higher)) {
    return mergeCommands(lower, higher);
  }
  if (!isRecord(lower) || !isRecord(higher)) return higher;
  const out: Record<string, unknown> = { ...lower };
  for (const [name, value] of Object.entries(higher)) {
    out[name] = Object.hasOwn(lower, name) ? mergeAt(lower[name], value, depth + 1, name) : value;
  }
  return out;
}

/**
 * Merges two custom-command lists by `name`: same-named commands merge key by key (the higher
 * value replaces), nested `commands` merge recursively the same way, order is first appearance.
 * Path-style names (`"list stacks"`) are expanded into nested commands first.
 */
export function mergeCommands(lower: unknown[], higher: unknown[]): unknown[] {
  const out: unknown[] = [];
  const byName = new Map<string, number>();
  for (const item of [...lower.map(expandPathName), ...higher.map(expandPathName)]) {
    const name = isRecord(item) && typeof item.name === "string" ? item.name : undefined;
    const index = name === undefined ? undefined : byName.get(name);
    if (index === undefined) {
      if (name !== undefined) byName.set(name, out.length);
      out.push(item);
      continue;
    }
    out[index] = mergeCommand(
      out[index] as Record<string, unknown>,
      item as Record<string, unknown>,
    );
  }
  return out;
}

function mergeCommand(
  lower: Record<string, unknown>,
  higher: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...lower, ...higher };
  if (Array.isArray(lower.commands) && Array.isArray(higher.commands)) {
    out.commands = mergeCommands(lower.commands, higher.commands);
  }
  return out;
}

/** `{name: "list stacks", …}` → `{name: "list", commands: [{name: "stacks", …}]}`. */
function expandPathName(item: unknown): unknown {
  if (!isRecord(item) || typeof item.name !== "string") return item;
  const parts = item.name.trim().split(/\s+/);
  if (parts.length < 2) return item;
  let node: Record<string, unknown> = { ...item, name: parts[parts.length - 1] };
  for (let i = parts.length - 2; i >= 0; i--) node = { name: parts[i], commands: [node] };
  return node;
}
