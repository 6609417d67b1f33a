/**
 * The built-in Azure roles the environment stacks assign, with their role definition GUIDs
 * (the same in every tenant). The pipeline's deploy identity may assign exactly these, plus the
 * cluster's data disk role: its RBAC Administrator grant carries them as an allow-list condition.
 *
 * GUIDs from Microsoft's built-in roles reference (MicrosoftDocs azure-docs,
 * articles/role-based-access-control/built-in-roles*), read 2026-12-07, and checked against the
 * ARM stand-in's table (tools/arm-standin/resource-types.ts) where both have a role.
 * __tests__/pipeline-identity.test.ts fails when a stack assigns a role missing here.
 */
export const ASSIGNABLE_BUILT_IN_ROLES = {
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  'Disk Backup Reader': '3e5e47e6-65f7-47ef-90b5-e5dd4d455f24',
  'Disk Snapshot Contributor': '7efff54f-a5b4-42b5-a1c5-5411624893ce',
  'DNS Zone Contributor': 'befefa01-2a29-4197-83a8-272ff33ce314',
  'Grafana Admin': '22926164-76b3-42b3-bc55-97df8dab3e41',
  'Grafana Viewer': '60921a7e-fef1-4a43-9b16-a26c52ad4769',
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Monitoring Data Reader': 'b0d8363b-8ddd-447d-831f-62ca05bff136',
  'Network Contributor': '4d97b98b-1d4f-4787-a291-c67834d212e7',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
} as const;
