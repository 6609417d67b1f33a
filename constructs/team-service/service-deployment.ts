/**
 * The Deployment of one of the team's services, secure by default and Pod Security `restricted`
 * clean: non-root with a UID above 10000, no privilege escalation, every capability dropped, the
 * runtime's seccomp profile, a read-only root filesystem with a writable emptyDir on /tmp, no
 * service account token in the pod (the CSI driver asks the kubelet for its own), requests and
 * limits, liveness and readiness probes, the image pinned by digest, and the replicas spread over
 * zones and nodes. A test pins each of these, so changing one is a visible decision.
 */
import { createHash } from 'crypto';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DeploymentV1, type DeploymentV1SpecTemplateSpecContainerVolumeMount, type DeploymentV1SpecTemplateSpecVolume } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { ContainerResources, TeamServiceConfig } from '../../config/schema';
import { SECRETS_MOUNT_PATH, SECRETS_STORE_CSI_DRIVER } from '../secret-provider-class/secret-provider-class';

type Probe = TeamServiceConfig['probes']['liveness'];

export interface ServiceDeploymentProps {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the Deployment and its pods; `selector` must be a subset. */
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  /** Full image reference, `<login server>/<repository>:<tag>@sha256:<digest>`. */
  readonly image: string;
  readonly port: number;
  readonly runAsUser: number;
  readonly resources: ContainerResources & { readonly cpuLimit: string };
  readonly liveness: Probe;
  readonly readiness: Probe;
  readonly serviceAccountName: string;
  /** A fixed count; absent leaves the count to a HorizontalPodAutoscaler. */
  readonly replicas?: number;
  /** ConfigMap read as environment variables. @default - none */
  readonly settingsConfigMap?: { readonly name: string; readonly data: Readonly<Record<string, string>> };
  /** SecretProviderClass whose secrets are mounted as files under SECRETS_MOUNT_PATH. @default - none */
  readonly secretProviderClass?: string;
  readonly dependsOn?: ITerraformDependable[];
}

function probeOf(probe: Probe, port: number) {
  const timing = { initialDelaySeconds: probe.initialDelaySeconds, periodSeconds: probe.periodSeconds, timeoutSeconds: 3, failureThreshold: 3 };
  return probe.type === 'http' ? { ...timing, httpGet: { path: probe.path, port: String(port) } } : { ...timing, tcpSocket: [{ port: String(port) }] };
}

export class ServiceDeployment extends Construct {
  readonly deployment: DeploymentV1;

  constructor(scope: Construct, id: string, props: ServiceDeploymentProps) {
    super(scope, id);
    const resources = props.resources;
    const volumes: DeploymentV1SpecTemplateSpecVolume[] = [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }];
    const mounts: DeploymentV1SpecTemplateSpecContainerVolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
    if (props.secretProviderClass) {
      volumes.push({
        name: 'secrets',
        csi: { driver: SECRETS_STORE_CSI_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: props.secretProviderClass } },
      });
      mounts.push({ name: 'secrets', mountPath: SECRETS_MOUNT_PATH, readOnly: true });
    }
    // A changed setting must restart the pods: envFrom is read only at container start.
    const settingsHash = props.settingsConfigMap
      ? createHash('sha256').update(JSON.stringify(Object.entries(props.settingsConfigMap.data).sort())).digest('hex')
      : undefined;

    this.deployment = new DeploymentV1(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: {
        ...(props.replicas !== undefined ? { replicas: String(props.replicas) } : {}),
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...props.selector } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0', maxSurge: '1' } },
        template: {
          metadata: {
            labels: { ...props.labels, 'azure.workload.identity/use': 'true' },
            ...(settingsHash ? { annotations: { 'checksum/settings': settingsHash } } : {}),
          },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(props.runAsUser),
              runAsGroup: String(props.runAsUser),
              fsGroup: String(props.runAsUser),
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraint: [
              { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: [{ matchLabels: { ...props.selector } }] },
              { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: [{ matchLabels: { ...props.selector } }] },
            ],
            container: [
              {
                name: props.name,
                image: props.image,
                // The digest pins the content; Always only re-checks the registry's copy of it.
                imagePullPolicy: 'Always',
                port: [{ name: 'http', containerPort: props.port, protocol: 'TCP' }],
                ...(props.settingsConfigMap ? { envFrom: [{ configMapRef: { name: props.settingsConfigMap.name } }] } : {}),
                resources: {
                  requests: { cpu: resources.cpu, memory: resources.memory },
                  limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit ?? resources.memory },
                },
                livenessProbe: probeOf(props.liveness, props.port),
                readinessProbe: probeOf(props.readiness, props.port),
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: String(props.runAsUser),
                  runAsGroup: String(props.runAsUser),
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMount: mounts,
              },
            ],
            volume: volumes,
          },
        },
      },
      dependsOn: props.dependsOn,
    });
  }
}
