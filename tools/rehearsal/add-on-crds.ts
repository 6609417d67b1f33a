/**
 * The custom resource definitions AKS add-ons install and the stacks rely on. On AKS the Key Vault
 * secrets provider add-on (azureKeyvaultSecretsProvider) installs the Secrets Store CSI driver's
 * SecretProviderClass CRD; the services stack's SecretProviderClass release needs it. The rehearsal's
 * control plane has no add-ons, so it installs a stand-in of that CRD: generated here (not the
 * driver's text), with a schema that accepts any spec, and labelled and annotated as a stand-in, as
 * the stand-in charts are.
 */
import { STAND_IN_DESCRIPTION } from './stand-ins/common';

/** A CRD as the API server takes it (apiextensions.k8s.io/v1). */
export interface CustomResourceDefinition {
  readonly apiVersion: 'apiextensions.k8s.io/v1';
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string; readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

interface AddOnKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  /** The AKS add-on that installs the real definition. */
  readonly addOn: string;
}

/** secrets-store.csi.x-k8s.io/v1 SecretProviderClass, which the Key Vault secrets provider add-on installs. */
export const SECRET_PROVIDER_CLASS: AddOnKind = {
  group: 'secrets-store.csi.x-k8s.io',
  version: 'v1',
  kind: 'SecretProviderClass',
  plural: 'secretproviderclasses',
  addOn: 'azureKeyvaultSecretsProvider',
};

export function standInCrd(k: AddOnKind): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${k.plural}.${k.group}`,
      labels: { 'rehearsal/stand-in': 'true' },
      annotations: { 'rehearsal/stand-in': `${STAND_IN_DESCRIPTION}: ${k.kind} as the AKS add-on ${k.addOn} installs it; any spec is accepted` },
    },
    spec: {
      group: k.group,
      scope: 'Namespaced',
      names: { kind: k.kind, listKind: `${k.kind}List`, plural: k.plural, singular: k.kind.toLowerCase() },
      versions: [
        {
          name: k.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

/** Every add-on CRD the rehearsal's cluster gets, as AKS with the stacks' add-ons would have. */
export const ADD_ON_CRDS: readonly CustomResourceDefinition[] = [standInCrd(SECRET_PROVIDER_CLASS)];
