/**
 * What every stack of this project shares: its id (`<stack>-<env>`), where its state lives, the
 * azurerm provider, the tags, and typed outputs that other stacks read through remote state.
 * Stacks extend this and only compose constructs.
 */
import { Aspects, TerraformOutput, TerraformRemoteState, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import type { PlatformConfig } from '../config/schema';
import { resourceNames, type ResourceNames } from '../constructs/core/naming';
import type { StateBackend } from '../constructs/core/state-backend';
import { platformTags, TaggingAspect } from '../constructs/core/tagging';

export interface PlatformStackProps {
  readonly config: PlatformConfig;
  readonly backend: StateBackend;
}

export interface OutputSpec {
  readonly value: string | number;
  readonly description: string;
  readonly sensitive?: boolean;
}

/** The outputs of a producer stack, read in a consumer stack by name; names are checked at synth. */
export class RemoteOutputs<Name extends string> {
  constructor(
    private readonly state: TerraformRemoteState,
    private readonly producer: PlatformStack<Name>,
  ) {}

  getString(name: Name): string {
    this.producer.assertOutput(name);
    return this.state.getString(name);
  }
}

export abstract class PlatformStack<OutputName extends string = never> extends TerraformStack {
  readonly config: PlatformConfig;
  readonly names: ResourceNames;
  readonly backend: StateBackend;
  /** The stack's kind, for example `network`; the stack id is `<stackName>-<environment>`. */
  readonly stackName: string;
  private readonly outputNames = new Set<string>();

  protected constructor(scope: Construct, stackName: string, props: PlatformStackProps) {
    super(scope, `${stackName}-${props.config.environment}`);
    this.stackName = stackName;
    this.config = props.config;
    this.backend = props.backend;
    this.names = resourceNames(props.config);

    props.backend.attach(this, stackName);
    new AzurermProvider(this, 'azurerm', {
      ...(props.config.subscriptionId ? { subscriptionId: props.config.subscriptionId } : {}),
      features: [
        {
          // A resource group that still holds a data disk cannot be deleted by Terraform.
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
          // Never purge soft-deleted vaults or secrets on destroy; recover them on re-create.
          keyVault: [
            {
              purgeSoftDeleteOnDestroy: false,
              purgeSoftDeletedSecretsOnDestroy: false,
              recoverSoftDeletedKeyVaults: true,
              recoverSoftDeletedSecrets: true,
            },
          ],
          logAnalyticsWorkspace: [{ permanentlyDeleteOnDestroy: false }],
        },
      ],
    });
    Aspects.of(this).add(
      new TaggingAspect(platformTags({ environment: props.config.environment, workload: props.config.workload, extra: props.config.tags })),
    );
  }

  /** Declares a named output that other stacks may read. */
  protected output(name: OutputName, spec: OutputSpec): void {
    new TerraformOutput(this, name, { value: spec.value, description: spec.description, sensitive: spec.sensitive ?? false });
    this.outputNames.add(name);
  }

  /** Fails synth when a consumer asks for an output this stack does not declare. */
  assertOutput(name: string): void {
    if (!this.outputNames.has(name)) {
      throw new Error(`stack ${this.node.id} has no output "${name}" (it has: ${[...this.outputNames].join(', ')})`);
    }
  }

  /**
   * Reads `producer`'s outputs through remote state from the producer's own backend, and
   * records the dependency so that `cdktf deploy '*-<env>'` deploys the producer first.
   */
  protected readOutputsOf<Name extends string>(producer: PlatformStack<Name>): RemoteOutputs<Name> {
    this.addDependency(producer);
    const state = producer.backend.remoteState(this, `remote-state-${producer.stackName}`, producer.stackName);
    return new RemoteOutputs(state, producer);
  }
}
