/**
 * A small Redis that holds oauth2-proxy's sessions, so the browser cookie is a short ticket instead
 * of the encrypted Entra tokens (several KiB, split over cookies) that cause
 * "431 Request Header Fields Too Large" upstream. Not Opik's Redis: that one runs
 * `maxmemory-policy allkeys-lru` with 105 MB and would evict sessions under load.
 * No persistence on purpose: losing it only means signing in again.
 */
import { Construct } from 'constructs';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { imageReference, type ImageSource } from '../container-registry/mirrored-images';

/** The session store's pods under its default name, and the port Redis listens on: what NetworkPolicies see. */
export const SESSION_STORE_PODS = { labels: { 'app.kubernetes.io/name': 'oauth2-proxy-sessions' }, port: 6379 } as const;

export interface SessionStoreProps {
  readonly namespace: string;
  /** Where the Redis image (Docker's official one, pinned by digest in mirrored-images.ts) is pulled from. */
  readonly imageSource: ImageSource;
  /** The Redis password, as a Terraform reference (never a literal). */
  readonly password: string;
  /** @default 'oauth2-proxy-sessions' */
  readonly name?: string;
  /** @default '64mb' */
  readonly maxMemory?: string;
}

export class SessionStore extends Construct {
  readonly service: ServiceV1;
  readonly connectionUrl: string;

  constructor(scope: Construct, id: string, props: SessionStoreProps) {
    super(scope, id);
    const name = props.name ?? SESSION_STORE_PODS.labels['app.kubernetes.io/name'];
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'opik' };

    // The whole configuration, password included, is a file from a secret: the password never
    // sits in an environment variable, where `kubectl describe` and crash dumps could show it.
    const config = new SecretV1(this, 'config', {
      metadata: { name: `${name}-config`, namespace: props.namespace, labels },
      data: {
        'redis.conf': [
          `requirepass ${props.password}`,
          'save ""',
          'appendonly no',
          `maxmemory ${props.maxMemory ?? '64mb'}`,
          // Sessions carry a TTL: under memory pressure the one closest to expiry goes first.
          'maxmemory-policy volatile-ttl',
          '',
        ].join('\n'),
      },
      type: 'Opaque',
    });

    new DeploymentV1(this, 'Resource', {
      metadata: { name, namespace: props.namespace, labels },
      spec: {
        replicas: '1',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            // Meets Pod Security `restricted`, the level the namespace warns on.
            securityContext: { runAsNonRoot: true, runAsUser: '999', runAsGroup: '999', fsGroup: '999', seccompProfile: { type: 'RuntimeDefault' } },
            container: [
              {
                name: 'redis',
                image: imageReference('sessionRedis', props.imageSource),
                imagePullPolicy: 'Always',
                args: ['/etc/redis/redis.conf'],
                port: [{ containerPort: 6379, name: 'redis' }],
                resources: { requests: { cpu: '20m', memory: '96Mi' }, limits: { cpu: '200m', memory: '96Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                readinessProbe: { tcpSocket: [{ port: '6379' }], periodSeconds: 10 },
                livenessProbe: { tcpSocket: [{ port: '6379' }], initialDelaySeconds: 10, periodSeconds: 20, failureThreshold: 3 },
                volumeMount: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'config', mountPath: '/etc/redis', readOnly: true },
                ],
              },
            ],
            volume: [
              { name: 'data', emptyDir: {} },
              { name: 'config', secret: { secretName: config.metadata.name, defaultMode: '0440' } },
            ],
          },
        },
      },
    });

    this.service = new ServiceV1(this, 'service', {
      metadata: { name, namespace: props.namespace, labels },
      spec: { selector: labels, port: [{ name: 'redis', port: 6379, targetPort: '6379' }], type: 'ClusterIP' },
    });
    this.connectionUrl = `redis://${name}:6379`;
  }
}
