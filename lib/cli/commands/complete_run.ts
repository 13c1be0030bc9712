/**
 * `atmos __complete <words…>`: the candidates for the last word, from the command tree (with
 * the custom commands of atmos.yaml added) and, for dynamic values, from atmos.yaml
 * (identities, providers), the stacks (stacks, components) and the workflow files. The app
 * revokes write permission before this runs; configuration errors give no candidates.
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
 * word and the directive line.
 */
export async function runComplete(
  root: CommandSpec,
  words: string[],
  rt: Runtime,
): Promise<number> {
  const typed = words.length > 0 ? words : [""];
  useConfigFlags(rt, configFlags(typed.slice(0, -1)));
  await addCustomCommands(root, rt);
  const result = await complete(root, typed, (source, context) => lookup(rt, source, context));
  rt.out(formatCompletion(result));
  return 0;
}

/** The custom commands of atmos.yaml join the tree; a broken definition just leaves them out. */
async function addCustomCommands(root: CommandSpec, rt: Runtime): Promise<void> {
  try {
    const { loadCustomCommands } = await import("../../commands/mod.ts");
    loadCustomCommands(rt, await rt.config(), root);
  } catch {
    // No atmos.yaml, or one with errors: complete the built-in commands only.
  }
}

async function lookup(
  rt: Runtime,
  source: NamedSource,
  context: CompletionContext,
): Promise<Candidate[]> {
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
      return await workflowNames(rt, context);
    case "workflow-file":
      return (await manifests(rt)).map((m) => ({ value: m.id, description: m.description }));
  }
}

/** `--config`/`--config-path` values typed before the word being completed. */
function configFlags(words: string[]): { config: string[]; configPath: string[] } {
  const out = { config: [] as string[], configPath: [] as string[] };
  for (let i = 0; i < words.length; i++) {
    if (words[i] === "--") break;
    const flag = /^--(config|config-path)(?:=(.*))?$/.exec(words[i]);
    if (!flag) continue;
    const value = flag[2] ?? words[++i] ?? "";
    const values = value.split(",").filter((v) => v !== "");
    (flag[1] === "config" ? out.config : out.configPath).push(...values);
  }
  return out;
}

function useConfigFlags(rt: Runtime, flags: { config: string[]; configPath: string[] }): void {
  rt.configFiles = flags.config;
  rt.configPaths = flags.configPath;
}

async function stackNames(rt: Runtime, context: CompletionContext): Promise<string[]> {
  const { listStacks } = await import("../../stack/mod.ts");
  const options = { cwd: rt.cwd, env: rt.envLookup };
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
  const options = { cwd: rt.cwd, env: rt.envLookup };
  const stack = single(context.flags.stack);
  const loaded = await rt.config();
  if (stack) {
    const found = await listComponents(loaded, { ...options, stack }).catch(() => undefined);
    if (found) return found;
  }
  return await listComponents(loaded, options);
}

/** Workflow names of every file, or of the `-f` file; the description names the file. */
async function workflowNames(rt: Runtime, context: CompletionContext): Promise<Candidate[]> {
  const { workflowNames } = await import("../../workflow/mod.ts");
  const file = single(context.flags.file);
  const all = await manifests(rt);
  const chosen = all.filter((m) => file === undefined || m.id === file || m.relative === file);
  return (chosen.length > 0 ? chosen : all).flatMap((manifest) =>
    workflowNames(manifest).map((name) => ({ value: name, description: manifest.relative }))
  );
}

async function manifests(rt: Runtime) {
  const { loadAllManifests } = await import("../../workflow/mod.ts");
  // A no-op logger: warnings about unreadable manifests would land in the middle of the prompt.
  const ctx = {
    env: rt.env,
    cwd: rt.cwd,
    interactive: false,
    pick: rt.pick,
    logger: { warn() {} },
  };
  return await loadAllManifests(ctx, await rt.config());
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}
