/**
 * oauth2-proxy as the reverse proxy in front of all of Opik: Application Gateway (AGIC) has no
 * external-auth hook, so every public path goes to oauth2-proxy, which signs the user in with
 * Entra ID, checks the access group, and forwards the request by path to the right Opik service.
 *
 * Header size ("431 Request Header Fields Too Large"): sessions live in a dedicated Redis, the
 * cookie is only a ticket, and no token or user header is passed upstream (pass_access_token,
 * pass_authorization_header, set_authorization_header, set_xauthrequest, pass_user_headers and
 * pass_basic_auth all off). Secrets come from a Kubernetes secret (`config.existingSecret`); the
 * config file (a ConfigMap) holds none.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import type { ContainerResources } from '../../config/schema';
import { imageParts, type ImageSource } from '../container-registry/mirrored-images';
import { renderValues } from '../helm/values';
import { kubernetesResources, OPIK_ROUTES, OPIK_SERVICES } from '../opik/chart-contract';
import { GeneratedSecret } from '../secrets/generated-secret';
import { SessionStore } from './session-store';

/** oauth2-proxy chart pinned here (https://oauth2-proxy.github.io/manifests). */
export const OAUTH2_PROXY_CHART = { repository: 'https://oauth2-proxy.github.io/manifests', name: 'oauth2-proxy', version: '10.6.0' } as const;
/** Release name; the chart names its Service after it. */
export const OAUTH2_PROXY_SERVICE = { name: 'oauth2-proxy', port: 80 } as const;
export const OAUTH2_PROXY_SECRET_NAME = 'oauth2-proxy-credentials';
/**
 * The proxy's pods, by the chart's selector labels (name and release), and the port its container
 * listens on (the chart's Service maps port 80 to it): what NetworkPolicies see.
 */
export const OAUTH2_PROXY_PODS = {
  labels: { 'app.kubernetes.io/name': OAUTH2_PROXY_CHART.name, 'app.kubernetes.io/instance': OAUTH2_PROXY_SERVICE.name },
  port: 4180,
} as const;

export interface Oauth2ProxyProps {
  readonly namespace: string;
  readonly tenantId: string;
  /** The Entra app's client ID (not secret). */
  readonly clientId: string;
  /** The Entra app's client secret, as a Terraform reference. */
  readonly clientSecret: string;
  readonly accessGroupObjectId: string;
  /** `https://<domain>/oauth2/callback` or `http://<ip>/oauth2/callback`. */
  readonly redirectUrl: string;
  /** Whether users reach the proxy over HTTPS (secure cookie, HTTP redirected to HTTPS). */
  readonly https: boolean;
  readonly keyVaultId: string;
  /** Where the proxy's and its session store's images are pulled from. */
  readonly imageSource: ImageSource;
  /**
   * Accept `Authorization: Bearer <Entra ID token>` (audience = this app) instead of a session,
   * for the SDK and API clients.
   * @default false
   */
  readonly allowBearerTokens?: boolean;
  /** What must exist before the proxy's pods start (the namespace's NetworkPolicies). @default - nothing more */
  readonly dependsOn?: ITerraformDependable[];
  /** @default 1 */
  readonly replicas?: number;
  readonly resources?: ContainerResources;
  /** Namespace-qualified upstream host suffix; @default '' (same namespace). */
  readonly upstreamHostSuffix?: string;
}

/** oauth2-proxy's upstream list: path-routed, longest path first, path forwarded unchanged. */
export function oauth2ProxyUpstreams(suffix = ''): string[] {
  return [...OPIK_ROUTES]
    .sort((a, b) => b.path.length - a.path.length)
    .map((route) => {
      const service = OPIK_SERVICES[route.service];
      return `http://${service.name}${suffix}:${service.port}${route.path}`;
    });
}

function toToml(settings: Record<string, string | boolean | string[]>): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key} = ${Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(value)}`)
    .join('\n');
}

export class Oauth2Proxy extends Construct {
  readonly release: Release;
  readonly secret: SecretV1;

  constructor(scope: Construct, id: string, props: Oauth2ProxyProps) {
    super(scope, id);
    // Rotating these only signs everyone out, so they may be regenerated.
    const cookieSecret = new GeneratedSecret(this, 'cookie-secret', {
      vaultSecretName: 'opik-signin-cookie-secret',
      keyVaultId: props.keyVaultId,
      length: 32, // AES-256: oauth2-proxy accepts 16, 24 or 32 bytes.
      keep: false,
    });
    const sessionPassword = new GeneratedSecret(this, 'session-store-password', {
      vaultSecretName: 'opik-signin-session-store-password',
      keyVaultId: props.keyVaultId,
      keep: false,
    });

    this.secret = new SecretV1(this, 'credentials', {
      metadata: { name: OAUTH2_PROXY_SECRET_NAME, namespace: props.namespace, labels: { 'app.kubernetes.io/part-of': 'opik' } },
      type: 'Opaque',
      data: {
        'client-id': props.clientId,
        'client-secret': props.clientSecret,
        'cookie-secret': cookieSecret.value,
        'redis-password': sessionPassword.value,
      },
    });

    const sessions = new SessionStore(this, 'session-store', {
      namespace: props.namespace,
      imageSource: props.imageSource,
      password: sessionPassword.value,
    });

    const config = toToml({
      provider: 'entra-id',
      oidc_issuer_url: `https://login.microsoftonline.com/${props.tenantId}/v2.0`,
      scope: 'openid email profile',
      allowed_groups: [props.accessGroupObjectId],
      email_domains: ['*'],
      upstreams: oauth2ProxyUpstreams(props.upstreamHostSuffix ?? ''),
      redirect_url: props.redirectUrl,
      // Application Gateway sets X-Forwarded-*; trust them for the scheme and client address.
      reverse_proxy: true,
      force_https: props.https,
      cookie_secure: props.https,
      cookie_httponly: true,
      cookie_samesite: 'lax',
      cookie_expire: '12h0m0s',
      cookie_refresh: '1h0m0s',
      session_store_type: 'redis',
      redis_connection_url: sessions.connectionUrl,
      pass_access_token: false,
      pass_authorization_header: false,
      set_authorization_header: false,
      set_xauthrequest: false,
      pass_user_headers: false,
      pass_basic_auth: false,
      skip_jwt_bearer_tokens: props.allowBearerTokens ?? false,
      skip_provider_button: true,
      silence_ping_logging: true,
    });

    this.release = new Release(this, 'Resource', {
      name: OAUTH2_PROXY_SERVICE.name,
      repository: OAUTH2_PROXY_CHART.repository,
      chart: OAUTH2_PROXY_CHART.name,
      version: OAUTH2_PROXY_CHART.version,
      namespace: props.namespace,
      atomic: false,
      wait: true,
      timeout: 600,
      values: [
        renderValues({
          replicaCount: props.replicas ?? 1,
          image: imageParts('oauth2Proxy', props.imageSource),
          config: { existingSecret: OAUTH2_PROXY_SECRET_NAME, configFile: config, cookieName: '_opik_auth' },
          proxyVarsAsSecrets: true,
          // The session Redis password, from the same secret; passed here rather than through
          // sessionStorage.redis.* so the result does not depend on how a chart version wires it.
          extraEnv: [{ name: 'OAUTH2_PROXY_REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: OAUTH2_PROXY_SECRET_NAME, key: 'redis-password' } } }],
          service: { type: 'ClusterIP', portNumber: OAUTH2_PROXY_SERVICE.port },
          // The public Ingress is ours (public-ingress.ts), not the chart's.
          ingress: { enabled: false },
          resources: kubernetesResources('oauth2Proxy', props.resources),
          // The chart renders a PodDisruptionBudget only for more than one replica.
          ...((props.replicas ?? 1) > 1 ? { podDisruptionBudget: { enabled: true, minAvailable: 1 } } : {}),
          metrics: { enabled: false },
        }),
      ],
      dependsOn: [this.secret, sessions.service, ...(props.dependsOn ?? [])],
    });
  }
}
