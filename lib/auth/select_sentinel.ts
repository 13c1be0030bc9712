/**
 * The value `--identity` takes when given bare (`-i` alone: choose interactively). A module of
 * its own so that declaring the flag loads no identity-selection code.
 *
 * @module
 */

/** The bare `--identity` flag's value: open the identity picker. */
export const SELECT_SENTINEL = "__SELECT__";
