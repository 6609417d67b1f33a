/**
 * The two things a provider asks before any resource call: where the cloud's endpoints are (the
 * metadata document) and a token (the client-secret grant). Both are served by the stand-in itself.
 *
 * The metadata shape is go-azure-sdk's `metaDataResponse` (sdk/internal/metadata/client.go, schema
 * 2022-09-01). `environments.FromEndpoint` rejects a document without `name`, `resourceManager` or
 * `microsoftGraphResourceId`; the Key Vault DNS suffix and the Storage suffix come from `suffixes`.
 */

/** Fixed identities: the tokens carry them, and tests and scenarios can compare against them. */
export const SUBSCRIPTION_ID = '00000000-1111-4000-8000-000000000001';
export const TENANT_ID = '00000000-2222-4000-8000-000000000002';
/** The service principal's application (client) ID: `appid` in the token, ARM_CLIENT_ID. */
export const CLIENT_ID = '00000000-3333-4000-8000-000000000003';
/** The service principal's object ID: `oid` in the token, what azurerm_client_config.object_id reads. */
export const OBJECT_ID = '00000000-4444-4000-8000-000000000004';
/** Any secret is accepted; this is the one tokenEnv() hands out. */
export const CLIENT_SECRET = 'arm-standin-client-secret';

/**
 * Real host names are kept for the Key Vault and Storage suffixes: the vault client checks that a
 * challenge's resource matches the vault's domain, and `{name}.vault.azure.net` is what the
 * provider builds vault URIs from. Those names are reached through the stand-in's proxy.
 */
export const KEY_VAULT_SUFFIX = 'vault.azure.net';
export const STORAGE_SUFFIX = 'core.windows.net';

/** `base` is the stand-in's own origin with a trailing slash, e.g. https://127.0.0.1:4443/ */
export function metadataDocument(base: string): Record<string, unknown> {
  return {
    portal: base,
    authentication: {
      // Without the trailing slash, as Azure's own document: the SDK appends `/{tenant}/oauth2/...`.
      loginEndpoint: base.replace(/\/$/, ''),
      audiences: [base, 'https://management.azure.com/'],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    media: base,
    graphAudience: base,
    graph: base,
    name: 'ArmStandIn',
    suffixes: {
      acrLoginServer: 'azurecr.io',
      keyVaultDns: KEY_VAULT_SUFFIX,
      storage: STORAGE_SUFFIX,
      mhsmDns: 'managedhsm.azure.net',
      sqlServerHostname: 'database.windows.net',
    },
    batch: base,
    resourceManager: base,
    activeDirectoryDataLake: base,
    sqlManagement: base,
    microsoftGraphResourceId: `${base}graph/`,
    logAnalyticsResourceId: `${base}loganalytics/`,
    gallery: base,
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An unsigned JWT: the SDK only decodes the payload (sdk/claims.ParseClaims) to learn the caller's
 * object, tenant and application IDs; nothing here verifies signatures. `alg: none` says so.
 */
export function accessToken(audience: string, tenantId = TENANT_ID, lifetimeSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: audience,
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    oid: OBJECT_ID,
    sub: OBJECT_ID,
    tid: tenantId,
    appid: CLIENT_ID,
    idtyp: 'app',
    idp: `https://sts.windows.net/${tenantId}/`,
    ver: '1.0',
  };
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
}

/** The audience a token request asks for: `scope` (v2, `<resource>/.default`) or `resource` (v1). */
export function requestedAudience(form: URLSearchParams): string {
  const scope = form.get('scope');
  if (scope) return scope.split(' ')[0].replace(/\/?\.default$/, '');
  return form.get('resource') ?? 'https://management.azure.com';
}

/** The token endpoint's answer, for both `/{tenant}/oauth2/v2.0/token` and the v1 `/{tenant}/oauth2/token`. */
export function tokenResponse(form: URLSearchParams, tenantFromPath: string): Record<string, unknown> {
  const tenantId = /^[0-9a-f-]{36}$/i.test(tenantFromPath) ? tenantFromPath : TENANT_ID;
  const lifetime = 3600;
  const audience = requestedAudience(form);
  return {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    expires_on: String(Math.floor(Date.now() / 1000) + lifetime),
    resource: audience,
    access_token: accessToken(audience, tenantId, lifetime),
  };
}
