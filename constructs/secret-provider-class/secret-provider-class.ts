/**
 * A SecretProviderClass that lets a service's pods mount Key Vault secrets as files, through the
 * AKS Secrets Store CSI driver add-on with the service's workload identity.
 *
 * The SecretProviderClass is a custom resource. As a `kubernetes_manifest` it would need its CRD
 * at *plan* time; delivered as a Helm release of a tiny chart of our own
 * (./secret-provider-class-chart, shipped with the synthesized stack as a Terraform asset) the kind
 * is resolved at apply time, as cert-manager.ts does for the ClusterIssuers. The values hold only
 * names (vault, tenant, identity client ID, secret names): the driver fetches each value when a pod
 * starts, so no secret passes through Terraform, its state or Helm's release history.
 */
import * as path from 'path';
import { AssetType, ITerraformDependable, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { renderValues } from '../helm/values';

/** The CSI driver of the AKS add-on (azureKeyvaultSecretsProvider). */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';
/** Where the secret files appear in the container. */
export const SECRETS_MOUNT_PATH = '/mnt/secrets';

/** From the project root, not __dirname (see cert-manager.ts: scripts/app.mjs bundles the app). */
const CHART_DIR = path.resolve('constructs', 'secret-provider-class', 'secret-provider-class-chart');

export interface SecretProviderClassProps {
  /** Name of the SecretProviderClass, referenced by the pod's CSI volume. */
  readonly name: string;
  readonly namespace: string;
  readonly keyVaultName: string;
  readonly tenantId: string;
  /** Client ID of the workload identity the driver signs in with. */
  readonly clientId: string;
  /** File name in the pod -> Key Vault secret name. */
  readonly objects: Readonly<Record<string, string>>;
  /** The namespace, and the role assignments the driver's first fetch needs. */
  readonly dependsOn?: ITerraformDependable[];
}

export class SecretProviderClass extends Construct {
  readonly release: Release;
  readonly name: string;

  constructor(scope: Construct, id: string, props: SecretProviderClassProps) {
    super(scope, id);
    this.name = props.name;
    const chart = new TerraformAsset(this, 'chart', { path: CHART_DIR, type: AssetType.DIRECTORY });
    this.release = new Release(this, 'Resource', {
      name: `${props.name}-secrets`,
      chart: chart.path,
      namespace: props.namespace,
      atomic: false,
      wait: true,
      values: [
        renderValues({
          name: props.name,
          keyVaultName: props.keyVaultName,
          tenantId: props.tenantId,
          clientId: props.clientId,
          objects: Object.entries(props.objects)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([fileName, secretName]) => ({ fileName, secretName })),
        }),
      ],
      dependsOn: props.dependsOn,
    });
  }
}
