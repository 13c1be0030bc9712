/**
 * The kinds registry: {@linkcode registry} holds atmos's kinds and outputs;
 * {@linkcode KindRegistry} builds registries (tests build them of fake kinds).
 *
 * @module
 */
export {
  type IdentityEntry,
  type KindLists,
  type KindNames,
  KindRegistry,
  type OutputEntry,
  type ProviderEntry,
  type RegistryTable,
} from "./kind_registry.ts";
export { registry } from "./table.ts";
