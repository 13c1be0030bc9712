/**
 * The private gcloud configuration an identity's children get through `CLOUDSDK_CONFIG`:
 * `active_config` names the configuration `atmos`, and `configurations/config_atmos` (INI)
 * holds the project, region and zone, the credential file (`[auth] credential_file_override`),
 * gcloud's own impersonation, and the endpoints atmos itself used — so `gcloud auth
 * print-access-token` and `gcloud config get-value project` work with that one variable
 * (tested with gcloud 528; see tests/emulator/CLIENTS.md).
 *
 * @module
 */

/** The name of atmos's gcloud configuration. */
export const GCLOUD_CONFIGURATION = "atmos";

/** What goes into the configuration. */
export interface GcloudProperties {
  project?: string;
  region?: string;
  zone?: string;
  /** Absolute path of the credential file. */
  credentialFile: string;
  /** Delegates then target, comma-separated (gcloud's own impersonation). */
  impersonate?: string;
  /** `[auth] token_host`, when atmos's own calls used an override. */
  tokenHost?: string;
  /** `[api_endpoint_overrides] iamcredentials`, when overridden. */
  iamEndpoint?: string;
}

/** The INI text of `configurations/config_atmos`. */
export function gcloudConfiguration(p: GcloudProperties): string {
  const sections: [string, Record<string, string | undefined>][] = [
    ["core", { project: p.project }],
    ["compute", { region: p.region, zone: p.zone }],
    ["auth", {
      credential_file_override: p.credentialFile,
      impersonate_service_account: p.impersonate,
      token_host: p.tokenHost,
    }],
    ["api_endpoint_overrides", { iamcredentials: p.iamEndpoint }],
  ];
  return sections
    .map(([name, values]) => {
      const lines = Object.entries(values)
        .filter(([, value]) => value !== undefined && value !== "")
        .map(([key, value]) => `${key} = ${value}\n`);
      return lines.length > 0 ? `[${name}]\n${lines.join("")}` : "";
    })
    .filter((text) => text !== "")
    .join("\n");
}
