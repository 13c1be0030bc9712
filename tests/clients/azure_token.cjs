// Probe: an @azure/identity credential's getToken(), as an Azure SDK client would call it.
// Usage: node azure_token.cjs <workload|device|interactive|cli|default> [scope]
//   workload: WorkloadIdentityCredential({ disableInstanceDiscovery: true }) from AZURE_TENANT_ID,
//             AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST;
//   device:   DeviceCodeCredential({ disableInstanceDiscovery: true }) for AZURE_TENANT_ID and
//             AZURE_CLIENT_ID at AZURE_AUTHORITY_HOST, printing the prompt to stderr;
//   interactive: InteractiveBrowserCredential({ redirectUri: "http://localhost",
//             disableInstanceDiscovery: true }): authorization code with PKCE, the browser being
//             whatever `xdg-open` runs (BROWSER);
//   cli:      AzureCliCredential (runs `az account get-access-token`);
//   default:  DefaultAzureCredential (pin it with AZURE_TOKEN_CREDENTIALS).
// Prints one JSON line {credential, token, expiresOnTimestamp}.
"use strict";
const identity = require("@azure/identity");

function credential(kind) {
  switch (kind) {
    case "workload":
      return new identity.WorkloadIdentityCredential({ disableInstanceDiscovery: true });
    case "device":
      return new identity.DeviceCodeCredential({
        tenantId: process.env.AZURE_TENANT_ID,
        clientId: process.env.AZURE_CLIENT_ID,
        disableInstanceDiscovery: true,
        userPromptCallback: (info) => process.stderr.write(`${info.message}\n`),
      });
    case "interactive":
      return new identity.InteractiveBrowserCredential({
        tenantId: process.env.AZURE_TENANT_ID,
        clientId: process.env.AZURE_CLIENT_ID,
        redirectUri: "http://localhost",
        disableInstanceDiscovery: true,
      });
    case "cli":
      return new identity.AzureCliCredential();
    case "default":
      return new identity.DefaultAzureCredential();
    default:
      throw new Error(`unknown credential kind '${kind}' (workload, device, interactive, cli or default)`);
  }
}

async function main() {
  const [kind, scope = "https://management.azure.com/.default"] = process.argv.slice(2);
  const cred = credential(kind);
  const token = await cred.getToken(scope);
  process.stdout.write(JSON.stringify({
    credential: cred.constructor.name,
    token: token.token,
    expiresOnTimestamp: token.expiresOnTimestamp,
  }) + "\n");
}

main().catch((error) => {
  process.stderr.write(`azure_token: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
