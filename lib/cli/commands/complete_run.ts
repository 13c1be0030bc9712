/**
 * `atmos __complete <words…>`: the candidates for the last word, from the command tree and,
 * for dynamic values, from atmos.yaml (identities, providers), the stacks (stacks, components)
 * and the workflow files. The app revokes write permission before this runs; configuration
 * errors give no candidates.
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import {
  type Candidate,
  complete,
  type CompletionContext,
  formatCompletion,
  type NamedSource,
} from "../complete.ts";

/**
 * Answers `atmos __complete <words…>` for the tree `root`: prints the candidates for the last
 * word and the directive line. Errors in atmos.yaml or the stacks give no candidates.
 */
export async function runComplete(
  root: CommandSpec,
  words: string[],
  rt: Runtime,
): Promise<number> {
  const result = await complete(
    root,
    words.length > 0 ? words : [""],
    (source, context) => lookup(rt, source, context),
  );
  rt.out(formatCompletion(result));
  return 0;
}

async function lookup(
  rt: Runtime,
  source: NamedSource,
  context: CompletionContext,
): Promise<Candidate[]> {
  useConfigFlags(rt, context);
  switch (source) {
    case "identity": {
      const manager = await rt.manager();
      return manager.identityNames().map((name) => ({
        value: name,
        description: manager.auth.identities?.[name]?.kind,
      }));
    }
    case "provider": {
      const manager = await rt.manager();
      return Object.entries(manager.auth.providers ?? {}).map(([name, provider]) => ({
        value: name,
        description: provider?.kind,
      }));
    }
    case "stack":
      return (await stackNames(rt, context)).map((value) => ({ value }));
    case "component":
      return (await componentNames(rt, context)).map((value) => ({ value }));
    case "workflow":
      return [];
  }
}

/** `--config`/`--config-path` typed on the command line choose the configuration. */
function useConfigFlags(rt: Runtime, context: CompletionContext): void {
  const list = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  rt.configFiles = list(context.flags.config);
  rt.configPaths = list(context.flags["config-path"]);
}

async function stackNames(rt: Runtime, context: CompletionContext): Promise<string[]> {
  const { listStacks } = await import("../../stack/mod.ts");
  const options = { cwd: rt.cwd, env: { get: rt.getEnv } };
  const component = context.args.component ?? single(context.flags.component);
  const loaded = await rt.config();
  if (component) {
    // Only the stacks that have the component typed before; all of them if it has none.
    const found = await listStacks(loaded, { ...options, component }).catch(() => undefined);
    if (found) return found;
  }
  return await listStacks(loaded, options);
}

async function componentNames(rt: Runtime, context: CompletionContext): Promise<string[]> {
  const { listComponents } = await import("../../stack/mod.ts");
  const options = { cwd: rt.cwd, env: { get: rt.getEnv } };
  const stack = single(context.flags.stack);
  const loaded = await rt.config();
  if (stack) {
    const found = await listComponents(loaded, { ...options, stack }).catch(() => undefined);
    if (found) return found;
  }
  return await listComponents(loaded, options);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}
