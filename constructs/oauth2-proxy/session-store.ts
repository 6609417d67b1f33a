/**
 * A small Redis that holds oauth2-proxy's sessions, so the browser cookie is a short ticket instead
 * of the encrypted Entra tokens (several KiB, split over cookies) that cause
 * "431 Request Header Fields Too Large" upstream. Not Opik's Redis: that one runs
 * `maxmemory-policy allkeys-lru` with 105 MB and would evict sessions under load.
 * No persistence on purpose: losing it only means signing in again.
 */
import { Construct } from 'constructs';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';

/** Pinned Redis image (Docker official image). */
export const SESSION_REDIS_IMAGE = 'docker.io/library/redis:7.4.2-alpine';

export interface SessionStoreProps {
  readonly namespace: string;
  /** Kubernetes secret and key holding the Redis password. */
  readonly passwordSecret: { readonly name: string; readonly key: string };
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
    const name = props.name ?? 'oauth2-proxy-sessions';
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'opik' };

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
                image: SESSION_REDIS_IMAGE,
                args: ['--requirepass', '$(REDIS_PASSWORD)', '--save', '', '--appendonly', 'no', '--maxmemory', props.maxMemory ?? '64mb', '--maxmemory-policy', 'volatile-ttl'],
                env: [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: props.passwordSecret.name, key: props.passwordSecret.key } } }],
                port: [{ containerPort: 6379, name: 'redis' }],
                resources: { requests: { cpu: '20m', memory: '96Mi' }, limits: { memory: '96Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                readinessProbe: { tcpSocket: [{ port: '6379' }], periodSeconds: 10 },
                volumeMount: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volume: [{ name: 'data', emptyDir: {} }],
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
