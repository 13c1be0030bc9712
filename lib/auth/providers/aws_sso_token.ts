/**
 * Getting an IAM Identity Center access token for a portal (start URL + region), in order:
 * 1. the token cache file, when the token has more than 5 minutes left (no lock, no network);
 * 2. under the portal's cross-process lock, the cache file again (another process may have
 *    just signed in — waiters re-read instead of starting their own login);
 * 3. a silent refresh with the refresh token (a rotated refresh token replaces the old one);
 * 4. the device authorization flow, only on a terminal or with `ATMOS_FORCE_TTY=true`;
 *    otherwise one clear error (exit 2).
 * So N parallel callers with an expired token make one refresh or one device flow between
 * them. The client registration is cached with the token until it expires.
 *
 * @module
 */
import { AtmosError } from "../../errors.ts";
import {
  createTokenWithDeviceCode,
  createTokenWithRefreshToken,
  registerClient,
  type RegisteredClient,
  SsoError,
  ssoPollOutcome,
  type SsoTarget,
  type SsoToken,
  startDeviceAuthorization,
} from "../../aws/sso.ts";
import {
  readSsoCache,
  ssoCachePath,
  type SsoTokenCache,
  writeSsoCache,
} from "../../aws/sso_cache.ts";
import { abortableSleep, pollForToken } from "../device_flow.ts";
import { inCi, openBrowser } from "../browser.ts";
import type { AuthContext } from "../kind.ts";

/** A cached access token needs more than this much life left to be used. */
export const TOKEN_BUFFER_MS = 5 * 60 * 1000;
/** A client registration is reused for a new device flow while it has this much life left. */
export const REGISTRATION_BUFFER_MS = 60 * 60 * 1000;
/** How long a process waits for another one's sign-in (device codes live at most 10 minutes). */
export const LOGIN_LOCK_TIMEOUT_MS = 15 * 60 * 1000;
/** The OIDC client name registered with Identity Center. */
export const CLIENT_NAME = "atmos-auth";

/** The portal a provider signs in to. */
export interface Portal {
  /** Provider name, for messages. */
  provider: string;
  startUrl: string;
  region: string;
  /** SSO OIDC endpoint (`oidc.<region>.amazonaws.com` unless overridden). */
  oidcEndpoint: string;
}

/** A usable access token and how it was obtained. */
export interface PortalToken {
  accessToken: string;
  expiresAt: Date;
  /** `cache` (used as stored), `refresh` (silent refresh) or `device` (the user signed in). */
  source: "cache" | "refresh" | "device";
}

/** Returns a fresh access token for the portal, signing in only when nothing else works. */
export async function portalToken(portal: Portal, ctx: AuthContext): Promise<PortalToken> {
  const path = await ssoCachePath(ctx.configDir, portal.startUrl, portal.region);
  const cached = await readSsoCache(path, portal.startUrl, portal.region);
  const fresh = freshToken(cached, ctx.now());
  if (fresh) return fresh;
  const writer = await ctx.writer();
  // Only a waiter sees this: the lock holder may be in a device flow for minutes.
  let waiting: ReturnType<AuthContext["progress"]> | undefined;
  const timer = setTimeout(() => {
    waiting = ctx.progress(`Waiting for another atmos process to sign in to ${portal.startUrl}…`);
  }, 1000);
  return await writer.withLock(path, async () => {
    clearTimeout(timer);
    waiting?.stop();
    const current = await readSsoCache(path, portal.startUrl, portal.region);
    const now = ctx.now();
    const reread = freshToken(current, now);
    if (reread) {
      ctx.debug(`sso "${portal.provider}": another process signed in; using its token`);
      return reread;
    }
    const refreshed = await refresh(portal, current, ctx);
    if (refreshed) {
      await writeSsoCache(writer, path, refreshed.cache);
      return refreshed.token;
    }
    const signedIn = await deviceFlow(portal, current, ctx);
    await writeSsoCache(writer, path, signedIn.cache);
    return signedIn.token;
  }, { timeoutMs: LOGIN_LOCK_TIMEOUT_MS }).finally(() => {
    clearTimeout(timer);
    waiting?.stop();
  });
}

/** The cached token when it has more than {@linkcode TOKEN_BUFFER_MS} left. */
export function freshToken(cache: SsoTokenCache | undefined, now: number): PortalToken | undefined {
  if (!cache?.accessToken || !cache.expiresAt) return undefined;
  if (cache.expiresAt.getTime() - now <= TOKEN_BUFFER_MS) return undefined;
  return { accessToken: cache.accessToken, expiresAt: cache.expiresAt, source: "cache" };
}

interface Obtained {
  token: PortalToken;
  cache: SsoTokenCache;
}

async function refresh(
  portal: Portal,
  cache: SsoTokenCache | undefined,
  ctx: AuthContext,
): Promise<Obtained | undefined> {
  const now = ctx.now();
  if (
    !cache?.refreshToken || !cache.clientId || !cache.clientSecret ||
    !cache.registrationExpiresAt || cache.registrationExpiresAt.getTime() <= now
  ) {
    return undefined;
  }
  ctx.debug(`sso "${portal.provider}": refreshing the access token at ${portal.oidcEndpoint}`);
  let token: SsoToken;
  try {
    token = await createTokenWithRefreshToken(
      target(portal),
      { clientId: cache.clientId, clientSecret: cache.clientSecret },
      cache.refreshToken,
    );
  } catch (error) {
    // A refused refresh token (expired, revoked, rotated elsewhere) means signing in again;
    // network failures and server errors are reported as they are.
    if (error instanceof SsoError && error.status >= 400 && error.status < 500) {
      ctx.debug(`sso "${portal.provider}": refresh refused (${error.code})`);
      return undefined;
    }
    throw error;
  }
  return obtained(portal, cache, token, "refresh", ctx.now(), {
    clientId: cache.clientId,
    clientSecret: cache.clientSecret,
    expiresAt: cache.registrationExpiresAt,
  });
}

async function deviceFlow(
  portal: Portal,
  cache: SsoTokenCache | undefined,
  ctx: AuthContext,
): Promise<Obtained> {
  if (ctx.background || (!ctx.interactive && !isTrue(ctx.env.get("ATMOS_FORCE_TTY")))) {
    throw new AtmosError(
      `provider "${portal.provider}" needs you to sign in to ${portal.startUrl}: there is no valid IAM Identity Center token and this is not a terminal`,
      {
        exitCode: 2,
        hint:
          'run "atmos auth login" on a terminal first, or set ATMOS_FORCE_TTY=true to show the sign-in code here',
        needsPerson: true,
      },
    );
  }
  // Ctrl-C is taken over from the start, so a cancel is always an orderly exit 130.
  const abort = new AbortController();
  const onInterrupt = () => abort.abort(new Error("cancelled"));
  const listening = listen("SIGINT", onInterrupt);
  let client: RegisteredClient;
  let token: SsoToken;
  try {
    client = await registration(portal, cache, ctx);
    token = await approvedToken(portal, client, ctx, abort.signal);
  } finally {
    if (listening) Deno.removeSignalListener("SIGINT", onInterrupt);
  }
  ctx.notice(`✓ Signed in to ${portal.startUrl}`);
  return obtained(portal, cache, token, "device", ctx.now(), client);
}

/** Starts the device authorization, shows it, and polls until it is approved. */
async function approvedToken(
  portal: Portal,
  client: RegisteredClient,
  ctx: AuthContext,
  signal: AbortSignal,
): Promise<SsoToken> {
  const auth = await startDeviceAuthorization(target(portal), client, portal.startUrl);
  ctx.notice(
    `Sign in to AWS IAM Identity Center for provider "${portal.provider}" (${portal.startUrl}):\n` +
      `  open   ${auth.verificationUriComplete}\n` +
      `  code   ${auth.userCode}  (check that the browser shows the same code, then approve)`,
  );
  if (ctx.browser && !inCi(ctx.env) && openBrowser(auth.verificationUriComplete, ctx.env)) {
    ctx.notice("  A browser window has been opened.");
  }
  const progress = ctx.progress(
    `Waiting for approval in the browser (expires in ${
      Math.round(auth.expiresIn / 60)
    }m; Ctrl-C cancels)…`,
  );
  try {
    return await pollForToken({
      poll: () => createTokenWithDeviceCode(target(portal), client, auth.deviceCode),
      classify: ssoPollOutcome,
      interval: auth.interval,
      expiresIn: auth.expiresIn,
      now: () => ctx.now(),
      sleep: abortableSleep,
      signal,
      onPending: (code, interval) => ctx.debug(`sso: ${code}, next poll in ${interval}s`),
    });
  } finally {
    progress.stop();
  }
}

async function registration(
  portal: Portal,
  cache: SsoTokenCache | undefined,
  ctx: AuthContext,
): Promise<RegisteredClient> {
  if (
    cache?.clientId && cache.clientSecret && cache.registrationExpiresAt &&
    cache.registrationExpiresAt.getTime() - ctx.now() > REGISTRATION_BUFFER_MS
  ) {
    return {
      clientId: cache.clientId,
      clientSecret: cache.clientSecret,
      expiresAt: cache.registrationExpiresAt,
    };
  }
  ctx.debug(`sso "${portal.provider}": registering client "${CLIENT_NAME}"`);
  return await registerClient(target(portal), CLIENT_NAME);
}

function obtained(
  portal: Portal,
  previous: SsoTokenCache | undefined,
  token: SsoToken,
  source: PortalToken["source"],
  now: number,
  client: RegisteredClient,
): Obtained {
  const expiresAt = new Date(now + token.expiresIn * 1000);
  return {
    token: { accessToken: token.accessToken, expiresAt, source },
    cache: {
      startUrl: portal.startUrl,
      region: portal.region,
      accessToken: token.accessToken,
      expiresAt,
      // AWS rotates refresh tokens; the old one is kept only when none was returned.
      refreshToken: token.refreshToken ?? previous?.refreshToken,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      registrationExpiresAt: client.expiresAt,
    },
  };
}

function target(portal: Portal): SsoTarget {
  return { endpoint: portal.oidcEndpoint };
}

function listen(signal: Deno.Signal, handler: () => void): boolean {
  try {
    Deno.addSignalListener(signal, handler);
    return true;
  } catch {
    return false;
  }
}

function isTrue(value: string | undefined): boolean {
  return ["1", "true", "yes", "on"].includes((value ?? "").toLowerCase());
}
