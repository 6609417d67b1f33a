/**
 * The stacks of one environment and the order they depend on each other:
 * network -> data-disks -> cluster-and-registry -> application.
 */
import { Construct } from 'constructs';
import { ConfigError } from '../config/load';
import type { PlatformConfig } from '../config/schema';
import { stateStorageNames } from '../constructs/core/naming';
import { StateBackend, type StateBackendKind } from '../constructs/core/state-backend';
import { ApplicationStack } from './application-stack';
import { ClusterAndRegistryStack } from './cluster-and-registry-stack';
import { DataDisksStack } from './data-disks-stack';
import { NetworkStack } from './network-stack';

export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly dataDisks: DataDisksStack;
  readonly cluster: ClusterAndRegistryStack;
  readonly application: ApplicationStack;
}

/**
 * Reads a state-backend switch from the environment (STATE_BACKEND, or BOOTSTRAP_STATE for the
 * bootstrap app): unset means azurerm, the only kind for real deployments.
 */
export function stateBackendKind(value: string | undefined, variable = 'STATE_BACKEND'): StateBackendKind {
  if (value === undefined || value === '' || value === 'azurerm') return 'azurerm';
  if (value === 'local') return 'local';
  throw new ConfigError([{ file: `${variable} (environment variable)`, path: '', rule: 'must be "azurerm" or "local"', value }]);
}

/** Where this environment's state lives; the bootstrap app creates exactly this storage. */
export function stateBackendFor(config: PlatformConfig, kind: StateBackendKind): StateBackend {
  const derived = stateStorageNames({ ...config, location: config.state.location ?? config.location });
  return new StateBackend({
    kind,
    environment: config.environment,
    azure: {
      resourceGroupName: config.state.resourceGroupName ?? derived.resourceGroup,
      storageAccountName: config.state.storageAccountName ?? derived.storageAccount,
      containerName: config.state.containerName,
      subscriptionId: config.subscriptionId,
    },
  });
}

export function buildEnvironment(scope: Construct, config: PlatformConfig, kind: StateBackendKind): EnvironmentStacks {
  const common = { config, backend: stateBackendFor(config, kind) };
  const network = new NetworkStack(scope, common);
  const dataDisks = new DataDisksStack(scope, { ...common, network });
  const cluster = new ClusterAndRegistryStack(scope, { ...common, network, dataDisks });
  const application = new ApplicationStack(scope, { ...common, network, dataDisks, cluster });
  return { network, dataDisks, cluster, application };
}
