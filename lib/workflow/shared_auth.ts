/**
 * One authentication per identity per run, even when steps run concurrently (the children of
 * parallel and matrix steps): a wrapper around the {@linkcode StepAuth} hook in which concurrent
 * calls for an identity that is not cached share one authentication ("single flight"), and so do
 * the links their chains share. Two role identities reached through the same base identity wait
 * for one authentication of the base, then assume their roles concurrently; identities under the
 * same provider (an SSO sign-in) wait for the first to finish, so the user signs in once. An
 * identity whose session is fresh in the cache goes straight to the hook.
 *
 * Each call still ends in the hook's own `withIdentity(identity, env)` with the caller's
 * environment, so every branch builds its environment from its own copy and the session is
 * re-checked for expiry before every step, as before.
 *
 * @module
 */
import type { StepAuth } from "../auth/step_auth.ts";

/** One link of an identity's chain. */
export interface ChainLink {
  role: "provider" | "identity";
  name: string;
}

/** What the wrapper needs to know about identities (from the auth manager; no network). */
export interface ChainFacts {
  /** The identity's chain, root first and the identity itself last. */
  links(identity: string): ChainLink[];
  /** Whether the identity's session is cached and fresh (needs no authentication). */
  fresh(identity: string): boolean;
}

/** `auth` with concurrent authentications of the same identities and links shared. */
export function sharedAuth(auth: StepAuth, facts: ChainFacts): StepAuth {
  const flights = new Map<string, Promise<unknown>>();

  /** Runs `work` as the one authentication registered under `keys` until it settles. */
  const fly = <T>(keys: string[], work: () => Promise<T>): Promise<T> => {
    const flight = work();
    for (const key of keys) flights.set(key, flight);
    flight.finally(() => {
      for (const key of keys) if (flights.get(key) === flight) flights.delete(key);
    }).catch(() => {});
    return flight;
  };

  return {
    check: (identity) => auth.check(identity),
    async withIdentity(identity, env) {
      if (facts.fresh(identity)) return await auth.withIdentity(identity, env);
      const links = facts.links(identity);
      const root = links[0];
      const rootKeys = root?.role === "provider" ? [`provider:${root.name}`] : [];
      // The links above it, root first, each once. Only an actual wait may yield: a branch
      // that finds nothing in flight must register its own before another branch runs.
      for (const link of links.slice(0, -1)) {
        if (link.role === "provider") {
          const signIn = flights.get(`provider:${link.name}`);
          if (signIn) await signIn;
          continue;
        }
        if (facts.fresh(link.name)) continue;
        const key = `identity:${link.name}`;
        await (flights.get(key) ?? fly([key, ...rootKeys], () => auth.withIdentity(link.name, {})));
      }
      const key = `identity:${identity}`;
      const running = flights.get(key);
      if (running) {
        // Another branch is authenticating this identity: wait for it (sharing its failure),
        // then apply the now cached session to this branch's own environment.
        await running;
        return await auth.withIdentity(identity, env);
      }
      return await fly([key, ...rootKeys], () => auth.withIdentity(identity, env));
    },
  };
}
