/**
 * Who "the deployer" is for the two things the stacks give whoever deploys them: Key Vault Secrets
 * Officer on the platform vault (cluster-and-registry) and ownership of the sign-in app
 * registration (application). Without `delivery`: whoever runs Terraform, as before. With
 * `delivery`: always the environment's deploy identity, looked up by name in the state storage's
 * resource group. A pull request is planned by the plan identity and re-planned before the apply
 * by the deploy identity; if these resources followed the caller, the two plans would differ and
 * apply:reviewed would refuse every deploy (README: "Reviewing and shipping a change").
 */
import { Construct } from 'constructs';
import { DataAzurermUserAssignedIdentity } from '@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity';
import type { PlatformConfig } from '../config/schema';
import { resourceNames, stateStorageNames } from '../constructs/core/naming';

/** The resource group of the state storage (as stateBackendFor derives it), where the pipeline identities live. */
export function pipelineIdentityResourceGroup(config: PlatformConfig): string {
  return config.state.resourceGroupName ?? stateStorageNames({ ...config, location: config.state.location ?? config.location }).resourceGroup;
}

/** The deployer's object ID: the deploy identity's with `delivery`, else `callerObjectId`. */
export function deployerObjectId(scope: Construct, config: PlatformConfig, callerObjectId: string): string {
  if (!config.delivery) return callerObjectId;
  return new DataAzurermUserAssignedIdentity(scope, 'deploy-identity', {
    name: resourceNames(config).deployIdentity,
    resourceGroupName: pipelineIdentityResourceGroup(config),
  }).principalId;
}
