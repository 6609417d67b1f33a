/**
 * The VM sizes we support for node pools, with the size of their local temp (resource) disk in
 * GiB from Azure's published specifications: Ddsv5 and Edsv5 from the "Local storage" tables of
 * MicrosoftDocs/azure-compute-docs articles/virtual-machines/sizes/general-purpose/ddsv5-series.md
 * and memory-optimized/edsv5-series.md (ms.date 08/01/2024; every row below read 2026-11-22), and
 * the GPU series below. An
 * ephemeral OS disk is placed on that disk, so `osDiskSizeGb` must fit it; config/rules.ts
 * refuses one that does not. A size missing here may still be used, but with an ephemeral OS
 * disk its `osDiskSizeGb` must be set explicitly (check the size's temp disk in Azure's
 * documentation), or `osDiskType: Managed`.
 */
export const TEMP_DISK_GIB_OF_VM_SIZE: Readonly<Record<string, number>> = {
  Standard_D2ds_v5: 75,
  Standard_D4ds_v5: 150,
  Standard_D8ds_v5: 300,
  Standard_D16ds_v5: 600,
  Standard_D32ds_v5: 1200,
  Standard_E2ds_v5: 75,
  Standard_E4ds_v5: 150,
  Standard_E8ds_v5: 300,
  Standard_E16ds_v5: 600,
  Standard_E32ds_v5: 1200,
  // GPU sizes (config/rules.ts: only with `gpu` set on the pool). Temp disk GiB from Azure's size
  // pages as of 2024-07-31 (MicrosoftDocs/azure-compute-docs, articles/virtual-machines/sizes/
  // gpu-accelerated/ncast4v3-series.md and nca100v4-series.md), which also list ephemeral OS disks
  // as supported. The older NCasT4_v3 page gave 180/360/2880 "GiB"; the newer figures are smaller,
  // so they are the ones that cannot overstate the room.
  Standard_NC4as_T4_v3: 176,
  Standard_NC8as_T4_v3: 352,
  Standard_NC16as_T4_v3: 352,
  Standard_NC64as_T4_v3: 2816,
  // NC24ads_A100_v4's 64 GiB cannot hold the default 128 GiB OS disk: osDiskSizeGb <= 64, or Managed.
  Standard_NC24ads_A100_v4: 64,
  Standard_NC48ads_A100_v4: 128,
  Standard_NC96ads_A100_v4: 256,
};

/** OS disk size of a pool that does not set `osDiskSizeGb`. */
export const DEFAULT_OS_DISK_SIZE_GB = 128;
