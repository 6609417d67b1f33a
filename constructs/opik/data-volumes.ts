/**
 * One PersistentVolume per data disk, each bound to exactly one claim of the Opik chart.
 *
 * Why this shape, data safety first:
 * - `claimRef` names the one PVC that may bind each PV. Binding by class and size alone (what the
 *   script-based install did) lets the ClickHouse and MinIO claims swap disks when their sizes match.
 * - `persistentVolumeReclaimPolicy: Retain`: deleting a claim (helm uninstall, the ClickHouse
 *   operator deleting its CHI's claims, a namespace deletion) leaves the PV `Released` and the disk
 *   untouched. The disk also carries a CanNotDelete lock and prevent_destroy (data-disks stack).
 * - Where the chart accepts `existingClaim` (MySQL, MinIO, Redis, ZooKeeper) we create the claim
 *   ourselves, pre-bound with `volumeName`: Helm never owns it, so `helm uninstall` cannot delete
 *   it (the chart's MinIO claim is a plain Helm-rendered PVC that uninstall would delete).
 *   ClickHouse has no such option; the operator creates its claim and `claimRef` catches it.
 * - PV and PVC names are fixed strings (never random or timestamped), so a re-run addresses the
 *   same objects; prevent_destroy makes any plan that would delete or replace one fail.
 * - Growing: the data-disks stack grows the disk in place; this stack then raises the PV's capacity
 *   and the claim's request to match, and the CSI driver grows the filesystem (the class allows
 *   expansion for that). Azure and the API server both refuse to shrink.
 * - Zonal disks get node affinity on `topology.disk.csi.azure.com/zone` (`<region>-<zone>`): the
 *   scheduler does not infer it for a hand-made PV, and a pod in another zone could never attach.
 */
import { Construct } from 'constructs';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { PersistentVolumeV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-v1';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { DATA_COMPONENTS, type DataComponent } from '../core/naming';
import { DATA_STORAGE_CLASS, DATA_VOLUMES } from './chart-contract';

/** The Azure Disk CSI driver AKS ships. */
export const AZURE_DISK_CSI_DRIVER = 'disk.csi.azure.com';
export const AZURE_DISK_ZONE_LABEL = 'topology.disk.csi.azure.com/zone';

export interface DataDiskRef {
  /** Resource ID of the managed disk (the CSI volume handle). */
  readonly diskId: string;
  /** Size of the disk in GiB, as the data-disks stack reports it. */
  readonly sizeGb: string;
  /** Size the chart's claim requests, in GiB; must not exceed the disk. */
  readonly requestGb: number;
  /** The disk's zone as reported by the data-disks stack (empty for a regional disk). */
  readonly zone: string;
  /** Whether the disk is zonal, from the environment file (decides whether affinity is rendered). */
  readonly zonal: boolean;
}

export interface DataVolumesProps {
  readonly namespace: string;
  /** Azure region, the prefix of the CSI zone label's value. */
  readonly location: string;
  readonly disks: Readonly<Record<DataComponent, DataDiskRef>>;
  /** @default DATA_STORAGE_CLASS */
  readonly storageClassName?: string;
}

export class DataVolumes extends Construct {
  readonly storageClass: StorageClassV1;
  readonly volumes: Readonly<Record<DataComponent, PersistentVolumeV1>>;
  /** The claims we own (every component except ClickHouse). */
  readonly claims: Readonly<Partial<Record<DataComponent, PersistentVolumeClaimV1>>>;
  readonly storageClassName: string;

  constructor(scope: Construct, id: string, props: DataVolumesProps) {
    super(scope, id);
    const className = props.storageClassName ?? DATA_STORAGE_CLASS;
    this.storageClassName = className;

    // A class with no provisioner: a claim of this class can only bind a PV declared here, never a
    // freshly provisioned empty disk that would silently replace the data.
    this.storageClass = new StorageClassV1(this, 'storage-class', {
      metadata: { name: className },
      storageProvisioner: 'kubernetes.io/no-provisioner',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      // Growing a disk (README: "Growing a data disk"): the API server accepts a larger claim
      // request only when its class allows expansion; the Azure Disk CSI driver then grows the
      // filesystem to the disk's new size. It never provisions or shrinks anything.
      allowVolumeExpansion: true,
    });

    const volumes = {} as Record<DataComponent, PersistentVolumeV1>;
    const claims: Partial<Record<DataComponent, PersistentVolumeClaimV1>> = {};
    for (const component of DATA_COMPONENTS) {
      const disk = props.disks[component];
      const contract = DATA_VOLUMES[component];
      const pvName = `opik-${component}-data`;

      volumes[component] = new PersistentVolumeV1(this, `pv-${component}`, {
        metadata: { name: pvName, labels: { 'app.kubernetes.io/part-of': 'opik', 'opik.platform/data-component': component } },
        spec: [
          {
            capacity: { storage: `${disk.sizeGb}Gi` },
            accessModes: ['ReadWriteOnce'],
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: className,
            volumeMode: 'Filesystem',
            claimRef: { namespace: props.namespace, name: contract.claimName },
            persistentVolumeSource: {
              csi: { driver: AZURE_DISK_CSI_DRIVER, volumeHandle: disk.diskId, fsType: 'ext4' },
            },
            nodeAffinity: disk.zonal
              ? {
                  required: {
                    nodeSelectorTerm: [
                      { matchExpressions: [{ key: AZURE_DISK_ZONE_LABEL, operator: 'In', values: [`${props.location}-${disk.zone}`] }] },
                    ],
                  },
                }
              : undefined,
          },
        ],
        lifecycle: { preventDestroy: true },
      });

      if (contract.claimOwner === 'platform') {
        claims[component] = new PersistentVolumeClaimV1(this, `pvc-${component}`, {
          metadata: { name: contract.claimName, namespace: props.namespace, labels: { 'app.kubernetes.io/part-of': 'opik' } },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: className,
            volumeName: pvName,
            resources: { requests: { storage: `${disk.requestGb}Gi` } },
          },
          // Binding completes when the first pod is scheduled (WaitForFirstConsumer); do not block on it.
          waitUntilBound: false,
          lifecycle: { preventDestroy: true },
          dependsOn: [volumes[component]],
        });
      }
    }
    this.volumes = volumes;
    this.claims = claims;
  }
}
