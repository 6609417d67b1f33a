/**
 * The permissions of the Application Gateway Ingress Controller add-on: exactly what it needs
 * to rewrite the gateway, and nothing wider. Without the subnet role AGIC fails with
 * ApplicationGatewayInsufficientPermissionOnSubnet.
 */
import { Construct } from 'constructs';
import { grantRole } from '../core/role-assignment';

export interface IngressControllerAccessProps {
  /** Object ID of the AGIC add-on's identity. */
  readonly principalId: string;
  readonly applicationGatewayId: string;
  /** ID of the resource group that holds the gateway. */
  readonly gatewayResourceGroupId: string;
  readonly appGatewaySubnetId: string;
}

export class IngressControllerAccess extends Construct {
  constructor(scope: Construct, id: string, props: IngressControllerAccessProps) {
    super(scope, id);
    grantRole(this, 'gateway-contributor', {
      principalId: props.principalId,
      role: 'Contributor',
      scope: props.applicationGatewayId,
      reason: 'AGIC rewrites listeners, pools, rules, probes and certificates of the gateway',
    });
    grantRole(this, 'resource-group-reader', {
      principalId: props.principalId,
      role: 'Reader',
      scope: props.gatewayResourceGroupId,
      reason: 'AGIC reads the gateway and its public IP in their resource group',
    });
    grantRole(this, 'subnet-network-contributor', {
      principalId: props.principalId,
      role: 'Network Contributor',
      scope: props.appGatewaySubnetId,
      reason: 'AGIC updates the gateway, which joins the gateway subnet',
    });
  }
}
