// Probe: Google Application Default Credentials through google-auth-library, as any Node program
// using Google's client libraries would get them. No arguments: ADC from the environment
// (GOOGLE_APPLICATION_CREDENTIALS, …). Prints one JSON line {clientType, token, echo}; `echo` is
// the answer of GET <ECHO_URL> made with the client's own request() when ECHO_URL is set.
"use strict";
const { GoogleAuth } = require("google-auth-library");

async function main() {
  const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  const client = await auth.getClient();
  const { token } = await client.getAccessToken();
  let echo = null;
  if (process.env.ECHO_URL) echo = (await client.request({ url: process.env.ECHO_URL })).data;
  process.stdout.write(JSON.stringify({ clientType: client.constructor.name, token, echo }) + "\n");
}

main().catch((error) => {
  // gaxios keeps the server's answer (e.g. STS's error_description) on error.response.
  const answer = error && error.response ? `\nresponse: ${JSON.stringify(error.response.data)}` : "";
  process.stderr.write(`gauth_token: ${error && error.stack ? error.stack : error}${answer}\n`);
  process.exit(1);
});
