/**
 * The Key Vault for the platform's secrets (the Entra client secret, the cookie secret, database
 * passwords). RBAC authorization instead of access policies, purge protection so a deleted
 * secret can always be recovered, and a network firewall that denies by default.
 */
import { Construct } from 'constructs';
import { KeyVault as AzureKeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { grantRole } from '../core/role-assignment';

export interface KeyVaultProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly name: string;
  readonly tenantId: string;
  /** @default 90 */
  readonly softDeleteRetentionDays?: number;
  /** Public IPs or CIDRs allowed through the firewall, for example the Terraform runner's. */
  readonly allowedIpRanges: string[];
  /** Subnets allowed through the firewall (they need the Microsoft.KeyVault service endpoint). */
  readonly allowedSubnetIds: string[];
  /**
   * People or pipelines that write secrets (the identity that deploys the application stack);
   * each gets Key Vault Secrets Officer on this vault only.
   */
  readonly secretWriterPrincipalIds: readonly string[];
  /**
   * false: no public endpoint at all, reached only through a private endpoint (privateEndpoints);
   * trusted Azure services (the registry's credential set) still pass. @default true (the firewall above)
   */
  readonly publicNetworkAccess?: boolean;
}

export class KeyVault extends Construct {
  readonly vault: AzureKeyVault;

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    this.vault = new AzureKeyVault(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: props.softDeleteRetentionDays ?? 90,
      publicNetworkAccessEnabled: props.publicNetworkAccess ?? true,
      networkAcls: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        ipRules: props.allowedIpRanges,
        virtualNetworkSubnetIds: props.allowedSubnetIds,
      },
    });
    props.secretWriterPrincipalIds.forEach((principalId, index) => {
      grantRole(this, `secret-writer-${index}`, {
        principalId,
        role: 'Key Vault Secrets Officer',
        scope: this.vault.id,
        reason: 'Deploys the application stack, which stores the generated passwords here',
        managedIdentity: false,
      });
    });
  }
}
