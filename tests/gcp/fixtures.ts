/**
 * ADC JSON samples shared by the Google unit tests (fake values).
 *
 * @module
 */
import type { AdcJson } from "../../lib/gcp/adc.ts";

/** A user's `authorized_user` file. */
export const USER: AdcJson = {
  type: "authorized_user",
  client_id: "cid",
  client_secret: "csecret",
  refresh_token: "1//0refresh",
};

/** An `external_account` reading its subject token from `file`. */
export function external(file: string): AdcJson {
  return {
    type: "external_account",
    audience:
      "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q",
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: "https://sts.googleapis.com/v1/token",
    credential_source: { file },
  };
}
