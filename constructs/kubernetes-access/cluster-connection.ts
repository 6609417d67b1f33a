/**
 * The Kubernetes and Helm providers of a stack that deploys into an AKS cluster. The cluster has
 * local accounts disabled, so there is no certificate or static token to hand over: both providers
 * get only the API server address and CA (references to a data source, resolved at plan time) and
 * run kubelogin with the Azure CLI's login. No kubeconfig or credential is written to the
 * synthesized JSON or to a file.
 */
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { DataAzurermKubernetesCluster } from '@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';

/** The AKS AAD server application ID, the same in every tenant (Microsoft's "Azure Kubernetes Service AAD Server"). */
export const AKS_AAD_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

export interface ClusterConnectionProps {
  readonly clusterName: string;
  readonly resourceGroupName: string;
  /**
   * kubelogin's login mode: `azurecli` uses the `az login` of whoever runs cdktf; `workloadidentity`
   * or `msi` suit CI agents.
   * @default 'azurecli'
   */
  readonly loginMode?: 'azurecli' | 'msi' | 'workloadidentity' | 'spn';
}

export class ClusterConnection extends Construct {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
  readonly cluster: DataAzurermKubernetesCluster;

  constructor(scope: Construct, id: string, props: ClusterConnectionProps) {
    super(scope, id);
    const loginMode = props.loginMode ?? 'azurecli';

    this.cluster = new DataAzurermKubernetesCluster(this, 'cluster', {
      name: props.clusterName,
      resourceGroupName: props.resourceGroupName,
    });
    // kube_config (not kube_admin_config): with local accounts disabled it holds no credential.
    const kubeConfig = this.cluster.kubeConfig.get(0);
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'kubelogin',
      args: ['get-token', '--login', loginMode, '--server-id', AKS_AAD_SERVER_ID],
    };
    const endpoint = { host: kubeConfig.host, clusterCaCertificate: Fn.base64decode(kubeConfig.clusterCaCertificate) };

    this.kubernetes = new KubernetesProvider(this, 'kubernetes', { ...endpoint, exec: [exec] });
    // Helm provider 3.x: `kubernetes` is an object attribute and `exec` an object inside it.
    this.helm = new HelmProvider(this, 'helm', { kubernetes: { ...endpoint, exec } });
  }
}
