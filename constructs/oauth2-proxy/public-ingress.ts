/**
 * The one public entry point: an Ingress of AGIC's class that sends every path of the host to
 * oauth2-proxy, which then routes by path to the Opik services (see oauth2-proxy.ts). Nothing in
 * the namespace is reachable around it.
 *
 * ACME HTTP-01: cert-manager's solver creates its own, more specific Ingress
 * (`/.well-known/acme-challenge/<token>`, same class) that AGIC merges onto the HTTP listener, so
 * challenges bypass the sign-in without any skip rule. For that reason this Ingress does not ask
 * AGIC to redirect HTTP to HTTPS (that would redirect the challenge too); oauth2-proxy's
 * `force_https` redirects browsers instead.
 */
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { AGIC_INGRESS_CLASS } from '../cert-manager/cert-manager';

export interface PublicIngressProps {
  readonly namespace: string;
  /** Host name; absent serves any host on the gateway's IP (plain HTTP). */
  readonly host?: string;
  readonly service: { readonly name: string; readonly port: number };
  /** TLS via cert-manager: the ClusterIssuer to request the certificate from. */
  readonly tls?: { readonly clusterIssuer: string; readonly secretName: string };
  /** @default AGIC_INGRESS_CLASS */
  readonly ingressClassName?: string;
  /** Path App Gateway probes the backend on; oauth2-proxy answers 200 on /ping without sign-in. @default '/ping' */
  readonly healthProbePath?: string;
  /** What must exist first: the proxy's release, and the ClusterIssuers when tls is set. */
  readonly dependsOn?: ITerraformDependable[];
}

export class PublicIngress extends Construct {
  readonly ingress: IngressV1;

  constructor(scope: Construct, id: string, props: PublicIngressProps) {
    super(scope, id);
    if (props.tls && !props.host) {
      throw new Error('PublicIngress: tls needs a host (a certificate is issued for a name, not an IP); set host or drop tls');
    }
    const annotations: Record<string, string> = {
      // `/` answers 403 (the sign-in page) and App Gateway would mark the pool unhealthy: 502.
      'appgw.ingress.kubernetes.io/health-probe-path': props.healthProbePath ?? '/ping',
      'appgw.ingress.kubernetes.io/backend-protocol': 'http',
      // Opik uploads (attachments, datasets) can be large; the frontend allows 500M.
      'appgw.ingress.kubernetes.io/request-timeout': '120',
      ...(props.tls ? { 'cert-manager.io/cluster-issuer': props.tls.clusterIssuer } : {}),
    };

    this.ingress = new IngressV1(this, 'Resource', {
      metadata: { name: 'opik', namespace: props.namespace, annotations, labels: { 'app.kubernetes.io/part-of': 'opik' } },
      spec: {
        ingressClassName: props.ingressClassName ?? AGIC_INGRESS_CLASS,
        rule: [
          {
            host: props.host,
            http: {
              path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.service.name, port: { number: props.service.port } } } }],
            },
          },
        ],
        tls: props.tls ? [{ hosts: [props.host!], secretName: props.tls.secretName }] : undefined,
      },
      dependsOn: props.dependsOn,
    });
  }
}
