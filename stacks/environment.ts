/**
 * The stacks of one environment and the order they depend on each other:
 * network -> data-disks and cluster-and-registry (independent of each other) -> application;
 * services (only when the file lists any) after application; monitoring (when any part is on)
 * after network and cluster-and-registry.
 */
import { Aspects } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigError } from '../config/load';
import { anyMonitoring, monitoringParts } from '../config/monitoring-parts';
import type { PlatformConfig } from '../config/schema';
import { stateStorageNames } from '../constructs/core/naming';
import { StateBackend, type StateBackendKind } from '../constructs/core/state-backend';
import { ChartRepositoryOverride } from '../constructs/helm/chart-repository-override';
import { ApplicationStack } from './application-stack';
import { ClusterAndRegistryStack } from './cluster-and-registry-stack';
import { DataDisksStack } from './data-disks-stack';
import { MonitoringStack } from './monitoring-stack';
import { NetworkStack } from './network-stack';
import { ServicesStack } from './services-stack';

export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly dataDisks: DataDisksStack;
  readonly cluster: ClusterAndRegistryStack;
  readonly application: ApplicationStack;
  /** The team's own services; absent when the environment file lists none. */
  readonly services?: ServicesStack;
  /** Absent when every part of `monitoring:` is off. */
  readonly monitoring?: MonitoringStack;
}

/**
 * Reads a state-backend switch from the environment (STATE_BACKEND, or BOOTSTRAP_STATE for the
 * bootstrap app): unset means azurerm, the only kind for real deployments. `rehearsal` is
 * `npm run rehearse`'s (README: "Rehearsing a deploy").
 */
export function stateBackendKind(value: string | undefined, variable = 'STATE_BACKEND'): StateBackendKind {
  if (value === undefined || value === '' || value === 'azurerm') return 'azurerm';
  if (value === 'local' || value === 'rehearsal') return value;
  throw new ConfigError([{ file: `${variable} (environment variable)`, path: '', rule: 'must be "azurerm", "local" or "rehearsal"', value }]);
}

/** What a rehearsal changes besides the state backend's endpoint lookup. */
export interface RehearsalSettings {
  /** The local Helm repository of stand-in charts every chart-repository release is pointed at. */
  readonly chartRepository: string;
}

/** The rehearsal's settings from the environment; only with STATE_BACKEND=rehearsal. */
export function rehearsalSettings(kind: StateBackendKind, chartRepository: string | undefined): RehearsalSettings | undefined {
  if (kind !== 'rehearsal') return undefined;
  if (!chartRepository || !/^http:\/\/(127\.0\.0\.1|localhost):\d+\/?$/.test(chartRepository)) {
    throw new ConfigError([
      { file: 'REHEARSAL_CHART_REPOSITORY (environment variable)', path: '', rule: 'STATE_BACKEND=rehearsal needs the local stand-in chart repository, http://127.0.0.1:<port>/ (npm run rehearse sets it)', value: chartRepository ?? '(unset)' },
    ]);
  }
  return { chartRepository };
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

export function buildEnvironment(scope: Construct, config: PlatformConfig, kind: StateBackendKind, rehearsal?: RehearsalSettings): EnvironmentStacks {
  const common = { config, backend: stateBackendFor(config, kind) };
  const network = new NetworkStack(scope, common);
  const dataDisks = new DataDisksStack(scope, { ...common, network });
  const cluster = new ClusterAndRegistryStack(scope, { ...common, network });
  const application = new ApplicationStack(scope, { ...common, network, dataDisks, cluster });
  if (rehearsal) Aspects.of(application).add(new ChartRepositoryOverride(rehearsal.chartRepository));
  // Optional stacks are left out rather than stored as undefined, so Object.values lists only stacks.
  const services = config.services.length > 0 ? new ServicesStack(scope, { ...common, network, cluster, application }) : undefined;
  const monitoring = anyMonitoring(monitoringParts(config.monitoring)) ? new MonitoringStack(scope, { ...common, network, cluster }) : undefined;
  return { network, dataDisks, cluster, application, ...(services ? { services } : {}), ...(monitoring ? { monitoring } : {}) };
}
