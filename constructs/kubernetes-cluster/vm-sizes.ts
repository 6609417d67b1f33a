/**
 * The VM sizes we support for node pools, with the size of their local temp (resource) disk in
 * GiB from Azure's published specifications (Ddsv5 and Edsv5 series). An ephemeral OS disk is
 * placed on that disk, so `osDiskSizeGb` must fit it; config/rules.ts refuses one that does not.
 * A size missing here may still be used, but with an ephemeral OS disk its `osDiskSizeGb` must be
 * set explicitly (check the size's temp disk in Azure's documentation), or `osDiskType: Managed`.
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
};

/** OS disk size of a pool that does not set `osDiskSizeGb`. */
export const DEFAULT_OS_DISK_SIZE_GB = 128;
