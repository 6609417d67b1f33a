/**
 * What differs per resource type: the values Azure computes and the providers read back, POST
 * actions, role definitions, and which status code a DELETE must answer with.
 *
 * Only facts the azurerm provider actually reads are modelled; everything else is the generic
 * store's echo. Generated values are derived from the resource ID (a hash), so they stay the same
 * across re-PUTs and restarts, and a second `plan` sees no change.
 */
import { createHash } from 'crypto';
import { TENANT_ID } from './identity';
import type { Json, ResourceStore, StoredResource } from './store';

export interface TypeContext {
  readonly store: ResourceStore;
  /** Kubeconfig handed out by listCluster*Credential. */
  readonly kubeconfig: string;
  /** Blob endpoint of a storage account (the rehearsal points it at Azurite). */
  readonly blobEndpoint: (account: string) => string;
  /** The key listKeys returns for every storage account (Azurite's account key). */
  readonly storageAccountKey: string;
  /** A live secret of the Key Vault data plane (what `az keyvault secret set` wrote), or undefined. */
  readonly keyVaultSecret?: (vault: string, name: string) => KeyVaultSecretView | undefined;
}

/** What ARM knows of a secret written through the Key Vault data plane. */
export interface KeyVaultSecretView {
  readonly version: string;
  readonly attributes: Json;
  readonly contentType?: string;
}

export interface ActionResult {
  readonly status: number;
  readonly body?: unknown;
}

interface TypeBehaviour {
  /** Fills in server-side values on the body about to be stored (mutates it). */
  decorate?(ctx: TypeContext, id: string, body: Json): void;
  /** Runs after the resource was stored (e.g. materialize child resources). */
  afterPut?(ctx: TypeContext, id: string, body: Json): void;
  /** Runs after the resource (and everything beneath its ID) was deleted. */
  afterDelete?(ctx: TypeContext, resource: StoredResource): void;
  /** POST {id}/{action}. */
  actions?: Record<string, (ctx: TypeContext, resource: StoredResource, request: Json) => ActionResult>;
  /** The SDK's expected codes per DELETE differ: these types take only 202/204, never 200. */
  deleteStatus?: number;
  /** Likewise per PUT: custom role definitions take only 201, never 200. */
  putStatus?: number;
  /** Child resources Azure always has (e.g. a storage account's `blobServices/default`). */
  implicitChildren?: Record<string, (ctx: TypeContext, parent: StoredResource) => Json>;
  /**
   * Children another plane decides, by child type: present exactly when that plane holds them
   * (a vault's secrets exist as ARM resources once written through the data plane).
   */
  dataPlaneChildren?: Record<string, (ctx: TypeContext, parent: StoredResource, name: string) => Json | undefined>;
  /**
   * Settings at `{id}/{name}` that are no resource of their own (App Insights'
   * `currentbillingfeatures`): GET answers what was last PUT there, else Azure's default.
   */
  documents?: Record<string, (ctx: TypeContext, resource: StoredResource) => Json>;
}

/** A stable GUID for (id, purpose). */
export function stableGuid(id: string, purpose: string): string {
  const h = createHash('sha256').update(`${id.toLowerCase()}#${purpose}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const props = (body: Json): Json => (body.properties ??= {});
const nameOf = (id: string) => id.split('/').filter(Boolean).pop() ?? '';
const resourceGroupOf = (id: string) => /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)/i.exec(id)?.[1] ?? '';

/**
 * An identity Azure would create along with a resource (AKS add-ons, kubelet): a real
 * user-assigned identity resource is stored too, in the cluster's node resource group, so the
 * IDs the provider records resolve to something.
 */
function managedIdentity(ctx: TypeContext, identityId: string): Json {
  const existing = ctx.store.get(identityId);
  if (!existing) {
    const body: Json = { location: 'global', properties: {} };
    decorateIdentityResource(identityId, body);
    ctx.store.set(identityId, { ...body, id: identityId, name: nameOf(identityId), type: 'Microsoft.ManagedIdentity/userAssignedIdentities' });
  }
  const p = ctx.store.get(identityId)!.body.properties;
  return { resourceId: identityId, clientId: p.clientId, objectId: p.principalId };
}

function decorateIdentityResource(id: string, body: Json): void {
  const p = props(body);
  p.principalId ??= stableGuid(id, 'principal');
  p.clientId ??= stableGuid(id, 'client');
  p.tenantId ??= TENANT_ID;
}

/** `identity` blocks of any resource: system-assigned IDs, and user-assigned ones looked up. */
function decorateResourceIdentity(ctx: TypeContext, id: string, body: Json): void {
  const identity = body.identity;
  if (!identity || typeof identity !== 'object') return;
  const type = String(identity.type ?? '').toLowerCase();
  if (type.includes('systemassigned')) {
    identity.principalId ??= stableGuid(id, 'system-identity');
    identity.tenantId ??= TENANT_ID;
  }
  if (identity.userAssignedIdentities && typeof identity.userAssignedIdentities === 'object') {
    for (const key of Object.keys(identity.userAssignedIdentities)) {
      const stored = ctx.store.get(key)?.body.properties;
      identity.userAssignedIdentities[key] = {
        principalId: stored?.principalId ?? stableGuid(key, 'principal'),
        clientId: stored?.clientId ?? stableGuid(key, 'client'),
      };
    }
  }
}

function nodeResourceGroupId(clusterId: string, body: Json): string {
  return `${/^(\/subscriptions\/[^/]+)/i.exec(clusterId)![1]}/resourceGroups/${body.properties?.nodeResourceGroup}`;
}

function kubeconfigResult(ctx: TypeContext, name: string): ActionResult {
  return { status: 200, body: { kubeconfigs: [{ name, value: Buffer.from(ctx.kubeconfig).toString('base64') }] } };
}

const AKS_ADDON_IDENTITIES: Record<string, string> = {
  ingressApplicationGateway: 'ingressapplicationgateway',
  omsagent: 'omsagent',
  azureKeyvaultSecretsProvider: 'azurekeyvaultsecretsprovider',
};

function decorateAgentPool(pool: Json, version: string): void {
  pool.provisioningState = 'Succeeded';
  pool.powerState ??= { code: 'Running' };
  pool.orchestratorVersion ??= version;
  pool.currentOrchestratorVersion = pool.orchestratorVersion ?? version;
  pool.nodeImageVersion ??= 'AKSAzureLinux-V3gen2-202601.01.0';
  pool.count ??= pool.minCount ?? 1;
  pool.osType ??= 'Linux';
}

const BEHAVIOURS: Record<string, TypeBehaviour> = {
  'microsoft.managedidentity/userassignedidentities': {
    decorate: (_ctx, id, body) => decorateIdentityResource(id, body),
  },
  'microsoft.network/publicipaddresses': {
    decorate(_ctx, id, body) {
      const h = createHash('sha256').update(id.toLowerCase()).digest();
      props(body).ipAddress ??= `20.${h[0]}.${h[1]}.${(h[2] % 250) + 4}`;
      // Azure derives the FQDN from the DNS label: <label>.<location>.cloudapp.azure.com.
      const dns = props(body).dnsSettings;
      if (dns?.domainNameLabel) dns.fqdn = `${dns.domainNameLabel}.${String(body.location ?? '').toLowerCase()}.cloudapp.azure.com`;
    },
  },
  'microsoft.containerregistry/registries': {
    decorate(_ctx, id, body) {
      props(body).loginServer = `${nameOf(id).toLowerCase()}.azurecr.io`;
    },
  },
  // Custom roles (the cluster's disk-only role): the SDK accepts only 201 on PUT and reads
  // createdOn/updatedOn back when it updates one.
  'microsoft.authorization/roledefinitions': {
    putStatus: 201,
    decorate(ctx, id, body) {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      props(body).type ??= 'CustomRole';
      props(body).createdOn = ctx.store.get(id)?.body.properties?.createdOn ?? now;
      props(body).updatedOn = now;
    },
  },
  // Private DNS zones (privateEndpoints): Azure makes the zone's SOA record set itself, and the
  // provider reads it back right after creating the zone.
  'microsoft.network/privatednszones': {
    implicitChildren: {
      'soa/@': (_ctx, zone) => ({
        properties: {
          ttl: 3600,
          fqdn: `${nameOf(zone.id)}.`,
          soaRecord: { email: 'azureprivatedns-host.microsoft.com', expireTime: 2419200, host: 'azureprivatedns.net', minimumTtl: 10, refreshTime: 3600, retryTime: 300, serialNumber: 1 },
        },
      }),
    },
  },
  // Azure Policy assignments (the cluster's pod security baseline): the SDK's create takes only 201.
  'microsoft.authorization/policyassignments': { putStatus: 201 },
  'microsoft.containerregistry/registries/cacherules': { deleteStatus: 202 },
  'microsoft.containerregistry/registries/credentialsets': { deleteStatus: 202 },
  'microsoft.keyvault/vaults': {
    decorate(_ctx, id, body) {
      props(body).vaultUri = `https://${nameOf(id).toLowerCase()}.vault.azure.net/`;
    },
    dataPlaneChildren: {
      // A role assignment scoped to one secret needs it as its parent (ParentResourceNotFound otherwise).
      secrets(ctx, vault, name) {
        const secret = ctx.keyVaultSecret?.(nameOf(vault.id), name);
        if (!secret) return undefined;
        const uri = `${vault.body.properties?.vaultUri ?? `https://${nameOf(vault.id).toLowerCase()}.vault.azure.net/`}secrets/${name}`;
        return {
          location: vault.body.location,
          properties: {
            secretUri: uri,
            secretUriWithVersion: `${uri}/${secret.version}`,
            attributes: secret.attributes,
            ...(secret.contentType !== undefined ? { contentType: secret.contentType } : {}),
          },
        };
      },
    },
  },
  'microsoft.insights/components': {
    decorate(_ctx, id, body) {
      const p = props(body);
      p.AppId ??= stableGuid(id, 'app-id');
      p.InstrumentationKey ??= stableGuid(id, 'instrumentation-key');
      const location = String(body.location ?? '').toLowerCase();
      p.ConnectionString = `InstrumentationKey=${p.InstrumentationKey};IngestionEndpoint=https://${location}-0.in.applicationinsights.azure.com/;LiveEndpoint=https://${location}.livediagnostics.monitor.azure.com/;ApplicationId=${p.AppId}`;
    },
    documents: {
      // The provider reads and writes the daily cap here after every create and update.
      currentbillingfeatures: () => ({
        CurrentBillingFeatures: ['Basic'],
        DataVolumeCap: { Cap: 100, MaxHistoryCap: 1000, ResetTime: 0, WarningThreshold: 90, StopSendNotificationWhenHitCap: false, StopSendNotificationWhenHitThreshold: false },
      }),
    },
  },
  'microsoft.operationalinsights/workspaces': {
    decorate(_ctx, id, body) {
      props(body).customerId ??= stableGuid(id, 'customer');
    },
    actions: {
      sharedKeys: (_ctx, r) => ({
        status: 200,
        body: {
          primarySharedKey: Buffer.from(stableGuid(r.id, 'key1')).toString('base64'),
          secondarySharedKey: Buffer.from(stableGuid(r.id, 'key2')).toString('base64'),
        },
      }),
    },
  },
  'microsoft.compute/disks': {
    decorate(_ctx, id, body) {
      const p = props(body);
      p.diskState ??= 'Unattached';
      p.uniqueId ??= stableGuid(id, 'disk');
      p.timeCreated ??= new Date().toISOString();
      if (typeof p.diskSizeGB === 'number') p.diskSizeBytes = p.diskSizeGB * 1024 ** 3;
    },
  },
  'microsoft.containerservice/managedclusters': {
    decorate(ctx, id, body) {
      const p = props(body);
      const name = nameOf(id);
      const version = p.kubernetesVersion ?? '1.33.0';
      p.kubernetesVersion = version;
      p.currentKubernetesVersion = version;
      p.nodeResourceGroup ??= `MC_${resourceGroupOf(id).split('/').pop()}_${name}_${body.location ?? 'westeurope'}`;
      const nodeGroup = nodeResourceGroupId(id, body);
      const dns = `${p.dnsPrefix ?? name}-${stableGuid(id, 'dns').slice(0, 8)}.hcp.${body.location ?? 'westeurope'}.azmk8s.io`;
      p.fqdn = dns;
      p.azurePortalFQDN = dns.replace('.hcp.', '.portal.hcp.');
      if (p.oidcIssuerProfile?.enabled) p.oidcIssuerProfile.issuerURL = `https://oidc.stand-in.invalid/${stableGuid(id, 'oidc')}/`;
      p.maxAgentPools ??= 100;
      p.identityProfile = { kubeletidentity: managedIdentity(ctx, `${nodeGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}-agentpool`) };
      for (const [addon, identityName] of Object.entries(AKS_ADDON_IDENTITIES)) {
        const profile = p.addonProfiles?.[addon];
        if (profile?.enabled) {
          profile.identity = managedIdentity(ctx, `${nodeGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${identityName}-${name}`);
        }
      }
      if (p.addonProfiles?.ingressApplicationGateway?.enabled) {
        const config = (p.addonProfiles.ingressApplicationGateway.config ??= {});
        config.effectiveApplicationGatewayId ??= config.applicationGatewayId;
      }
      for (const pool of p.agentPoolProfiles ?? []) decorateAgentPool(pool, version);
      p.powerState = { code: 'Running' };
      decorateResourceIdentity(ctx, id, body);
    },
    afterPut(ctx, id, body) {
      // AKS creates and owns its node resource group; it goes when the cluster goes.
      const nodeGroup = nodeResourceGroupId(id, body);
      if (!ctx.store.get(nodeGroup)) {
        ctx.store.set(nodeGroup, {
          id: nodeGroup,
          name: nodeGroup.split('/').pop(),
          type: 'Microsoft.Resources/resourceGroups',
          location: body.location,
          managedBy: id,
          properties: { provisioningState: 'Succeeded' },
        });
      }
      // The default pool is an agentPools child in Azure too; the provider reads it there.
      for (const pool of body.properties?.agentPoolProfiles ?? []) {
        const poolId = `${id}/agentPools/${pool.name}`;
        const properties = { ...pool };
        delete properties.name;
        ctx.store.set(poolId, { id: poolId, name: pool.name, type: 'Microsoft.ContainerService/managedClusters/agentPools', properties });
      }
    },
    afterDelete(ctx, resource) {
      ctx.store.delete(nodeResourceGroupId(resource.id, resource.body));
    },
    actions: {
      listClusterUserCredential: (ctx) => kubeconfigResult(ctx, 'clusterUser'),
      listClusterAdminCredential: (ctx) => kubeconfigResult(ctx, 'clusterAdmin'),
      listClusterMonitoringUserCredential: (ctx) => kubeconfigResult(ctx, 'clusterMonitoringUser'),
    },
    deleteStatus: 202,
  },
  'microsoft.containerservice/managedclusters/agentpools': {
    decorate(ctx, id, body) {
      const cluster = ctx.store.get(id.split('/').slice(0, -2).join('/'));
      decorateAgentPool(props(body), cluster?.body.properties?.kubernetesVersion ?? '1.33.0');
    },
    deleteStatus: 202,
  },
  'microsoft.storage/storageaccounts': {
    decorate(ctx, id, body) {
      const account = nameOf(id);
      const p = props(body);
      p.primaryEndpoints = {
        blob: ctx.blobEndpoint(account),
        queue: `https://${account}.queue.core.windows.net/`,
        table: `https://${account}.table.core.windows.net/`,
        file: `https://${account}.file.core.windows.net/`,
        dfs: `https://${account}.dfs.core.windows.net/`,
        web: `https://${account}.z6.web.core.windows.net/`,
      };
      p.primaryLocation ??= body.location;
      p.statusOfPrimary ??= 'available';
      p.creationTime ??= new Date().toISOString();
    },
    actions: {
      listKeys: (ctx) => ({
        status: 200,
        body: {
          keys: [
            { keyName: 'key1', value: ctx.storageAccountKey, permissions: 'FULL' },
            { keyName: 'key2', value: ctx.storageAccountKey, permissions: 'FULL' },
          ],
        },
      }),
    },
    implicitChildren: {
      'blobservices/default': () => ({ properties: {} }),
      'fileservices/default': () => ({ properties: {} }),
      'queueservices/default': () => ({ properties: {} }),
      'tableservices/default': () => ({ properties: {} }),
    },
  },
  'microsoft.authorization/roleassignments': {
    decorate(_ctx, id, body) {
      const p = props(body);
      p.scope = id.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i, '') || '/';
      p.principalType ??= 'ServicePrincipal';
      p.createdOn ??= new Date().toISOString();
      p.updatedOn = new Date().toISOString();
    },
  },
  'microsoft.authorization/locks': {
    decorate(_ctx, _id, body) {
      // Locks have no provisioningState in Azure; harmless either way, but keep `level` as given.
      props(body);
    },
  },
};

/**
 * Other types whose DELETE the SDK accepts only as 202/204 (go-azure-sdk `method_delete.go`
 * without StatusOK). Everything else takes 200 (resource groups take 200/202, vaults, identities,
 * role assignments and locks 200/204: 200 is the one code they all accept).
 */
const ACCEPTED_ONLY_DELETES = new Set([
  'microsoft.containerregistry/registries/archives',
  'microsoft.containerregistry/registries/archives/versions',
  'microsoft.containerservice/managedclusters/managednamespaces',
  'microsoft.network/networkwatchers',
  'microsoft.network/networkwatchers/flowlogs',
  'microsoft.network/networkwatchers/connectionmonitors',
  'microsoft.network/networkwatchers/packetcaptures',
  'microsoft.resources/deployments',
]);

export function behaviourOf(type: string): TypeBehaviour {
  const lower = type.toLowerCase();
  return BEHAVIOURS[lower] ?? (ACCEPTED_ONLY_DELETES.has(lower) ? { deleteStatus: 202 } : {});
}

/** Applies the type's server-side values, then the generic `identity` handling. */
export function decorate(ctx: TypeContext, id: string, type: string, body: Json): void {
  behaviourOf(type).decorate?.(ctx, id, body);
  if (type.toLowerCase() !== 'microsoft.containerservice/managedclusters') decorateResourceIdentity(ctx, id, body);
}

/**
 * Built-in roles by name, with their real GUIDs (the provider stores the definition ID and
 * compares it on the next plan). Every role the constructs grant is here, plus common ones.
 */
export const BUILT_IN_ROLES: Record<string, string> = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  'Network Contributor': '4d97b98b-1d4f-4787-a291-c67834d212e7',
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  AcrPush: '8311e382-0749-4cb8-b61a-304f252e45ec',
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Key Vault Administrator': '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'DNS Zone Contributor': 'befefa01-2a29-4197-83a8-272ff33ce314',
  'Disk Snapshot Contributor': '7efff54f-a5b4-42b5-a1c5-5411624893ce',
  'Disk Backup Reader': '3e5e47e6-65f7-47ef-90b5-e5dd4d455f24',
  'Managed Identity Operator': 'f1a07417-d97a-45cb-824c-7a7467783830',
  'Azure Kubernetes Service RBAC Cluster Admin': 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b',
  'Azure Kubernetes Service Cluster User Role': '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
};

export function roleDefinition(subscription: string, guid: string): Json | undefined {
  const roleName = Object.keys(BUILT_IN_ROLES).find((n) => BUILT_IN_ROLES[n] === guid.toLowerCase());
  if (!roleName) return undefined;
  return {
    id: `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${guid.toLowerCase()}`,
    name: guid.toLowerCase(),
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName,
      type: 'BuiltInRole',
      description: `${roleName} (built-in role, served by the ARM stand-in)`,
      assignableScopes: ['/'],
      permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }],
    },
  };
}

/** `$filter=roleName eq 'X'`: exactly one match for a known built-in role, none otherwise. */
export function roleDefinitionsMatching(subscription: string, filter: string | null): Json[] {
  const wanted = filter ? /roleName\s+eq\s+'([^']*)'/i.exec(filter)?.[1] : undefined;
  const names = wanted !== undefined ? Object.keys(BUILT_IN_ROLES).filter((n) => n.toLowerCase() === wanted.toLowerCase()) : Object.keys(BUILT_IN_ROLES);
  return names.map((n) => roleDefinition(subscription, BUILT_IN_ROLES[n])!);
}
