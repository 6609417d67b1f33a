/**
 * The one place that decides where a stack keeps its Terraform state and how another stack
 * reads it. Producer and consumer both go through `StateBackend`, so the backend a stack writes
 * and the remote state another stack reads can never disagree.
 */
import {
  AzurermBackend,
  DataTerraformRemoteStateAzurerm,
  DataTerraformRemoteStateLocal,
  LocalBackend,
  TerraformRemoteState,
  TerraformStack,
} from 'cdktf';
import { Construct } from 'constructs';

/**
 * `azurerm` for every real deployment; `local` for offline experiments, tests and validation;
 * `rehearsal` for `npm run rehearse`: the azurerm backend exactly as deployed, except that the blob
 * endpoint is looked up from the storage account (which the rehearsal's stand-in ARM serves,
 * pointing at Azurite) instead of being derived from the account name.
 */
export type StateBackendKind = 'azurerm' | 'local' | 'rehearsal';

export interface AzureStateStorage {
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  /** Subscription of the state storage account; absent means the caller's default. */
  readonly subscriptionId?: string;
}

export interface StateBackendProps {
  readonly kind: StateBackendKind;
  /** Environment name; the first segment of every state key. */
  readonly environment: string;
  readonly azure: AzureStateStorage;
}

/**
 * Local state files live in `.terraform-state/` at the project root. Terraform resolves the
 * path from the stack's working directory, cdktf.out/stacks/<stack>, hence three levels up;
 * a relative path also keeps the synthesized JSON the same on every machine.
 */
const LOCAL_STATE_ROOT = '../../../.terraform-state';

export class StateBackend {
  constructor(readonly props: StateBackendProps) {}

  /** `<env>/<stack>.tfstate`: one blob per stack per environment, in one container. */
  stateKey(stackName: string): string {
    return `${this.props.environment}/${stackName}.tfstate`;
  }

  private localPath(stackName: string): string {
    return `${LOCAL_STATE_ROOT}/${this.stateKey(stackName)}`;
  }

  private azurermConfig(stackName: string) {
    const { azure } = this.props;
    return {
      resourceGroupName: azure.resourceGroupName,
      storageAccountName: azure.storageAccountName,
      containerName: azure.containerName,
      key: this.stateKey(stackName),
      // Entra ID instead of account keys: the state account has shared keys disabled.
      useAzureadAuth: true,
      ...(azure.subscriptionId ? { subscriptionId: azure.subscriptionId } : {}),
    };
  }

  /** Configures where `stack` keeps its own state. */
  attach(stack: TerraformStack, stackName: string): void {
    if (this.props.kind === 'local') {
      new LocalBackend(stack, { path: this.localPath(stackName) });
      return;
    }
    const backend = new AzurermBackend(stack, this.azurermConfig(stackName));
    // cdktf's backend type has no lookup_blob_endpoint yet; the override writes the same key.
    if (this.props.kind === 'rehearsal') backend.addOverride('lookup_blob_endpoint', true);
  }

  /** A data source in `scope` that reads the outputs of the stack `stackName`. */
  remoteState(scope: Construct, id: string, stackName: string): TerraformRemoteState {
    if (this.props.kind === 'local') {
      return new DataTerraformRemoteStateLocal(scope, id, { path: this.localPath(stackName) });
    }
    const state = new DataTerraformRemoteStateAzurerm(scope, id, this.azurermConfig(stackName));
    if (this.props.kind === 'rehearsal') state.addOverride('config.lookup_blob_endpoint', true);
    return state;
  }
}
