/**
 * Terminal prompts: pure state machines (select, secret, text) and the driver that runs them.
 *
 * @module
 */

export * from "./types.ts";
export * from "./keys.ts";
export * from "./select.ts";
export * from "./secret.ts";
export * from "./text.ts";
export * from "./confirm.ts";
export * from "./driver.ts";
