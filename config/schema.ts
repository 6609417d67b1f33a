/**
 * The schema of an environment file (config/environments/<env>.yaml).
 *
 * One source for both validation and the TypeScript type: `PlatformConfig` is inferred from the
 * schema, so a field cannot exist in code without a rule. Objects are strict, so a misspelt key
 * is an error rather than a silently ignored setting. Defaults live here and only here; a field
 * has a default only where that default is safe for production data.
 * Cross-field rules (CIDRs, zones, names after the naming convention) are in ./rules.ts.
 */
import { z } from 'zod';
import { DATA_COMPONENTS, REGION_ABBREVIATIONS } from '../constructs/core/naming';
import { GPU_TAINT } from '../constructs/kubernetes-cluster/gpu';

/**
 * An environment's name, taken from its file name (config/environments/<name>.yaml). It appears
 * in every Azure name, including those that allow only lowercase letters and digits (registry,
 * storage accounts), so it is 2-8 lowercase letters and digits, starting with a letter; names too
 * long for a derived Azure name once workload and region are added are caught in ./rules.ts.
 */
export const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,7}$/, 'must be 2-8 lowercase letters and digits, starting with a letter (it is part of every Azure name)');

// YAML users write zones as numbers (`zones: [1, 2, 3]`); Azure wants strings.
const zone = z.preprocess((v) => (v === 1 || v === 2 || v === 3 ? String(v) : v), z.enum(['1', '2', '3']));
const zones = z.array(zone).refine((list) => new Set(list).size === list.length, 'zones must not repeat');

const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be an IPv4 CIDR such as 10.0.0.0/16');
const ipv4 = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, 'must be an IPv4 address such as 10.0.0.10');
/** An Azure resource ID of one type, for example `Microsoft.Network/virtualNetworks/<name>`. */
const azureResourceId = (type: string, example: string) =>
  z.string().regex(
    new RegExp(`^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/${type.replace(/\//g, '\\/').replace(/\./g, '\\.').replace(/<name>/g, '[^/]+')}$`, 'i'),
    `must be a resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/${example}`,
  );
const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID (an Entra object ID)');
const tagKey = z.string().regex(/^[^<>%&\\?/]{1,512}$/, 'must be 1-512 characters without < > % & \\ ? /');
const dns1123Label = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a lowercase DNS label');

const nodePoolSize = {
  /** Azure VM size, for example Standard_D4ds_v5. */
  vmSize: z.string().regex(/^Standard_[A-Za-z0-9_]+$/, 'must be an Azure VM size such as Standard_D4ds_v5'),
  minCount: z.number().int().min(0).max(1000),
  maxCount: z.number().int().min(1).max(1000),
  zones: zones.default(['1', '2', '3']),
  /**
   * OS disk size; absent means 128 GiB. With an ephemeral OS disk it must fit the VM size's temp
   * disk (constructs/kubernetes-cluster/vm-sizes.ts), and must be set for a size not listed there.
   */
  osDiskSizeGb: z.number().int().min(30).max(2048).optional(),
  /**
   * Ephemeral OS disks live on the VM's local storage: faster, free, and nothing persists on a
   * node. The OS disk size must fit the VM size's cache or temp disk (Standard_D4ds_v5: 150 GiB).
   */
  osDiskType: z.enum(['Ephemeral', 'Managed']).default('Ephemeral'),
  maxPods: z.number().int().min(30).max(250).default(50),
};

const extraNodePool = z.strictObject({
  /** Linux node pool name: 1-12 lowercase letters and digits, starting with a letter. */
  name: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, 'must be 1-12 lowercase letters and digits, starting with a letter'),
  ...nodePoolSize,
  labels: z.record(z.string(), z.string()).default({}),
  /** Kubernetes taints such as `workload=etl:NoSchedule`. */
  taints: z
    .array(z.string().regex(/^[\w./-]+(=[\w.-]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/, 'must be key=value:Effect'))
    .default([]),
  /** Spot pools are cheap and evictable: only for interruptible work. */
  priority: z.enum(['Regular', 'Spot']).default('Regular'),
  /**
   * Marks a GPU pool (README, "GPU node pools"): AKS installs the GPU driver on its nodes and the
   * application stack installs NVIDIA's device plugin. Absent: not a GPU pool.
   */
  gpu: z
    .strictObject({
      /** Only NVIDIA: AKS supports no AMD GPU size in a Linux pool, and the device plugin installed is NVIDIA's. */
      vendor: z.literal('nvidia'),
      /**
       * Lets minCount be above 0. An idle GPU node bills at GPU prices, so a pool scales from 0
       * unless this says otherwise.
       */
      allowIdleNodes: z.boolean().default(false),
    })
    .optional(),
})
  // A GPU pool without taints gets AKS's GPU taint, which the device plugin tolerates; one with
  // taints of its own must list it too (config/rules.ts).
  .transform((pool) => (pool.gpu && pool.taints.length === 0 ? { ...pool, taints: [GPU_TAINT] } : pool));

const maintenanceWindow = z.strictObject({
  dayOfWeek: z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']).default('Sunday'),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)').default('02:00'),
  durationHours: z.number().int().min(4).max(24).default(4),
  utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/, 'must be +HH:MM or -HH:MM').default('+00:00'),
});

const dataDisk = z.strictObject({
  sizeGb: z.number().int().min(4).max(32767),
  /** Overrides dataDisks.skuName for this component. */
  skuName: z.enum(['Premium_LRS', 'StandardSSD_LRS', 'Premium_ZRS', 'StandardSSD_ZRS', 'PremiumV2_LRS']).optional(),
  /**
   * Overrides dataDisks.zone for this component; `null` for a regional (non-zonal) disk, as the
   * script-based installs created. Changing the zone of an existing disk is impossible in Azure.
   */
  zone: zone.nullable().optional(),
});

/** Opik's components whose requests and limits an environment file may set. */
export const OPIK_RESOURCE_COMPONENTS = ['backend', 'pythonBackend', 'frontend', 'clickhouse', 'mysql', 'redis', 'minio', 'zookeeper', 'oauth2Proxy'] as const;
export type OpikResourceComponent = (typeof OPIK_RESOURCE_COMPONENTS)[number];

// YAML reads `cpu: 1` or `cpu: 0.5` as a number; Kubernetes wants the quantity as a string.
const cpuQuantity = z.preprocess((v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v), z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a CPU quantity such as 500m or 2'));
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, 'must be a memory quantity such as 512Mi or 4Gi');
const containerResources = z.strictObject({
  /** CPU request, for example 500m. */
  cpu: cpuQuantity,
  /** Memory request, for example 2Gi. */
  memory: memoryQuantity,
  /** CPU limit; absent means none (CPU is throttled, never killed). */
  cpuLimit: cpuQuantity.optional(),
  /** Memory limit; absent means equal to the request, so the pod is never OOM-killed for using what it asked for. */
  memoryLimit: memoryQuantity.optional(),
});
export type ContainerResources = z.infer<typeof containerResources>;

/** A container probe: an HTTP GET on a path, or a TCP connect, on the container's port. */
const probe = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http'),
    path: z.string().regex(/^\/[\x21-\x7e]*$/, 'must be an absolute URL path such as /health'),
    initialDelaySeconds: z.number().int().min(0).max(600).default(10),
    periodSeconds: z.number().int().min(1).max(300).default(10),
  }),
  z.strictObject({
    type: z.literal('tcp'),
    initialDelaySeconds: z.number().int().min(0).max(600).default(10),
    periodSeconds: z.number().int().min(1).max(300).default(10),
  }),
]);

/** Environment variable and file names: letters, digits and underscores, not starting with a digit. */
const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name: letters, digits and _, not starting with a digit');
const keyVaultSecretName = z.string().regex(/^[0-9A-Za-z-]{1,127}$/, 'must be a Key Vault secret name: 1-127 letters, digits and hyphens');
// YAML reads `LOG_LEVEL: 4` or `DEBUG: false` as a number or boolean; a ConfigMap holds strings.
const settingValue = z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string().max(4096));

/** One of the team's own services, deployed by the services-<env> stack (README: "The team's own services"). */
const teamService = z.strictObject({
  /** Deployment, Service and identity name; also the namespace unless `namespace` is set. A DNS-1035 label of at most 40 characters. */
  name: z.string().regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, 'must be 1-40 lowercase letters, digits and hyphens, starting with a letter'),
  /** Namespace the service runs in, alone. @default - the service's name */
  namespace: dns1123Label.optional(),
  /**
   * Repository in the environment's own registry, with tag and digest:
   * `flask-api:1.4.2@sha256:<64 hex>`. The digest pins what runs; the tag is for people.
   */
  image: z
    .string()
    .regex(
      /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*:\w[\w.-]{0,127}@sha256:[0-9a-f]{64}$/,
      'must be <repository>:<tag>@sha256:<64 hex digits>, a repository in the environment\'s registry (no registry host) pinned by digest',
    )
    .refine((v) => !(v.includes('/') && v.split('/')[0].includes('.')), 'must not name a registry host: images come from the environment\'s own registry'),
  /**
   * User and group the container runs as; above 10000, so it maps to no user of the node.
   * The image must run as any non-root user (files it writes go to /tmp or mounted volumes).
   */
  runAsUser: z.number().int().min(10001).max(2147483647).default(10001),
  /** The port the container listens on. */
  port: z.number().int().min(1024).max(65535),
  /** The port the Service (and a LoadBalancer) listens on. */
  servicePort: z.number().int().min(1).max(65535).default(80),
  /** A fixed replica count; set this or `autoscaling`, not both. */
  replicas: z.number().int().min(1).max(50).optional(),
  /** A HorizontalPodAutoscaler instead of a fixed count; targets are percentages of the requests. */
  autoscaling: z
    .strictObject({
      minReplicas: z.number().int().min(1).max(100),
      maxReplicas: z.number().int().min(1).max(100),
      cpuUtilization: z.number().int().min(1).max(100).default(70),
      memoryUtilization: z.number().int().min(1).max(100).default(80),
    })
    .optional(),
  /**
   * Requests and limits. A CPU limit is required here, unlike Opik's components: one busy service
   * must not take the CPU Opik's databases need. Memory limit absent: equal to the request.
   */
  resources: containerResources.extend({ cpuLimit: cpuQuantity }).default({ cpu: '100m', memory: '256Mi', cpuLimit: '500m' }),
  probes: z
    .strictObject({
      liveness: probe.default({ type: 'http', path: '/health', initialDelaySeconds: 10, periodSeconds: 10 }),
      readiness: probe.default({ type: 'http', path: '/health', initialDelaySeconds: 10, periodSeconds: 10 }),
    })
    .default({
      liveness: { type: 'http', path: '/health', initialDelaySeconds: 10, periodSeconds: 10 },
      readiness: { type: 'http', path: '/health', initialDelaySeconds: 10, periodSeconds: 10 },
    }),
  /** Plain settings: a ConfigMap the container reads as environment variables. Never credentials. */
  settings: z.record(envVarName, settingValue).default({}),
  /**
   * File name -> Key Vault secret name (in the platform's vault). Mounted read-only under
   * /mnt/secrets/<file name> by the Secrets Store CSI driver with the service's workload identity;
   * the value never passes through Terraform.
   */
  secrets: z.record(envVarName, keyVaultSecretName).default({}),
  /** How the service is reached: only inside the cluster, through the Application Gateway, or on a public IP of its own. */
  exposure: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('internal') }),
      z.strictObject({
        type: z.literal('ingress'),
        /** Host name; its A record points at the Application Gateway's IP (network stack output). */
        host: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lowercase DNS name such as api.example.com'),
        path: z.string().regex(/^\/[\x21-\x7e]*$/, 'must be an absolute URL path such as /api').default('/'),
        /** HTTPS with a Let's Encrypt certificate from the application stack's ClusterIssuer (needs application.autoSsl). */
        tls: z.boolean().default(true),
      }),
      z.strictObject({
        type: z.literal('loadBalancer'),
        /**
         * A public IP of the service's own: no TLS, no WAF, no sign-in in front of it. Only by saying
         * so (refused in a production environment; use `type: ingress` there).
         */
        publicWithoutTlsOrWaf: z.literal(true, { error: 'must be true to put the service on a public IP without TLS or WAF; or use type: ingress (the Application Gateway, with TLS and WAF)' }),
      }),
    ])
    .default({ type: 'internal' }),
  /** What the default-deny NetworkPolicy lets through besides DNS and the exposure path. */
  networkPolicy: z
    .strictObject({
      /** Pods allowed in: from a namespace, pods with labels, or pods with labels in a namespace. */
      ingressFrom: z
        .array(
          z
            .strictObject({ namespace: dns1123Label.optional(), podLabels: z.record(z.string(), z.string()).optional() })
            .refine((v) => v.namespace !== undefined || v.podLabels !== undefined, 'must set namespace, podLabels or both'),
        )
        .default([]),
      /** Destinations allowed out, by CIDR and port. */
      egressTo: z
        .array(
          z.strictObject({
            cidr,
            ports: z.array(z.strictObject({ port: z.number().int().min(1).max(65535), protocol: z.enum(['TCP', 'UDP']).default('TCP') })).min(1),
          }),
        )
        .default([]),
    })
    .default({ ingressFrom: [], egressTo: [] }),
  /** A workspace-based Application Insights component; its connection string reaches the service as a secret file. */
  applicationInsights: z.boolean().default(true),
});
export type TeamServiceConfig = z.infer<typeof teamService>;

export const platformConfigSchema = z.strictObject({
  /** Must match the file name: prod.yaml holds `environment: prod`. */
  environment: environmentName,
  /**
   * `development` allows what only a development environment may do (local cluster accounts:
   * cluster.localAccountDisabled: false); `production` (the default) refuses it.
   */
  purpose: z.enum(['development', 'production']).default('production'),
  /** Short workload token used in every name. */
  workload: z.string().regex(/^[a-z][a-z0-9]{1,9}$/, 'must be 2-10 lowercase letters and digits, starting with a letter').default('opik'),
  /** Azure region, for example westeurope. */
  location: z.string().refine((v) => v in REGION_ABBREVIATIONS, {
    message: `must be one of the known Azure regions: ${Object.keys(REGION_ABBREVIATIONS).join(', ')}`,
  }),
  /** Optional token appended to every name, for names that must be globally unique (registry, Key Vault). */
  instance: z.string().regex(/^[a-z0-9]{1,6}$/, 'must be 1-6 lowercase letters and digits').optional(),
  /** Subscription to deploy into; when absent, ARM_SUBSCRIPTION_ID at plan time decides. */
  subscriptionId: uuid.optional(),
  /** Extra tags on every taggable resource (environment, workload and managed-by are always set). */
  tags: z.record(tagKey, z.string().max(256)).default({}),

  /** Where every stack of this environment keeps its Terraform state (see README, Bootstrap). */
  state: z.strictObject({
    /** Region of the state storage; defaults to `location`. */
    location: z.string().refine((v) => v in REGION_ABBREVIATIONS, 'must be a known Azure region').optional(),
    /** Overrides the derived resource group name (to adopt existing state storage). */
    resourceGroupName: z.string().optional(),
    /** Overrides the derived storage account name (to adopt existing state storage). */
    storageAccountName: z.string().optional(),
    containerName: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be 3-63 lowercase letters, digits and single hyphens').default('tfstate'),
    /**
     * Who reaches the state account over the network (docs/private-endpoints.md). Always Entra ID
     * only; this says from where. `public`: anywhere. `allow-list`: only these public ranges (the
     * deploy runners' egress). `private-endpoint`: public access off, an endpoint in a subnet that
     * already exists where the runners are (it must exist before the state: the platform's own VNet
     * keeps its state here), with the blob privatelink zone that subnet's VNet resolves through.
     */
    networkAccess: z
      .discriminatedUnion('type', [
        z.strictObject({ type: z.literal('public') }),
        z.strictObject({ type: z.literal('allow-list'), ipRanges: z.array(cidr).min(1, 'must list at least one range (the deploy runners\' public egress)') }),
        z.strictObject({
          type: z.literal('private-endpoint'),
          subnetId: azureResourceId('Microsoft.Network/virtualNetworks/<name>/subnets/<name>', 'Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>'),
          privateDnsZoneId: azureResourceId('Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net', 'Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net'),
        }),
      ])
      .default({ type: 'public' }),
  }).default({ containerName: 'tfstate', networkAccess: { type: 'public' } }),

  /**
   * Private endpoints for Key Vault and the container registry in the platform's VNet, with their
   * privatelink DNS zones, and public network access off on both (docs/private-endpoints.md).
   * Deploy runners must then run in the VNet or in one peered with it and listed in linkedVnetIds.
   */
  privateEndpoints: z.strictObject({
    /** Absent: on when the file's purpose is production, off for development. */
    enabled: z.boolean().optional(),
    /** The endpoints' subnet inside network.vnetCidr; needed when enabled. */
    subnetCidr: cidr.optional(),
    /** More VNets the zones are linked to, so they resolve the private addresses (the runners' VNet, a hub). */
    linkedVnetIds: z.array(azureResourceId('Microsoft.Network/virtualNetworks/<name>', 'Microsoft.Network/virtualNetworks/<name>')).default([]),
  }).default({ linkedVnetIds: [] }),

  /**
   * Delivery through GitHub Actions (README: "Reviewing and shipping a change"). When set, the
   * bootstrap app creates this environment's pipeline identities (stack pipeline-identity-<env>);
   * absent: none is created.
   */
  delivery: z.strictObject({
    /** The repository whose workflows may sign in: its pull requests plan, its GitHub environment `<env>` applies. */
    github: z.strictObject({
      /** Organisation or user that owns the repository. */
      owner: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/, 'must be a GitHub user or organisation name'),
      /** Repository name, without the owner. */
      repository: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a GitHub repository name').refine((v) => v !== '.' && v !== '..', 'must be a GitHub repository name'),
    }),
    /**
     * Where the deploy identity gets Contributor, the allow-listed RBAC Administrator and the lock role:
     * `resource-groups`: only on this environment's resource groups, which must exist first (a
     * person deploys the environment once); `subscription`: on the whole subscription, for a
     * subscription that holds only this environment, so the pipeline can create resource groups.
     */
    roleScope: z.enum(['resource-groups', 'subscription']).default('resource-groups'),
    /**
     * `roleScope: subscription` in a production environment must say that the subscription holds
     * this environment alone, by setting this to true: there the deploy identity reaches every
     * resource group of the subscription.
     */
    subscriptionHoldsOnlyThisEnvironment: z.literal(true).optional(),
  }).optional(),

  network: z.strictObject({
    vnetCidr: cidr,
    aksSubnetCidr: cidr,
    appGatewaySubnetCidr: cidr,
    /** Kubernetes service CIDR: must not overlap the VNet or anything peered to it. */
    serviceCidr: cidr.default('172.16.0.0/16'),
    dnsServiceIp: ipv4.default('172.16.0.10'),
  }),

  applicationGateway: z.strictObject({
    /** WAF_v2 puts an OWASP rule set in prevention mode in front of Opik; Standard_v2 has no WAF. */
    sku: z.enum(['Standard_v2', 'WAF_v2']).default('WAF_v2'),
    minCapacity: z.number().int().min(0).max(125).default(1),
    maxCapacity: z.number().int().min(2).max(125).default(3),
    zones: zones.default(['1', '2', '3']),
  }).default({ sku: 'WAF_v2', minCapacity: 1, maxCapacity: 3, zones: ['1', '2', '3'] }),

  cluster: z.strictObject({
    /** Kubernetes minor version (for example "1.33"); absent means the AKS default at creation. */
    kubernetesVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'must look like 1.33 or 1.33.2').optional(),
    /** Standard gives the API server an SLA; Free has none. */
    skuTier: z.enum(['Free', 'Standard', 'Premium']).default('Standard'),
    /** Entra ID groups that get cluster-admin through Azure RBAC. */
    adminGroupObjectIds: z.array(uuid).min(1, 'at least one admin group is needed when local accounts are disabled'),
    /**
     * Encrypt node temp disks, caches and OS-disk traffic at the VM host. Needs the subscription
     * feature Microsoft.Compute/EncryptionAtHost (README, Prerequisites).
     */
    encryptionAtHost: z.boolean().default(true),
    /** Local (certificate) accounts bypass Entra ID; only an environment with `purpose: development` may turn this off. */
    localAccountDisabled: z.boolean().default(true),
    /** Public IP ranges allowed to reach the API server; empty leaves it open to the internet (with Entra auth). */
    apiServerAuthorizedIpRanges: z.array(cidr).default([]),
    networkPolicy: z.enum(['azure', 'calico']).default('azure'),
    /**
     * Azure Policy's built-in initiative "Kubernetes cluster pod security baseline standards for
     * Linux-based workloads", assigned to the cluster: `audit` reports, `deny` refuses such pods at
     * admission. Absent: deny when the file's purpose is production, audit for development.
     */
    podSecurityBaselinePolicy: z.enum(['audit', 'deny']).optional(),
    /**
     * Microsoft Defender for Containers' sensor on the cluster (runtime threat detection, sending to
     * the cluster's Log Analytics workspace). Off by default: Defender for Containers is billed per
     * vCore-hour of the nodes (docs/guardrails.md), and the subscription's Defender plan must be on.
     */
    defender: z.boolean().default(false),
    automaticUpgradeChannel: z.enum(['patch', 'stable', 'rapid', 'node-image', 'none']).default('patch'),
    nodeOsUpgradeChannel: z.enum(['NodeImage', 'SecurityPatch', 'Unmanaged', 'None']).default('NodeImage'),
    maintenanceWindow: maintenanceWindow.default({ dayOfWeek: 'Sunday', startTime: '02:00', durationHours: 4, utcOffset: '+00:00' }),
    /** Runs only critical add-ons (CriticalAddonsOnly taint). */
    systemNodePool: z.strictObject(nodePoolSize),
    /** Runs Opik and its databases; must include the data disks' zone. */
    userNodePool: z.strictObject(nodePoolSize),
    /** More pools, for example an ETL pool that scales 0-5 with a taint, or a GPU pool. */
    extraNodePools: z.array(extraNodePool).default([]),
  }),

  registry: z.strictObject({
    /** Premium adds zone redundancy, retention and private endpoints. */
    sku: z.enum(['Basic', 'Standard', 'Premium']).default('Premium'),
    /** Pull-through cache rules for the Opik images from ghcr.io/comet-ml/opik. */
    pullThroughCache: z.boolean().default(true),
  }).default({ sku: 'Premium', pullThroughCache: true }),

  keyVault: z.strictObject({
    softDeleteRetentionDays: z.number().int().min(7).max(90).default(90),
    /**
     * Public IPs (or CIDRs) allowed through the vault's firewall, which denies by default: the
     * machine that runs `cdktf deploy application-<env>` must be listed to write the secrets.
     */
    allowedIpRanges: z.array(z.string().regex(/^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/, 'must be an IPv4 address or CIDR')).default([]),
  }).default({ softDeleteRetentionDays: 90, allowedIpRanges: [] }),

  logAnalytics: z.strictObject({
    retentionDays: z.number().int().min(30).max(730).default(30),
  }).default({ retentionDays: 30 }),

  /**
   * Observability (stack monitoring-<env>, README: "Monitoring and alerts"). Each part has its own
   * switch; the stack exists when any part is on. ./monitoring-parts.ts says which parts are on.
   */
  monitoring: z.strictObject({
    /** Azure Monitor managed Prometheus: a workspace, the cluster's metrics add-on and its collection rule. */
    prometheus: z.strictObject({
      enabled: z.boolean().default(true),
    }).default({ enabled: true }),
    /** Azure Managed Grafana on the Prometheus workspace, signed in to with Entra ID. */
    grafana: z.strictObject({
      /** Absent: on when any group below is given (nobody else could sign in). */
      enabled: z.boolean().optional(),
      /** Entra groups that get Grafana Admin (dashboards, data sources, users). */
      adminGroupObjectIds: z.array(uuid).default([]),
      /** Entra groups that get Grafana Viewer (read-only dashboards). */
      viewerGroupObjectIds: z.array(uuid).default([]),
      /** false puts the Grafana endpoint behind private endpoints only, which this project does not create. */
      publicNetworkAccess: z.boolean().default(true),
      /** Spreads the Grafana instance over zones, at a higher price. */
      zoneRedundant: z.boolean().default(false),
    }).default({ adminGroupObjectIds: [], viewerGroupObjectIds: [], publicNetworkAccess: true, zoneRedundant: false }),
    /** Alert rules that e-mail `email` through one action group. */
    alerts: z.strictObject({
      /** Absent: on when `email` is given. */
      enabled: z.boolean().optional(),
      email: z.email('must be an e-mail address').optional(),
      /** Rules on the cluster's Prometheus metrics (nodes, pods, volumes, databases, certificates); need prometheus. */
      cluster: z.boolean().default(true),
      /** Azure metric alerts on the Application Gateway (5xx responses, unhealthy backends). */
      gateway: z.boolean().default(true),
      thresholds: z.strictObject({
        /** Minutes a node may be NotReady before the alert fires. */
        nodeNotReadyMinutes: z.number().int().min(1).max(60).default(5),
        /** Container restarts within 30 minutes that count as a restart loop. */
        podRestarts: z.number().int().min(1).max(100).default(3),
        /** Percent of a persistent volume in use that fires the alert. */
        volumeUsedPercent: z.number().int().min(50).max(99).default(80),
        /** Days before a cert-manager certificate expires that the alert fires (Let's Encrypt renews at 30). */
        certificateExpiryDays: z.number().int().min(1).max(60).default(21),
        /** 5xx responses of the gateway within 5 minutes that fire the alert. */
        gateway5xxCount: z.number().int().min(1).max(100000).default(10),
      }).default({ nodeNotReadyMinutes: 5, podRestarts: 3, volumeUsedPercent: 80, certificateExpiryDays: 21, gateway5xxCount: 10 }),
    }).default({
      cluster: true,
      gateway: true,
      thresholds: { nodeNotReadyMinutes: 5, podRestarts: 3, volumeUsedPercent: 80, certificateExpiryDays: 21, gateway5xxCount: 10 },
    }),
    /** Diagnostic settings that send the gateway's, Key Vault's and registry's logs to the cluster's Log Analytics workspace. */
    diagnostics: z.strictObject({
      enabled: z.boolean().default(true),
    }).default({ enabled: true }),
  }).default({
    prometheus: { enabled: true },
    grafana: { adminGroupObjectIds: [], viewerGroupObjectIds: [], publicNetworkAccess: true, zoneRedundant: false },
    alerts: {
      cluster: true,
      gateway: true,
      thresholds: { nodeNotReadyMinutes: 5, podRestarts: 3, volumeUsedPercent: 80, certificateExpiryDays: 21, gateway5xxCount: 10 },
    },
    diagnostics: { enabled: true },
  }),

  dataDisks: z.strictObject({
    /** Zone of every new data disk; must be one of the user node pool's zones. */
    zone: zone.nullable().default('1'),
    skuName: z.enum(['Premium_LRS', 'StandardSSD_LRS', 'Premium_ZRS', 'StandardSSD_ZRS', 'PremiumV2_LRS']).default('Premium_LRS'),
    disks: z.strictObject(Object.fromEntries(DATA_COMPONENTS.map((c) => [c, dataDisk])) as Record<(typeof DATA_COMPONENTS)[number], typeof dataDisk>),
    /**
     * Disks of a script-based install to adopt instead of creating new ones, by component.
     * Terraform imports them; name, resource group and zone are taken from the disk as it is.
     */
    existingDiskIds: z
      .partialRecord(
        z.enum(DATA_COMPONENTS),
        z.string().regex(
          /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/disks\/[^/]+$/i,
          'must be a managed disk resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/disks/<name>',
        ),
      )
      .default({}),
    /** A CanNotDelete lock on every disk, so no portal click, CLI call or script can delete one. */
    deleteLock: z.boolean().default(true),
    backup: z.strictObject({
      /** Daily snapshots with Azure Backup. */
      enabled: z.boolean().default(false),
      retentionDays: z.number().int().min(1).max(360).default(30),
      /** Daily backup time, UTC. */
      startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)').default('02:00'),
      redundancy: z.enum(['LocallyRedundant', 'GeoRedundant', 'ZoneRedundant']).default('LocallyRedundant'),
    }).default({ enabled: false, retentionDays: 30, startTime: '02:00', redundancy: 'LocallyRedundant' }),
  }),

  application: z.strictObject({
    /** Kubernetes namespace for Opik. */
    namespace: dns1123Label.default('opik'),
    /** Opik Helm chart version; the app version follows it. Upgrading is changing this and deploying. */
    opikVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a chart version such as 2.2.37'),
    /**
     * Public host name. Absent: Opik is served on the name Azure gives the gateway's IP,
     * `<workload>-<env>-<region>.<location>.cloudapp.azure.com` (Entra ID accepts no plain-IP
     * redirect URI, so sign-in needs a host name either way).
     */
    domain: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lowercase DNS name such as opik.example.com')
      .optional(),
    /** Let's Encrypt account e-mail (expiry notices); required with a domain of your own and autoSsl. */
    letsEncryptEmail: z.email('must be an e-mail address').optional(),
    /** Serve HTTPS with a Let's Encrypt certificate for the host, through cert-manager; false serves plain HTTP. */
    autoSsl: z.boolean().default(true),
    /** Which Let's Encrypt CA signs the certificate; staging certificates are untrusted but not rate-limited. */
    letsEncryptIssuer: z.enum(['production', 'staging']).default('production'),
    /** Entra ID group whose members may sign in to Opik. */
    accessGroupObjectId: uuid,
    /** Also accept Entra ID bearer tokens (SDK and API clients) besides browser sessions; every request stays authenticated. */
    allowBearerTokens: z.boolean().default(false),
    /**
     * Opik's namespace denies every connection its parts do not need (constructs/opik/opik-network-policy.ts,
     * docs/network-policy.md). `llmProviderEgress: false` also closes the Java backend's HTTPS to the
     * internet, which its playground and LLM-as-a-judge rules use to call LLM providers.
     */
    networkPolicy: z.strictObject({ llmProviderEgress: z.boolean().default(true) }).default({ llmProviderEgress: true }),
    /** Where Opik's images are pulled from: the registry's pull-through cache, or ghcr.io directly. */
    imageSource: z.enum(['acr-cache', 'upstream']).default('acr-cache'),
    /** Replica counts of the stateless parts (the databases always run one replica on their one disk). */
    replicas: z.strictObject({
      backend: z.number().int().min(1).max(20).default(1),
      pythonBackend: z.number().int().min(1).max(20).default(1),
      frontend: z.number().int().min(1).max(20).default(1),
      oauth2Proxy: z.number().int().min(1).max(10).default(1),
    }).default({ backend: 1, pythonBackend: 1, frontend: 1, oauth2Proxy: 1 }),
    /** Requests and limits per component; unset components keep the defaults in constructs/opik/chart-contract.ts. */
    resources: z.partialRecord(z.enum(OPIK_RESOURCE_COMPONENTS), containerResources).default({}),
    /** Optional DNS automation with external-dns; absent means an output says which A record to create. */
    dns: z
      .discriminatedUnion('provider', [
        z.strictObject({
          provider: z.literal('azure'),
          /** Resource ID of the Azure DNS zone that holds `domain`. */
          zoneId: z
            .string()
            .regex(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/dnszones\/[^/]+$/i, 'must be a DNS zone resource ID: /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/dnszones/<zone>'),
        }),
        z.strictObject({
          provider: z.literal('cloudflare'),
          /** Cloudflare zone (apex domain) that holds `domain`, for example example.com. */
          zoneName: z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lowercase DNS name such as example.com'),
          /** Kubernetes secret (namespace external-dns, key api-token) the operator creates with a zone-scoped API token. */
          apiTokenSecretName: dns1123Label.default('cloudflare-api-token'),
        }),
      ])
      .optional(),
  }),

  /** The team's own services beside Opik (stack services-<env>); absent or empty: no such stack. */
  services: z.array(teamService).default([]),
});

/** An environment file after defaults have been applied. */
export type PlatformConfig = z.infer<typeof platformConfigSchema>;

/** The pod security baseline initiative's effect: absent means deny in production, audit in development. */
export function podSecurityBaselineEffect(config: Pick<PlatformConfig, 'cluster' | 'purpose'>): 'audit' | 'deny' {
  return config.cluster.podSecurityBaselinePolicy ?? (config.purpose === 'production' ? 'deny' : 'audit');
}

/** Whether Key Vault and the registry sit behind private endpoints: absent means on in production. */
export function privateEndpointsEnabled(config: Pick<PlatformConfig, 'privateEndpoints' | 'purpose'>): boolean {
  return config.privateEndpoints.enabled ?? config.purpose === 'production';
}
export type NodePoolConfig = PlatformConfig['cluster']['systemNodePool'];
export type ExtraNodePoolConfig = PlatformConfig['cluster']['extraNodePools'][number];
export type DataDisksConfig = PlatformConfig['dataDisks'];
export type MonitoringConfig = PlatformConfig['monitoring'];
