/**
 * Implementations of `describe component|stacks` and `list stacks|components` (loaded lazily by
 * `describe.ts`). Output is sorted by key so it is stable across runs.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import type { Invocation } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import {
  type ComponentType,
  describeComponent,
  describeStacks,
  listComponents,
  listStacks,
  redactAuth,
} from "../../stack/mod.ts";
import { checkQuery, evaluateQuery, QueryError } from "../../config/query.ts";
import { importYaml } from "../../config/yaml_lib.ts";

/** `atmos describe component <component> -s <stack>`. */
export async function runDescribeComponent(rt: Runtime, inv: Invocation): Promise<number> {
  const stack = requireStack(inv, "atmos describe component vpc -s plat-ue2-prod");
  const query = await queryOf(inv);
  const config = await describeComponent(await rt.config(), {
    component: String(inv.args.component),
    stack,
    env: rt.envLookup,
    cwd: rt.cwd,
    processTemplates: inv.flags["process-templates"] !== false,
    processFunctions: inv.flags["process-functions"] !== false,
  });
  const shown = { ...config, auth: redactAuth(config.auth) };
  rt.out(await formatData(await queried(shown, query), String(inv.flags.format)));
  return 0;
}

/** `atmos describe stacks [-s stack] [--components a,b]`. */
export async function runDescribeStacks(rt: Runtime, inv: Invocation): Promise<number> {
  const query = await queryOf(inv);
  const stack = inv.flags.stack as string | undefined;
  const result = await describeStacks(await rt.config(), {
    stacks: stack ? [stack] : undefined,
    components: inv.flags.components as string[] | undefined,
    types: inv.flags["component-types"] as ComponentType[] | undefined,
    env: rt.envLookup,
    cwd: rt.cwd,
    processTemplates: inv.flags["process-templates"] !== false,
    processFunctions: inv.flags["process-functions"] !== false,
  });
  const shown = onlySections(redactStacks(result), inv.flags.sections as string[] | undefined);
  rt.out(await formatData(await queried(shown, query), String(inv.flags.format)));
  return 0;
}

/** `atmos list stacks`. */
export async function runListStacks(rt: Runtime, inv: Invocation): Promise<number> {
  const names = await listStacks(await rt.config(), {
    cwd: rt.cwd,
    env: rt.envLookup,
    component: inv.flags.component as string | undefined,
  });
  rt.out(await formatList(names, "Stack", inv.flags.format));
  return 0;
}

/** `atmos list components [-s stack]`. */
export async function runListComponents(rt: Runtime, inv: Invocation): Promise<number> {
  const names = await listComponents(await rt.config(), {
    cwd: rt.cwd,
    env: rt.envLookup,
    stack: inv.flags.stack as string | undefined,
  });
  rt.out(await formatList(names, "Component", inv.flags.format));
  return 0;
}

/** A list of names as `--format` asks: one per line, a JSON/YAML list, or CSV/TSV with a header. */
async function formatList(names: string[], header: string, format: unknown): Promise<string> {
  if (format === "json" || format === "yaml") return await formatData(names, String(format));
  const lines = format === "csv" || format === "tsv" ? [header, ...names] : names;
  return lines.map((line) => `${line}\n`).join("");
}

/** `describe stacks` output with every component's inline credentials redacted. */
function redactStacks(result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [stack, value] of Object.entries(result)) {
    const components =
      (value as { components: Record<string, Record<string, unknown>> }).components;
    const typed: Record<string, unknown> = {};
    for (const [type, byName] of Object.entries(components)) {
      typed[type] = Object.fromEntries(
        Object.entries(byName).map(([name, config]) => [
          name,
          {
            ...(config as Record<string, unknown>),
            auth: redactAuth((config as Record<string, unknown>).auth),
          },
        ]),
      );
    }
    out[stack] = { components: typed };
  }
  return out;
}

/** The `--stack` value; a usage error when it is missing. */
export function requireStack(inv: Invocation, example: string): string {
  const stack = inv.flags.stack;
  if (typeof stack !== "string" || stack.trim() === "") {
    throw new UsageError("missing --stack (-s)", { hint: `name the stack, e.g. ${example}` });
  }
  return stack.trim();
}

async function queryOf(inv: Invocation): Promise<string | undefined> {
  const query = inv.flags.query as string | undefined;
  if (query === undefined || query === "") return undefined;
  await usageOnQueryError(query, () => checkQuery(query)); // before any work
  return query;
}

/** `value`, or the result of `--query` over it (a path, or a jq expression). */
function queried(value: unknown, query: string | undefined): Promise<unknown> {
  if (query === undefined) return Promise.resolve(value);
  return usageOnQueryError(query, () => evaluateQuery(value, query));
}

async function usageOnQueryError<T>(query: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    throw new UsageError(`invalid --query "${query}": ${error.message}`, {
      hint: 'use a path like .vars.stage or .settings["my-key"], or a jq expression',
    });
  }
}

/** `--sections a,b`: each component keeps only those sections (Atmos's flag). */
function onlySections(stacks: unknown, sections: string[] | undefined): unknown {
  if (!sections?.length || typeof stacks !== "object" || stacks === null) return stacks;
  const pick = (component: unknown) =>
    Object.fromEntries(
      Object.entries(component as Record<string, unknown>).filter(([k]) => sections.includes(k)),
    );
  return Object.fromEntries(
    Object.entries(stacks as Record<string, { components: Record<string, unknown> }>).map((
      [stack, { components }],
    ) => [stack, {
      components: Object.fromEntries(
        Object.entries(components).map(([type, byName]) => [
          type,
          Object.fromEntries(
            Object.entries(byName as Record<string, unknown>).map(([n, c]) => [n, pick(c)]),
          ),
        ]),
      ),
    }]),
  );
}

/** Renders data as YAML or JSON with map keys sorted; ends with a newline. */
export async function formatData(value: unknown, format: string): Promise<string> {
  const sorted = sortKeys(value);
  if (format === "json") return JSON.stringify(sorted, null, 2) + "\n";
  const yaml = await importYaml();
  // YAML 1.1 quoting, so `yes`/`on`/`0x1f` strings stay strings for 1.1 readers (Go, PyYAML).
  const text = yaml.stringify(sorted, {
    version: "1.1",
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
  return text.endsWith("\n") ? text : text + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      out[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}
