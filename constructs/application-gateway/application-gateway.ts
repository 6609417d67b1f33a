/**
 * The Application Gateway v2 that fronts Opik, its static public IP and (for WAF_v2) its WAF
 * policy. Terraform creates it with a placeholder listener; from then on the AKS ingress
 * controller (AGIC) owns its routing, so Terraform ignores every attribute AGIC rewrites.
 */
import { Construct } from 'constructs';
import { ApplicationGateway as AzureApplicationGateway } from '@cdktf/provider-azurerm/lib/application-gateway';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { WebApplicationFirewallPolicy } from '@cdktf/provider-azurerm/lib/web-application-firewall-policy';

export interface ApplicationGatewayProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly gatewayName: string;
  readonly publicIpName: string;
  /**
   * DNS label for the public IP, giving it the name `<label>.<location>.cloudapp.azure.com`: a
   * host name for TLS and the Entra redirect URI when no domain of your own is set.
   */
  readonly dnsLabel: string;
  readonly wafPolicyName: string;
  readonly subnetId: string;
  /** @default 'WAF_v2' */
  readonly sku?: 'Standard_v2' | 'WAF_v2';
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Availability zones for the gateway and its IP; empty where the region has none. */
  readonly zones: string[];
}

/**
 * Attributes AGIC writes at run time from Kubernetes Ingress objects. Were Terraform to manage
 * them, every `cdktf deploy` would reset the gateway to the placeholder and cut traffic until
 * AGIC's next reconcile. `tags` too: AGIC stamps its own ownership tag.
 */
export const AGIC_MANAGED_ATTRIBUTES = [
  'backend_address_pool',
  'backend_http_settings',
  'frontend_port',
  'http_listener',
  'probe',
  'redirect_configuration',
  'request_routing_rule',
  'rewrite_rule_set',
  'ssl_certificate',
  'trusted_root_certificate',
  'url_path_map',
  'tags',
] as const;

const PLACEHOLDER = 'placeholder-managed-by-agic';

export class ApplicationGateway extends Construct {
  readonly gateway: AzureApplicationGateway;
  readonly publicIp: PublicIp;
  readonly wafPolicy?: WebApplicationFirewallPolicy;

  constructor(scope: Construct, id: string, props: ApplicationGatewayProps) {
    super(scope, id);
    const sku = props.sku ?? 'WAF_v2';
    const common = { resourceGroupName: props.resourceGroupName, location: props.location };
    const zones = props.zones.length > 0 ? props.zones : undefined;

    this.publicIp = new PublicIp(this, 'public-ip', {
      ...common,
      name: props.publicIpName,
      allocationMethod: 'Static',
      sku: 'Standard',
      zones,
      domainNameLabel: props.dnsLabel,
    });

    if (sku === 'WAF_v2') {
      this.wafPolicy = new WebApplicationFirewallPolicy(this, 'waf-policy', {
        ...common,
        name: props.wafPolicyName,
        policySettings: {
          enabled: true,
          mode: 'Prevention',
          requestBodyCheck: true,
          // Opik ingests whole LLM traces; the default 128 KB body limit would reject them.
          maxRequestBodySizeInKb: 2000,
          fileUploadLimitInMb: 100,
        },
        managedRules: {
          managedRuleSet: [
            { type: 'OWASP', version: '3.2' },
            { type: 'Microsoft_BotManagerRuleSet', version: '1.0' },
          ],
        },
      });
    }

    this.gateway = new AzureApplicationGateway(this, 'Resource', {
      ...common,
      name: props.gatewayName,
      zones,
      enableHttp2: true,
      sku: { name: sku, tier: sku },
      autoscaleConfiguration: { minCapacity: props.minCapacity, maxCapacity: props.maxCapacity },
      firewallPolicyId: this.wafPolicy?.id,
      forceFirewallPolicyAssociation: this.wafPolicy ? true : undefined,
      sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' },
      gatewayIpConfiguration: [{ name: 'gateway-ip', subnetId: props.subnetId }],
      frontendIpConfiguration: [{ name: 'public', publicIpAddressId: this.publicIp.id }],
      // A gateway cannot exist without one listener, pool and rule; AGIC replaces these.
      frontendPort: [{ name: 'http', port: 80 }],
      backendAddressPool: [{ name: PLACEHOLDER }],
      backendHttpSettings: [{ name: PLACEHOLDER, cookieBasedAffinity: 'Disabled', port: 80, protocol: 'Http', requestTimeout: 60 }],
      httpListener: [{ name: PLACEHOLDER, frontendIpConfigurationName: 'public', frontendPortName: 'http', protocol: 'Http' }],
      requestRoutingRule: [
        {
          name: PLACEHOLDER,
          ruleType: 'Basic',
          priority: 19500,
          httpListenerName: PLACEHOLDER,
          backendAddressPoolName: PLACEHOLDER,
          backendHttpSettingsName: PLACEHOLDER,
        },
      ],
      lifecycle: { ignoreChanges: [...AGIC_MANAGED_ATTRIBUTES] },
    });
  }
}
