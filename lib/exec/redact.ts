/**
 * What atmos treats as secret when it prints a rendered value (step announcements, dry runs,
 * retry lines, prompts, template errors): the values of variables named like credentials
 * (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `ARM_CLIENT_SECRET`, …), the long-lived secrets the
 * configuration reads (passed in by the caller), and whatever a step printed (a step may have
 * read a credentials file). Such values are shown as {@linkcode MASK}.
 *
 * @module
 */

/** What a secret value is shown as. */
export const MASK = "***";

const SECRET_NAME =
  /SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|PRIVATE_KEY|ACCESS_KEY|API_KEY|CLIENT_KEY|SESSION_KEY|CREDENTIALS?$/i;

/** Whether a variable's name says it holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Replaces every known secret value in `text` by {@linkcode MASK}. */
export function scrub(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.replaceAll(secret, MASK);
  }
  return out;
}

/**
 * A copy of `env` for display: values of secret-named variables, of `tainted` variables and
 * values that are known secrets are masked.
 */
export function displayEnv(
  env: Record<string, string>,
  secrets: ReadonlySet<string>,
  tainted: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    out[name] = value !== "" && (isSecretName(name) || tainted.has(name) || secrets.has(value))
      ? MASK
      : value;
  }
  return out;
}
