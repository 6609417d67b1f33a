/**
 * cert-manager and two Let's Encrypt ClusterIssuers (production and staging) that answer HTTP-01
 * challenges through Application Gateway (AGIC's ingress class).
 *
 * CRD ordering, and why two Helm releases: a `kubernetes_manifest` ClusterIssuer needs the
 * ClusterIssuer CRD at *plan* time, so the first deploy of a fresh cluster fails (or needs a
 * `--target` two-step). Putting the issuers into cert-manager's own release fails too: Helm maps
 * every kind before it installs anything, and the CRDs are templates of that same release. So the
 * issuers live in a tiny chart of our own (./cluster-issuers-chart, shipped with the synthesized
 * stack as a Terraform asset) installed as a second release that depends on cert-manager's. Helm
 * resolves kinds at *apply* time, after cert-manager's release (with `wait` and its startupapicheck
 * hook, which blocks until the webhook answers) is done. One `cdktf deploy`, no targets.
 * Trade-off: the issuers are opaque to `terraform plan` (a Helm release, not individual objects).
 */
import * as path from 'path';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { registryFor, type ImageSource } from '../container-registry/mirrored-images';
import { renderValues } from '../helm/values';

/** cert-manager chart pinned here (jetstack repository); bump deliberately, after reading its upgrade notes. */
export const CERT_MANAGER_CHART = { repository: 'https://charts.jetstack.io', name: 'cert-manager', version: 'v1.21.2' } as const;
export const AGIC_INGRESS_CLASS = 'azure-application-gateway';
/** Where cert-manager runs unless told otherwise; monitoring scrapes its metrics there. */
export const CERT_MANAGER_NAMESPACE = 'cert-manager';

/**
 * The issuers chart, from the project root (the directory cdktf runs the app in) rather than
 * __dirname, which points elsewhere once scripts/app.mjs has bundled the app.
 */
const ISSUERS_CHART_DIR = path.resolve('constructs', 'cert-manager', 'cluster-issuers-chart');

export const LETS_ENCRYPT_ISSUERS = {
  production: { name: 'letsencrypt-prod', server: 'https://acme-v02.api.letsencrypt.org/directory' },
  staging: { name: 'letsencrypt-staging', server: 'https://acme-staging-v02.api.letsencrypt.org/directory' },
} as const;
export type LetsEncryptIssuer = keyof typeof LETS_ENCRYPT_ISSUERS;

export interface CertManagerProps {
  /** Where the five cert-manager images are pulled from. */
  readonly imageSource: ImageSource;
  /** ACME account e-mail (expiry notices). @default - an account without e-mail */
  readonly email?: string;
  /** @default CERT_MANAGER_NAMESPACE */
  readonly namespace?: string;
  /** @default AGIC_INGRESS_CLASS */
  readonly ingressClassName?: string;
}

export class CertManager extends Construct {
  readonly release: Release;
  readonly issuersRelease: Release;

  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id);
    const namespace = props.namespace ?? CERT_MANAGER_NAMESPACE;

    this.release = new Release(this, 'Resource', {
      name: 'cert-manager',
      repository: CERT_MANAGER_CHART.repository,
      chart: CERT_MANAGER_CHART.name,
      version: CERT_MANAGER_CHART.version,
      namespace,
      createNamespace: true,
      atomic: false,
      wait: true,
      // The startupapicheck hook job is what proves the webhook is up before the issuers go in.
      waitForJobs: true,
      timeout: 600,
      values: [
        renderValues({
          // CRDs as part of the release; `keep` (default since v1.15) leaves them, and every
          // Certificate, in place if the release is ever uninstalled.
          crds: { enabled: true, keep: true },
          startupapicheck: { enabled: true, image: { tag: CERT_MANAGER_CHART.version } },
          // Fewer API calls: cert-manager only needs to watch what it manages.
          enableCertificateOwnerRef: false,
          // Every image (the ACME solver's too, which the controller starts per challenge) from
          // the registry, tagged with the chart's version.
          imageRegistry: registryFor('quay.io', props.imageSource),
          imageNamespace: 'jetstack',
          image: { tag: CERT_MANAGER_CHART.version },
          webhook: { image: { tag: CERT_MANAGER_CHART.version } },
          cainjector: { image: { tag: CERT_MANAGER_CHART.version } },
          acmesolver: { image: { tag: CERT_MANAGER_CHART.version } },
        }),
      ],
    });

    const chart = new TerraformAsset(this, 'issuers-chart', {
      path: ISSUERS_CHART_DIR,
      type: AssetType.DIRECTORY,
    });
    this.issuersRelease = new Release(this, 'issuers', {
      name: 'letsencrypt-issuers',
      chart: chart.path,
      namespace,
      atomic: false,
      wait: true,
      values: [
        renderValues({
          email: props.email ?? '',
          ingressClassName: props.ingressClassName ?? AGIC_INGRESS_CLASS,
          issuers: Object.values(LETS_ENCRYPT_ISSUERS),
        }),
      ],
      dependsOn: [this.release],
    });
  }
}
