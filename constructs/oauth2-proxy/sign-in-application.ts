/**
 * The Entra ID app registration oauth2-proxy signs users in with, restricted to one group twice
 * over: Entra itself refuses tokens to anyone not assigned (the group is the only assignment and
 * assignment is required), and oauth2-proxy checks the group claim (`allowed_groups`).
 * `ApplicationGroup` claims carry only groups assigned to this app, so the token stays small and
 * never hits the 200-group overage that would drop the claim.
 */
import { Construct } from 'constructs';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';

/** Microsoft Graph and its delegated `User.Read` scope (sign-in and profile). */
const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const USER_READ_SCOPE_ID = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
/** The default app role: "assigned to the app" without a specific role. */
const DEFAULT_APP_ROLE_ID = '00000000-0000-0000-0000-000000000000';

export interface SignInApplicationProps {
  readonly displayName: string;
  /** `https://<domain>/oauth2/callback`, or the gateway IP's http URL without a domain. */
  readonly redirectUri: string;
  /** Object ID of the Entra group whose members may sign in. */
  readonly accessGroupObjectId: string;
  /** Object ID of whoever runs Terraform, made owner so later runs can manage the app. */
  readonly ownerObjectId: string;
  readonly keyVaultId: string;
  /** @default 'opik-signin-client-secret' */
  readonly vaultSecretName?: string;
  /**
   * Whether Terraform assigns the access group to the app. Creating an app role assignment takes
   * Microsoft Graph `AppRoleAssignment.ReadWrite.All`, with which an identity can grant itself any
   * Graph permission; so with `delivery` set the pipeline does not, and an administrator assigns
   * the group once (README). Until then nobody can sign in: assignment stays required.
   * @default true
   */
  readonly assignAccessGroup?: boolean;
}

export class SignInApplication extends Construct {
  readonly application: Application;
  readonly servicePrincipal: ServicePrincipal;
  readonly clientSecret: ApplicationPasswordA;

  constructor(scope: Construct, id: string, props: SignInApplicationProps) {
    super(scope, id);
    this.application = new Application(this, 'Resource', {
      displayName: props.displayName,
      signInAudience: 'AzureADMyOrg',
      owners: [props.ownerObjectId],
      preventDuplicateNames: true,
      groupMembershipClaims: ['ApplicationGroup'],
      web: {
        redirectUris: [props.redirectUri],
        // Authorization code flow only; no tokens in URL fragments.
        implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false },
      },
      requiredResourceAccess: [
        { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: [{ id: USER_READ_SCOPE_ID, type: 'Scope' }] },
      ],
    });

    this.servicePrincipal = new ServicePrincipal(this, 'service-principal', {
      clientId: this.application.clientId,
      appRoleAssignmentRequired: true,
      owners: [props.ownerObjectId],
    });

    if (props.assignAccessGroup ?? true) {
      new AppRoleAssignment(this, 'access-group', {
        appRoleId: DEFAULT_APP_ROLE_ID,
        principalObjectId: props.accessGroupObjectId,
        resourceObjectId: this.servicePrincipal.objectId,
      });
    }

    // Entra's default lifetime (two years); replace it with `-replace` on this resource to rotate.
    this.clientSecret = new ApplicationPasswordA(this, 'client-secret', {
      applicationId: this.application.id,
      displayName: 'oauth2-proxy (managed by Terraform)',
    });
    new KeyVaultSecret(this, 'vault-secret', {
      name: props.vaultSecretName ?? 'opik-signin-client-secret',
      keyVaultId: props.keyVaultId,
      value: this.clientSecret.value,
      contentType: 'text/plain; Entra ID client secret of the Opik sign-in app',
    });
  }
}
