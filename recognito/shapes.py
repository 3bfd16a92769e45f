# Generated: do not edit; `python scripts/gen_model.py` writes it from botocore's model.
"""The cognito-idp shapes Recognito speaks, as types.

One TypedDict per structure (members the model requires are `Required`), one alias per
list, map and enum (a `Literal` of its values), each named as in the model. Scalars are
plain: timestamps are epoch seconds (`float`), blobs `bytes`. Operations take their
`<Operation>Request` (validated: enums hold one of their values) and return their
`<Operation>Response`; the serializer emits only what the output shape names.

Last, the stored shapes, which the model does not name: `StoredUserPool` and
`StoredUserPoolClient`, the settings Recognito keeps of a pool and an app client.
"""

from __future__ import annotations

from typing import Any, Literal, Required, TypeAlias, TypedDict

AccountTakeoverEventActionType: TypeAlias = Literal[
    "BLOCK",
    "MFA_IF_CONFIGURED",
    "MFA_REQUIRED",
    "NO_ACTION",
]
AdvancedSecurityEnabledModeType: TypeAlias = Literal["AUDIT", "ENFORCED"]
AdvancedSecurityModeType: TypeAlias = Literal["OFF", "AUDIT", "ENFORCED"]
AliasAttributeType: TypeAlias = Literal["phone_number", "email", "preferred_username"]
AssetCategoryType: TypeAlias = Literal[
    "FAVICON_ICO",
    "FAVICON_SVG",
    "EMAIL_GRAPHIC",
    "SMS_GRAPHIC",
    "AUTH_APP_GRAPHIC",
    "PASSWORD_GRAPHIC",
    "PASSKEY_GRAPHIC",
    "PAGE_HEADER_LOGO",
    "PAGE_HEADER_BACKGROUND",
    "PAGE_FOOTER_LOGO",
    "PAGE_FOOTER_BACKGROUND",
    "PAGE_BACKGROUND",
    "FORM_BACKGROUND",
    "FORM_LOGO",
    "IDP_BUTTON_ICON",
]
AssetExtensionType: TypeAlias = Literal["ICO", "JPEG", "PNG", "SVG", "WEBP"]
AttributeDataType: TypeAlias = Literal["String", "Number", "DateTime", "Boolean"]
AuthFactorType: TypeAlias = Literal[
    "PASSWORD",
    "EMAIL_OTP",
    "SMS_OTP",
    "WEB_AUTHN",
    "SOFTWARE_TOKEN",
]
AuthFlowType: TypeAlias = Literal[
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
]
CIMDCacheActionType: TypeAlias = Literal["REFRESH", "INVALIDATE"]
ChallengeName: TypeAlias = Literal["Password", "Mfa"]
ChallengeNameType: TypeAlias = Literal[
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
]
ChallengeResponse: TypeAlias = Literal["Success", "Failure"]
ClientTypeType: TypeAlias = Literal["REGULAR", "DCR"]
ColorSchemeModeType: TypeAlias = Literal["LIGHT", "DARK", "DYNAMIC"]
CompromisedCredentialsEventActionType: TypeAlias = Literal["BLOCK", "NO_ACTION"]
CustomEmailSenderLambdaVersionType: TypeAlias = Literal["V1_0"]
CustomSMSSenderLambdaVersionType: TypeAlias = Literal["V1_0"]
DefaultEmailOptionType: TypeAlias = Literal["CONFIRM_WITH_LINK", "CONFIRM_WITH_CODE"]
DeletionProtectionType: TypeAlias = Literal["ACTIVE", "INACTIVE"]
DeliveryMediumType: TypeAlias = Literal["SMS", "EMAIL"]
DeviceRememberedStatusType: TypeAlias = Literal["remembered", "not_remembered"]
DomainStatusType: TypeAlias = Literal["CREATING", "DELETING", "UPDATING", "ACTIVE", "FAILED"]
EmailSendingAccountType: TypeAlias = Literal["COGNITO_DEFAULT", "DEVELOPER"]
EncryptionKeyType: TypeAlias = Literal["AWS_OWNED_KEY", "CUSTOMER_MANAGED_KEY"]
EventFilterType: TypeAlias = Literal["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"]
EventResponseType: TypeAlias = Literal["Pass", "Fail", "InProgress"]
EventSourceName: TypeAlias = Literal["userNotification", "userAuthEvents"]
EventType: TypeAlias = Literal["SignIn", "SignUp", "ForgotPassword", "PasswordChange", "ResendCode"]
ExplicitAuthFlowsType: TypeAlias = Literal[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
    "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
]
FeatureType: TypeAlias = Literal["ENABLED", "DISABLED"]
FeedbackValueType: TypeAlias = Literal["Valid", "Invalid"]
IdentityProviderTypeType: TypeAlias = Literal[
    "SAML",
    "Facebook",
    "Google",
    "LoginWithAmazon",
    "SignInWithApple",
    "OIDC",
]
InboundFederationLambdaVersionType: TypeAlias = Literal["V1_0"]
IssuedTokenTypeIdentifierType: TypeAlias = Literal["ACCESS_TOKEN", "ID_TOKEN"]
IssuerType: TypeAlias = Literal["ORIGINAL", "UPDATED"]
LogLevel: TypeAlias = Literal["ERROR", "INFO"]
MessageActionType: TypeAlias = Literal["RESEND", "SUPPRESS"]
OAuthFlowType: TypeAlias = Literal["code", "implicit", "client_credentials"]
OAuthTokenTypeType: TypeAlias = Literal["Bearer", "N_A"]
PasswordHashingAlgorithmType: TypeAlias = Literal["BCRYPT", "SCRYPT", "ARGON2ID", "PBKDF2_SHA256"]
PreTokenGenerationLambdaVersionType: TypeAlias = Literal["V1_0", "V2_0", "V3_0"]
PreventUserExistenceErrorTypes: TypeAlias = Literal["LEGACY", "ENABLED"]
RecoveryOptionNameType: TypeAlias = Literal["verified_email", "verified_phone_number", "admin_only"]
ResourceServerManagedByType: TypeAlias = Literal["COGNITO"]
RevokeAssociatedSessionsType: TypeAlias = Literal["NONE", "LINKED"]
RiskDecisionType: TypeAlias = Literal["NoRisk", "AccountTakeover", "Block"]
RiskLevelType: TypeAlias = Literal["Low", "Medium", "High"]
SecurityPolicyType: TypeAlias = Literal["TLS_V1", "TLS_V1_2_2021", "TLS_V1_3_2025"]
SessionTypeType: TypeAlias = Literal["TOKEN", "SSO"]
StatusType: TypeAlias = Literal["Enabled", "Disabled"]
TermsEnforcementType: TypeAlias = Literal["NONE"]
TermsSourceType: TypeAlias = Literal["LINK"]
TimeUnitsType: TypeAlias = Literal["seconds", "minutes", "hours", "days"]
TokenTypeIdentifierType: TypeAlias = Literal["ACCESS_TOKEN", "ID_TOKEN", "SAML2"]
UserImportJobStatusType: TypeAlias = Literal[
    "Created",
    "Pending",
    "InProgress",
    "Stopping",
    "Expired",
    "Stopped",
    "Failed",
    "Succeeded",
]
UserPoolMfaType: TypeAlias = Literal["OFF", "ON", "OPTIONAL"]
UserPoolTierType: TypeAlias = Literal["LITE", "ESSENTIALS", "PLUS"]
UserSessionTrackingType: TypeAlias = Literal["ENABLED", "DISABLED"]
UserStatusType: TypeAlias = Literal[
    "UNCONFIRMED",
    "CONFIRMED",
    "ARCHIVED",
    "COMPROMISED",
    "UNKNOWN",
    "RESET_REQUIRED",
    "FORCE_CHANGE_PASSWORD",
    "EXTERNAL_PROVIDER",
]
UserVerificationType: TypeAlias = Literal["required", "preferred"]
UsernameAttributeType: TypeAlias = Literal["phone_number", "email"]
VerifiedAttributeType: TypeAlias = Literal["phone_number", "email"]
VerifySoftwareTokenResponseType: TypeAlias = Literal["SUCCESS", "ERROR"]
WebAuthnFactorConfigurationType: TypeAlias = Literal[
    "SINGLE_FACTOR",
    "MULTI_FACTOR_WITH_USER_VERIFICATION",
]


class AccountRecoverySettingType(TypedDict, total=False):
    RecoveryMechanisms: RecoveryMechanismsType


class AccountTakeoverActionType(TypedDict, total=False):
    Notify: Required[bool]
    EventAction: Required[AccountTakeoverEventActionType]


class AccountTakeoverActionsType(TypedDict, total=False):
    LowAction: AccountTakeoverActionType
    MediumAction: AccountTakeoverActionType
    HighAction: AccountTakeoverActionType


class AccountTakeoverRiskConfigurationType(TypedDict, total=False):
    NotifyConfiguration: NotifyConfigurationType
    Actions: Required[AccountTakeoverActionsType]


class AcrLevelConfigType(TypedDict, total=False):
    AcrValue: Required[str]


class AddCustomAttributesRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    CustomAttributes: Required[CustomAttributesListType]


class AddCustomAttributesResponse(TypedDict, total=False):
    pass


class AddUserPoolClientSecretRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    ClientSecret: str


class AddUserPoolClientSecretResponse(TypedDict, total=False):
    ClientSecretDescriptor: ClientSecretDescriptorType


class AdminAddUserToGroupRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    GroupName: Required[str]


class AdminConfirmSignUpRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    ClientMetadata: ClientMetadataType


class AdminConfirmSignUpResponse(TypedDict, total=False):
    pass


class AdminCreateUserConfigType(TypedDict, total=False):
    AllowAdminCreateUserOnly: bool
    UnusedAccountValidityDays: int
    InviteMessageTemplate: MessageTemplateType


class AdminCreateUserRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    UserAttributes: AttributeListType
    ValidationData: AttributeListType
    TemporaryPassword: str
    ForceAliasCreation: bool
    MessageAction: MessageActionType
    DesiredDeliveryMediums: DeliveryMediumListType
    ClientMetadata: ClientMetadataType


class AdminCreateUserResponse(TypedDict, total=False):
    User: UserType


class AdminDeleteSoftwareTokenRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]


class AdminDeleteSoftwareTokenResponse(TypedDict, total=False):
    pass


class AdminDeleteUserAttributesRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    UserAttributeNames: Required[AttributeNameListType]


class AdminDeleteUserAttributesResponse(TypedDict, total=False):
    pass


class AdminDeleteUserRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]


class AdminDisableProviderForUserRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    User: Required[ProviderUserIdentifierType]


class AdminDisableProviderForUserResponse(TypedDict, total=False):
    pass


class AdminDisableUserRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]


class AdminDisableUserResponse(TypedDict, total=False):
    pass


class AdminEnableUserRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]


class AdminEnableUserResponse(TypedDict, total=False):
    pass


class AdminForgetDeviceRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    DeviceKey: Required[str]


class AdminGetDeviceRequest(TypedDict, total=False):
    DeviceKey: Required[str]
    UserPoolId: Required[str]
    Username: Required[str]


class AdminGetDeviceResponse(TypedDict, total=False):
    Device: Required[DeviceType]


class AdminGetUserAuthFactorsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]


class AdminGetUserAuthFactorsResponse(TypedDict, total=False):
    Username: Required[str]
    PreferredMfaSetting: str
    UserMFASettingList: UserMFASettingListType
    ConfiguredUserAuthFactors: ConfiguredUserAuthFactorsListType


class AdminGetUserRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]


class AdminGetUserResponse(TypedDict, total=False):
    Username: Required[str]
    UserAttributes: AttributeListType
    UserCreateDate: float
    UserLastModifiedDate: float
    Enabled: bool
    UserStatus: UserStatusType
    MFAOptions: MFAOptionListType
    PreferredMfaSetting: str
    UserMFASettingList: UserMFASettingListType


class AdminInitiateAuthRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    AuthFlow: Required[AuthFlowType]
    AuthParameters: AuthParametersType
    ClientMetadata: ClientMetadataType
    AnalyticsMetadata: AnalyticsMetadataType
    ContextData: ContextDataType
    Session: str


class AdminInitiateAuthResponse(TypedDict, total=False):
    ChallengeName: ChallengeNameType
    Session: str
    ChallengeParameters: ChallengeParametersType
    AuthenticationResult: AuthenticationResultType
    AvailableChallenges: AvailableChallengeListType


class AdminLinkProviderForUserRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    DestinationUser: Required[ProviderUserIdentifierType]
    SourceUser: Required[ProviderUserIdentifierType]


class AdminLinkProviderForUserResponse(TypedDict, total=False):
    pass


class AdminListDevicesRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    Limit: int
    PaginationToken: str


class AdminListDevicesResponse(TypedDict, total=False):
    Devices: DeviceListType
    PaginationToken: str


class AdminListGroupsForUserRequest(TypedDict, total=False):
    Username: Required[str]
    UserPoolId: Required[str]
    Limit: int
    NextToken: str


class AdminListGroupsForUserResponse(TypedDict, total=False):
    Groups: GroupListType
    NextToken: str


class AdminListUserAuthEventsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    MaxResults: int
    NextToken: str


class AdminListUserAuthEventsResponse(TypedDict, total=False):
    AuthEvents: AuthEventsType
    NextToken: str


class AdminListUserSessionsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    NextToken: str


class AdminListUserSessionsResponse(TypedDict, total=False):
    Sessions: SessionsListType
    NextToken: str


class AdminRemoveUserFromGroupRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    GroupName: Required[str]


class AdminResetUserPasswordRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    ClientMetadata: ClientMetadataType


class AdminResetUserPasswordResponse(TypedDict, total=False):
    pass


class AdminRespondToAuthChallengeRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    ChallengeName: Required[ChallengeNameType]
    ChallengeResponses: ChallengeResponsesType
    Session: str
    AnalyticsMetadata: AnalyticsMetadataType
    ContextData: ContextDataType
    ClientMetadata: ClientMetadataType


class AdminRespondToAuthChallengeResponse(TypedDict, total=False):
    ChallengeName: ChallengeNameType
    Session: str
    ChallengeParameters: ChallengeParametersType
    AuthenticationResult: AuthenticationResultType
    AvailableChallenges: AvailableChallengeListType


class AdminRevokeUserSessionRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    SessionId: Required[str]
    RevokeAssociatedSessions: RevokeAssociatedSessionsType


class AdminRevokeUserSessionResponse(TypedDict, total=False):
    pass


class AdminSetUserMFAPreferenceRequest(TypedDict, total=False):
    SMSMfaSettings: SMSMfaSettingsType
    SoftwareTokenMfaSettings: SoftwareTokenMfaSettingsType
    EmailMfaSettings: EmailMfaSettingsType
    WebAuthnMfaSettings: WebAuthnMfaSettingsType
    Username: Required[str]
    UserPoolId: Required[str]


class AdminSetUserMFAPreferenceResponse(TypedDict, total=False):
    pass


class AdminSetUserPasswordRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    Password: Required[str]
    Permanent: bool


class AdminSetUserPasswordResponse(TypedDict, total=False):
    pass


class AdminSetUserSettingsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    MFAOptions: Required[MFAOptionListType]


class AdminSetUserSettingsResponse(TypedDict, total=False):
    pass


class AdminUpdateAuthEventFeedbackRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    EventId: Required[str]
    FeedbackValue: Required[FeedbackValueType]


class AdminUpdateAuthEventFeedbackResponse(TypedDict, total=False):
    pass


class AdminUpdateDeviceStatusRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    DeviceKey: Required[str]
    DeviceRememberedStatus: DeviceRememberedStatusType


class AdminUpdateDeviceStatusResponse(TypedDict, total=False):
    pass


class AdminUpdateUserAttributesRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    UserAttributes: Required[AttributeListType]
    ClientMetadata: ClientMetadataType


class AdminUpdateUserAttributesResponse(TypedDict, total=False):
    pass


class AdminUserGlobalSignOutRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]


class AdminUserGlobalSignOutResponse(TypedDict, total=False):
    pass


class AdvancedSecurityAdditionalFlowsType(TypedDict, total=False):
    CustomAuthMode: AdvancedSecurityEnabledModeType


class AnalyticsConfigurationType(TypedDict, total=False):
    ApplicationId: str
    ApplicationArn: str
    RoleArn: str
    ExternalId: str
    UserDataShared: bool


class AnalyticsMetadataType(TypedDict, total=False):
    AnalyticsEndpointId: str


class AssetType(TypedDict, total=False):
    Category: Required[AssetCategoryType]
    ColorMode: Required[ColorSchemeModeType]
    Extension: Required[AssetExtensionType]
    Bytes: bytes
    ResourceId: str


class AssociateSoftwareTokenRequest(TypedDict, total=False):
    AccessToken: str
    Session: str


class AssociateSoftwareTokenResponse(TypedDict, total=False):
    SecretCode: str
    Session: str


class AttributeType(TypedDict, total=False):
    Name: Required[str]
    Value: str


class AuthEventType(TypedDict, total=False):
    EventId: str
    EventType: EventType
    CreationDate: float
    EventResponse: EventResponseType
    EventRisk: EventRiskType
    ChallengeResponses: ChallengeResponseListType
    EventContextData: EventContextDataType
    EventFeedback: EventFeedbackType


class AuthenticationResultType(TypedDict, total=False):
    AccessToken: str
    ExpiresIn: int
    TokenType: str
    RefreshToken: str
    IdToken: str
    NewDeviceMetadata: NewDeviceMetadataType


class CIMDPolicySummaryType(TypedDict, total=False):
    CIMDPolicyId: Required[str]
    ClientId: str
    PolicyName: Required[str]
    CacheDuration: int
    CreationDate: float
    LastModifiedDate: float


class CIMDPolicyType(TypedDict, total=False):
    UserPoolId: Required[str]
    CIMDPolicyId: Required[str]
    ClientId: str
    PolicyName: Required[str]
    CacheDuration: int
    URLPatterns: URLPatternListType
    CreationDate: float
    LastModifiedDate: float


class ChallengeResponseType(TypedDict, total=False):
    ChallengeName: ChallengeName
    ChallengeResponse: ChallengeResponse


class ChangePasswordRequest(TypedDict, total=False):
    PreviousPassword: str
    ProposedPassword: Required[str]
    AccessToken: Required[str]


class ChangePasswordResponse(TypedDict, total=False):
    pass


class ClientMetadataURLType(TypedDict, total=False):
    URL: Required[str]
    CachedDate: float
    ExpirationDate: float


class ClientSSOSessionConfigType(TypedDict, total=False):
    MaxValidityMinutes: Required[int]


class ClientSecretDescriptorType(TypedDict, total=False):
    ClientSecretId: str
    ClientSecretValue: str
    ClientSecretCreateDate: float


class CloudWatchLogsConfigurationType(TypedDict, total=False):
    LogGroupArn: str


class CodeDeliveryDetailsType(TypedDict, total=False):
    Destination: str
    DeliveryMedium: DeliveryMediumType
    AttributeName: str


class CompleteWebAuthnRegistrationRequest(TypedDict, total=False):
    AccessToken: Required[str]
    Credential: Required[Any]


class CompleteWebAuthnRegistrationResponse(TypedDict, total=False):
    pass


class CompromisedCredentialsActionsType(TypedDict, total=False):
    EventAction: Required[CompromisedCredentialsEventActionType]


class CompromisedCredentialsRiskConfigurationType(TypedDict, total=False):
    EventFilter: EventFiltersType
    Actions: Required[CompromisedCredentialsActionsType]


class ConfirmDeviceRequest(TypedDict, total=False):
    AccessToken: Required[str]
    DeviceKey: Required[str]
    DeviceSecretVerifierConfig: DeviceSecretVerifierConfigType
    DeviceName: str


class ConfirmDeviceResponse(TypedDict, total=False):
    UserConfirmationNecessary: bool


class ConfirmForgotPasswordRequest(TypedDict, total=False):
    ClientId: Required[str]
    SecretHash: str
    Username: Required[str]
    ConfirmationCode: Required[str]
    Password: Required[str]
    AnalyticsMetadata: AnalyticsMetadataType
    UserContextData: UserContextDataType
    ClientMetadata: ClientMetadataType


class ConfirmForgotPasswordResponse(TypedDict, total=False):
    pass


class ConfirmSignUpRequest(TypedDict, total=False):
    ClientId: Required[str]
    SecretHash: str
    Username: Required[str]
    ConfirmationCode: Required[str]
    ForceAliasCreation: bool
    AnalyticsMetadata: AnalyticsMetadataType
    UserContextData: UserContextDataType
    ClientMetadata: ClientMetadataType
    Session: str


class ConfirmSignUpResponse(TypedDict, total=False):
    Session: str


class ContextDataType(TypedDict, total=False):
    IpAddress: Required[str]
    ServerName: Required[str]
    ServerPath: Required[str]
    HttpHeaders: Required[HttpHeaderList]
    EncodedData: str


class CreateCIMDPolicyRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    PolicyName: Required[str]
    CacheDuration: int
    URLPatterns: Required[URLPatternListType]


class CreateCIMDPolicyResponse(TypedDict, total=False):
    CIMDPolicy: Required[CIMDPolicyType]


class CreateGroupRequest(TypedDict, total=False):
    GroupName: Required[str]
    UserPoolId: Required[str]
    Description: str
    RoleArn: str
    Precedence: int


class CreateGroupResponse(TypedDict, total=False):
    Group: GroupType


class CreateIdentityProviderRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ProviderName: Required[str]
    ProviderType: Required[IdentityProviderTypeType]
    ProviderDetails: Required[ProviderDetailsType]
    AttributeMapping: AttributeMappingType
    IdpIdentifiers: IdpIdentifiersListType
    AcrMapping: AcrMappingType


class CreateIdentityProviderResponse(TypedDict, total=False):
    IdentityProvider: Required[IdentityProviderType]


class CreateManagedLoginBrandingRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    UseCognitoProvidedValues: bool
    Settings: Any
    Assets: AssetListType


class CreateManagedLoginBrandingResponse(TypedDict, total=False):
    ManagedLoginBranding: ManagedLoginBrandingType


class CreateResourceServerRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Identifier: Required[str]
    Name: Required[str]
    Scopes: ResourceServerScopeListType


class CreateResourceServerResponse(TypedDict, total=False):
    ResourceServer: Required[ResourceServerType]


class CreateTermsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    TermsName: Required[str]
    TermsSource: Required[TermsSourceType]
    Enforcement: Required[TermsEnforcementType]
    Links: LinksType


class CreateTermsResponse(TypedDict, total=False):
    Terms: TermsType


class CreateUserImportJobRequest(TypedDict, total=False):
    JobName: Required[str]
    UserPoolId: Required[str]
    CloudWatchLogsRoleArn: Required[str]
    PasswordHashingAlgorithm: PasswordHashingAlgorithmType


class CreateUserImportJobResponse(TypedDict, total=False):
    UserImportJob: UserImportJobType


class CreateUserPoolClientRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientName: Required[str]
    GenerateSecret: bool
    ClientSecret: str
    RefreshTokenValidity: int
    AccessTokenValidity: int
    IdTokenValidity: int
    TokenValidityUnits: TokenValidityUnitsType
    ReadAttributes: ClientPermissionListType
    WriteAttributes: ClientPermissionListType
    ExplicitAuthFlows: ExplicitAuthFlowsListType
    SupportedIdentityProviders: SupportedIdentityProvidersListType
    CallbackURLs: CallbackURLsListType
    LogoutURLs: LogoutURLsListType
    DefaultRedirectURI: str
    AllowedOAuthFlows: OAuthFlowsType
    AllowedOAuthScopes: ScopeListType
    AllowedOAuthFlowsUserPoolClient: bool
    AnalyticsConfiguration: AnalyticsConfigurationType
    PreventUserExistenceErrors: PreventUserExistenceErrorTypes
    EnableTokenRevocation: bool
    EnablePropagateAdditionalUserContextData: bool
    AuthSessionValidity: int
    RefreshTokenRotation: RefreshTokenRotationType
    PublishSecretsInAWSSecretsManager: bool


class CreateUserPoolClientResponse(TypedDict, total=False):
    UserPoolClient: UserPoolClientType


class CreateUserPoolDomainRequest(TypedDict, total=False):
    Domain: Required[str]
    UserPoolId: Required[str]
    ManagedLoginVersion: int
    CustomDomainConfig: CustomDomainConfigType
    Routing: RoutingType


class CreateUserPoolDomainResponse(TypedDict, total=False):
    ManagedLoginVersion: int
    CloudFrontDomain: str
    Routing: RoutingType


class CreateUserPoolRequest(TypedDict, total=False):
    PoolName: Required[str]
    Policies: UserPoolPolicyType
    DeletionProtection: DeletionProtectionType
    LambdaConfig: LambdaConfigType
    AutoVerifiedAttributes: VerifiedAttributesListType
    AliasAttributes: AliasAttributesListType
    UsernameAttributes: UsernameAttributesListType
    SmsVerificationMessage: str
    EmailVerificationMessage: str
    EmailVerificationSubject: str
    VerificationMessageTemplate: VerificationMessageTemplateType
    SmsAuthenticationMessage: str
    MfaConfiguration: UserPoolMfaType
    UserAttributeUpdateSettings: UserAttributeUpdateSettingsType
    DeviceConfiguration: DeviceConfigurationType
    EmailConfiguration: EmailConfigurationType
    SmsConfiguration: SmsConfigurationType
    UserPoolTags: UserPoolTagsType
    AdminCreateUserConfig: AdminCreateUserConfigType
    Schema: SchemaAttributesListType
    UserPoolAddOns: UserPoolAddOnsType
    DcrConfiguration: DcrConfigurationType
    UsernameConfiguration: UsernameConfigurationType
    AccountRecoverySetting: AccountRecoverySettingType
    UserPoolTier: UserPoolTierType
    KeyConfiguration: KeyConfigurationType
    IssuerConfiguration: IssuerConfigurationType
    AcrConfiguration: AcrConfigurationType


class CreateUserPoolResponse(TypedDict, total=False):
    UserPool: UserPoolType


class CustomDomainConfigType(TypedDict, total=False):
    CertificateArn: Required[str]
    SecurityPolicy: SecurityPolicyType


class CustomEmailLambdaVersionConfigType(TypedDict, total=False):
    LambdaVersion: Required[CustomEmailSenderLambdaVersionType]
    LambdaArn: Required[str]


class CustomSMSLambdaVersionConfigType(TypedDict, total=False):
    LambdaVersion: Required[CustomSMSSenderLambdaVersionType]
    LambdaArn: Required[str]


class DcrConfigurationType(TypedDict, total=False):
    EnableStatus: StatusType
    OpenDcrEnabled: bool
    AuthenticatedGrantTypes: OAuthFlowsType
    OpenDcrGrantTypes: OAuthFlowsType
    AllowedScopes: ScopeListType


class DeleteCIMDPolicyRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    CIMDPolicyId: Required[str]


class DeleteCIMDPolicyResponse(TypedDict, total=False):
    pass


class DeleteGroupRequest(TypedDict, total=False):
    GroupName: Required[str]
    UserPoolId: Required[str]


class DeleteIdentityProviderRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ProviderName: Required[str]


class DeleteManagedLoginBrandingRequest(TypedDict, total=False):
    ManagedLoginBrandingId: Required[str]
    UserPoolId: Required[str]


class DeleteResourceServerRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Identifier: Required[str]


class DeleteTermsRequest(TypedDict, total=False):
    TermsId: Required[str]
    UserPoolId: Required[str]


class DeleteUserAttributesRequest(TypedDict, total=False):
    UserAttributeNames: Required[AttributeNameListType]
    AccessToken: Required[str]


class DeleteUserAttributesResponse(TypedDict, total=False):
    pass


class DeleteUserPoolClientRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]


class DeleteUserPoolClientSecretRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    ClientSecretId: Required[str]


class DeleteUserPoolClientSecretResponse(TypedDict, total=False):
    pass


class DeleteUserPoolDomainRequest(TypedDict, total=False):
    Domain: Required[str]
    UserPoolId: Required[str]


class DeleteUserPoolDomainResponse(TypedDict, total=False):
    pass


class DeleteUserPoolRequest(TypedDict, total=False):
    UserPoolId: Required[str]


class DeleteUserRequest(TypedDict, total=False):
    AccessToken: Required[str]


class DeleteWebAuthnCredentialRequest(TypedDict, total=False):
    AccessToken: Required[str]
    CredentialId: Required[str]


class DeleteWebAuthnCredentialResponse(TypedDict, total=False):
    pass


class DescribeCIMDPolicyRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    CIMDPolicyId: Required[str]


class DescribeCIMDPolicyResponse(TypedDict, total=False):
    CIMDPolicy: Required[CIMDPolicyType]


class DescribeIdentityProviderRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ProviderName: Required[str]


class DescribeIdentityProviderResponse(TypedDict, total=False):
    IdentityProvider: Required[IdentityProviderType]


class DescribeManagedLoginBrandingByClientRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    ReturnMergedResources: bool


class DescribeManagedLoginBrandingByClientResponse(TypedDict, total=False):
    ManagedLoginBranding: ManagedLoginBrandingType


class DescribeManagedLoginBrandingRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ManagedLoginBrandingId: Required[str]
    ReturnMergedResources: bool


class DescribeManagedLoginBrandingResponse(TypedDict, total=False):
    ManagedLoginBranding: ManagedLoginBrandingType


class DescribeResourceServerRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Identifier: Required[str]


class DescribeResourceServerResponse(TypedDict, total=False):
    ResourceServer: Required[ResourceServerType]


class DescribeRiskConfigurationRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: str


class DescribeRiskConfigurationResponse(TypedDict, total=False):
    RiskConfiguration: Required[RiskConfigurationType]


class DescribeTermsByClientRequest(TypedDict, total=False):
    ClientId: Required[str]
    UserPoolId: Required[str]
    TermsName: Required[str]


class DescribeTermsByClientResponse(TypedDict, total=False):
    Terms: TermsType


class DescribeTermsRequest(TypedDict, total=False):
    TermsId: Required[str]
    UserPoolId: Required[str]


class DescribeTermsResponse(TypedDict, total=False):
    Terms: TermsType


class DescribeUserImportJobRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    JobId: Required[str]


class DescribeUserImportJobResponse(TypedDict, total=False):
    UserImportJob: UserImportJobType


class DescribeUserPoolClientRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]


class DescribeUserPoolClientResponse(TypedDict, total=False):
    UserPoolClient: UserPoolClientType


class DescribeUserPoolDomainRequest(TypedDict, total=False):
    Domain: Required[str]


class DescribeUserPoolDomainResponse(TypedDict, total=False):
    DomainDescription: DomainDescriptionType


class DescribeUserPoolRequest(TypedDict, total=False):
    UserPoolId: Required[str]


class DescribeUserPoolResponse(TypedDict, total=False):
    UserPool: UserPoolType


class DeviceConfigurationType(TypedDict, total=False):
    ChallengeRequiredOnNewDevice: bool
    DeviceOnlyRememberedOnUserPrompt: bool


class DeviceSecretVerifierConfigType(TypedDict, total=False):
    PasswordVerifier: str
    Salt: str


class DeviceType(TypedDict, total=False):
    DeviceKey: str
    DeviceAttributes: AttributeListType
    DeviceCreateDate: float
    DeviceLastModifiedDate: float
    DeviceLastAuthenticatedDate: float


class DomainDescriptionType(TypedDict, total=False):
    UserPoolId: str
    AWSAccountId: str
    Domain: str
    S3Bucket: str
    CloudFrontDistribution: str
    Version: str
    Status: DomainStatusType
    CustomDomainConfig: CustomDomainConfigType
    ManagedLoginVersion: int
    Routing: RoutingType


class EmailConfigurationType(TypedDict, total=False):
    SourceArn: str
    ReplyToEmailAddress: str
    EmailSendingAccount: EmailSendingAccountType
    From: str
    ConfigurationSet: str


class EmailMfaConfigType(TypedDict, total=False):
    Message: str
    Subject: str


class EmailMfaSettingsType(TypedDict, total=False):
    Enabled: bool
    PreferredMfa: bool


class EumsSmsConfigurationType(TypedDict, total=False):
    CallerArn: Required[str]
    ExternalId: str
    OriginationIdentity: str
    ConfigurationSetName: str
    InEntityId: str
    InTemplateId: str
    Region: str


class EventContextDataType(TypedDict, total=False):
    IpAddress: str
    DeviceName: str
    Timezone: str
    City: str
    Country: str


class EventFeedbackType(TypedDict, total=False):
    FeedbackValue: Required[FeedbackValueType]
    Provider: Required[str]
    FeedbackDate: float


class EventRiskType(TypedDict, total=False):
    RiskDecision: RiskDecisionType
    RiskLevel: RiskLevelType
    CompromisedCredentialsDetected: bool


class FailoverType(TypedDict, total=False):
    SecondaryRegion: Required[str]
    PrimaryRoute53HealthCheckId: Required[str]


class FirehoseConfigurationType(TypedDict, total=False):
    StreamArn: str


class ForgetDeviceRequest(TypedDict, total=False):
    AccessToken: str
    DeviceKey: Required[str]


class ForgotPasswordRequest(TypedDict, total=False):
    ClientId: Required[str]
    SecretHash: str
    UserContextData: UserContextDataType
    Username: Required[str]
    AnalyticsMetadata: AnalyticsMetadataType
    ClientMetadata: ClientMetadataType


class ForgotPasswordResponse(TypedDict, total=False):
    CodeDeliveryDetails: CodeDeliveryDetailsType


class GetCSVHeaderRequest(TypedDict, total=False):
    UserPoolId: Required[str]


class GetCSVHeaderResponse(TypedDict, total=False):
    UserPoolId: str
    CSVHeader: ListOfStringTypes


class GetDerivedTokenRequest(TypedDict, total=False):
    ClientId: Required[str]
    ClientSecret: str
    SubjectToken: Required[str]
    SubjectTokenType: Required[TokenTypeIdentifierType]
    SubjectTokenProviderName: str
    ActorToken: str
    ActorTokenType: TokenTypeIdentifierType
    ActorTokenProviderName: str
    Scopes: ScopeListType
    Audiences: AudienceListType
    Resources: ResourceListType
    RequestedTokenType: IssuedTokenTypeIdentifierType


class GetDerivedTokenResponse(TypedDict, total=False):
    IssuedToken: Required[str]
    IssuedTokenType: Required[IssuedTokenTypeIdentifierType]
    TokenType: Required[OAuthTokenTypeType]
    ExpiresIn: int
    Scopes: ScopeListType


class GetDeviceRequest(TypedDict, total=False):
    DeviceKey: Required[str]
    AccessToken: str


class GetDeviceResponse(TypedDict, total=False):
    Device: Required[DeviceType]


class GetGroupRequest(TypedDict, total=False):
    GroupName: Required[str]
    UserPoolId: Required[str]


class GetGroupResponse(TypedDict, total=False):
    Group: GroupType


class GetIdentityProviderByIdentifierRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    IdpIdentifier: Required[str]


class GetIdentityProviderByIdentifierResponse(TypedDict, total=False):
    IdentityProvider: Required[IdentityProviderType]


class GetLogDeliveryConfigurationRequest(TypedDict, total=False):
    UserPoolId: Required[str]


class GetLogDeliveryConfigurationResponse(TypedDict, total=False):
    LogDeliveryConfiguration: LogDeliveryConfigurationType


class GetSigningCertificateRequest(TypedDict, total=False):
    UserPoolId: Required[str]


class GetSigningCertificateResponse(TypedDict, total=False):
    Certificate: str


class GetTokensFromRefreshTokenRequest(TypedDict, total=False):
    RefreshToken: Required[str]
    ClientId: Required[str]
    ClientSecret: str
    DeviceKey: str
    ClientMetadata: ClientMetadataType


class GetTokensFromRefreshTokenResponse(TypedDict, total=False):
    AuthenticationResult: AuthenticationResultType


class GetUICustomizationRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: str


class GetUICustomizationResponse(TypedDict, total=False):
    UICustomization: Required[UICustomizationType]


class GetUserAttributeVerificationCodeRequest(TypedDict, total=False):
    AccessToken: Required[str]
    AttributeName: Required[str]
    ClientMetadata: ClientMetadataType


class GetUserAttributeVerificationCodeResponse(TypedDict, total=False):
    CodeDeliveryDetails: CodeDeliveryDetailsType


class GetUserAuthFactorsRequest(TypedDict, total=False):
    AccessToken: Required[str]


class GetUserAuthFactorsResponse(TypedDict, total=False):
    Username: Required[str]
    PreferredMfaSetting: str
    UserMFASettingList: UserMFASettingListType
    ConfiguredUserAuthFactors: ConfiguredUserAuthFactorsListType


class GetUserPoolClientSessionConfigurationRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]


class GetUserPoolClientSessionConfigurationResponse(TypedDict, total=False):
    UserPoolId: str
    ClientId: str
    SSOSession: ClientSSOSessionConfigType


class GetUserPoolMfaConfigRequest(TypedDict, total=False):
    UserPoolId: Required[str]


class GetUserPoolMfaConfigResponse(TypedDict, total=False):
    SmsMfaConfiguration: SmsMfaConfigType
    SoftwareTokenMfaConfiguration: SoftwareTokenMfaConfigType
    EmailMfaConfiguration: EmailMfaConfigType
    MfaConfiguration: UserPoolMfaType
    WebAuthnConfiguration: WebAuthnConfigurationType


class GetUserPoolSessionConfigurationRequest(TypedDict, total=False):
    UserPoolId: Required[str]


class GetUserPoolSessionConfigurationResponse(TypedDict, total=False):
    UserPoolId: str
    UserSessionTracking: UserSessionTrackingType
    TokenSession: UserPoolTokenSessionConfigType


class GetUserRequest(TypedDict, total=False):
    AccessToken: Required[str]


class GetUserResponse(TypedDict, total=False):
    Username: Required[str]
    UserAttributes: Required[AttributeListType]
    MFAOptions: MFAOptionListType
    PreferredMfaSetting: str
    UserMFASettingList: UserMFASettingListType


class GlobalSignOutRequest(TypedDict, total=False):
    AccessToken: Required[str]


class GlobalSignOutResponse(TypedDict, total=False):
    pass


class GroupType(TypedDict, total=False):
    GroupName: str
    UserPoolId: str
    Description: str
    RoleArn: str
    Precedence: int
    LastModifiedDate: float
    CreationDate: float


class HttpHeader(TypedDict, total=False):
    headerName: str
    headerValue: str


class IdentityProviderType(TypedDict, total=False):
    UserPoolId: str
    ProviderName: str
    ProviderType: IdentityProviderTypeType
    ProviderDetails: ProviderDetailsType
    AttributeMapping: AttributeMappingType
    IdpIdentifiers: IdpIdentifiersListType
    AcrMapping: AcrMappingType
    LastModifiedDate: float
    CreationDate: float


class InboundFederationLambdaType(TypedDict, total=False):
    LambdaVersion: Required[InboundFederationLambdaVersionType]
    LambdaArn: Required[str]


class InitiateAuthRequest(TypedDict, total=False):
    AuthFlow: Required[AuthFlowType]
    AuthParameters: AuthParametersType
    ClientMetadata: ClientMetadataType
    ClientId: Required[str]
    AnalyticsMetadata: AnalyticsMetadataType
    UserContextData: UserContextDataType
    Session: str


class InitiateAuthResponse(TypedDict, total=False):
    ChallengeName: ChallengeNameType
    Session: str
    ChallengeParameters: ChallengeParametersType
    AuthenticationResult: AuthenticationResultType
    AvailableChallenges: AvailableChallengeListType


class IssuerConfigurationType(TypedDict, total=False):
    Type: IssuerType


class KeyConfigurationType(TypedDict, total=False):
    KeyType: EncryptionKeyType
    KmsKeyArn: str


class LambdaConfigType(TypedDict, total=False):
    PreSignUp: str
    CustomMessage: str
    PostConfirmation: str
    PreAuthentication: str
    PostAuthentication: str
    DefineAuthChallenge: str
    CreateAuthChallenge: str
    VerifyAuthChallengeResponse: str
    PreTokenGeneration: str
    UserMigration: str
    PreTokenGenerationConfig: PreTokenGenerationVersionConfigType
    CustomSMSSender: CustomSMSLambdaVersionConfigType
    CustomEmailSender: CustomEmailLambdaVersionConfigType
    KMSKeyID: str
    InboundFederation: InboundFederationLambdaType


class ListCIMDPoliciesRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    NextToken: str
    MaxResults: int


class ListCIMDPoliciesResponse(TypedDict, total=False):
    NextToken: str
    CIMDPolicies: Required[CIMDPolicySummaryListType]


class ListClientMetadataURLsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    CIMDPolicyId: Required[str]
    NextToken: str
    MaxResults: int


class ListClientMetadataURLsResponse(TypedDict, total=False):
    NextToken: str
    ClientMetadataURLs: Required[ClientMetadataURLListType]


class ListDevicesRequest(TypedDict, total=False):
    AccessToken: Required[str]
    Limit: int
    PaginationToken: str


class ListDevicesResponse(TypedDict, total=False):
    Devices: DeviceListType
    PaginationToken: str


class ListGroupsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Limit: int
    NextToken: str


class ListGroupsResponse(TypedDict, total=False):
    Groups: GroupListType
    NextToken: str


class ListIdentityProvidersRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    MaxResults: int
    NextToken: str


class ListIdentityProvidersResponse(TypedDict, total=False):
    Providers: Required[ProvidersListType]
    NextToken: str


class ListResourceServersRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    MaxResults: int
    NextToken: str


class ListResourceServersResponse(TypedDict, total=False):
    ResourceServers: Required[ResourceServersListType]
    NextToken: str


class ListTagsForResourceRequest(TypedDict, total=False):
    ResourceArn: Required[str]


class ListTagsForResourceResponse(TypedDict, total=False):
    Tags: UserPoolTagsType


class ListTermsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    MaxResults: int
    NextToken: str


class ListTermsResponse(TypedDict, total=False):
    Terms: Required[TermsDescriptionListType]
    NextToken: str


class ListUserImportJobsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    MaxResults: Required[int]
    PaginationToken: str


class ListUserImportJobsResponse(TypedDict, total=False):
    UserImportJobs: UserImportJobsListType
    PaginationToken: str


class ListUserPoolClientSecretsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    NextToken: str


class ListUserPoolClientSecretsResponse(TypedDict, total=False):
    ClientSecrets: ClientSecretDescriptorListType
    NextToken: str


class ListUserPoolClientsRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    MaxResults: int
    NextToken: str
    ClientType: ClientTypeType


class ListUserPoolClientsResponse(TypedDict, total=False):
    UserPoolClients: UserPoolClientListType
    NextToken: str


class ListUserPoolsRequest(TypedDict, total=False):
    NextToken: str
    MaxResults: Required[int]


class ListUserPoolsResponse(TypedDict, total=False):
    UserPools: UserPoolListType
    NextToken: str


class ListUserSessionsRequest(TypedDict, total=False):
    AccessToken: Required[str]
    NextToken: str


class ListUserSessionsResponse(TypedDict, total=False):
    Sessions: SessionsListType
    NextToken: str


class ListUsersInGroupRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    GroupName: Required[str]
    Limit: int
    NextToken: str


class ListUsersInGroupResponse(TypedDict, total=False):
    Users: UsersListType
    NextToken: str


class ListUsersRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    AttributesToGet: SearchedAttributeNamesListType
    Limit: int
    PaginationToken: str
    Filter: str


class ListUsersResponse(TypedDict, total=False):
    Users: UsersListType
    PaginationToken: str


class ListWebAuthnCredentialsRequest(TypedDict, total=False):
    AccessToken: Required[str]
    NextToken: str
    MaxResults: int


class ListWebAuthnCredentialsResponse(TypedDict, total=False):
    Credentials: Required[WebAuthnCredentialDescriptionListType]
    NextToken: str


class LogConfigurationType(TypedDict, total=False):
    LogLevel: Required[LogLevel]
    EventSource: Required[EventSourceName]
    CloudWatchLogsConfiguration: CloudWatchLogsConfigurationType
    S3Configuration: S3ConfigurationType
    FirehoseConfiguration: FirehoseConfigurationType


class LogDeliveryConfigurationType(TypedDict, total=False):
    UserPoolId: Required[str]
    LogConfigurations: Required[LogConfigurationListType]


class MFAOptionType(TypedDict, total=False):
    DeliveryMedium: DeliveryMediumType
    AttributeName: str


class ManagedLoginBrandingType(TypedDict, total=False):
    ManagedLoginBrandingId: str
    UserPoolId: str
    UseCognitoProvidedValues: bool
    Settings: Any
    Assets: AssetListType
    CreationDate: float
    LastModifiedDate: float


class MessageTemplateType(TypedDict, total=False):
    SMSMessage: str
    EmailMessage: str
    EmailSubject: str


class NewDeviceMetadataType(TypedDict, total=False):
    DeviceKey: str
    DeviceGroupKey: str


class NotifyConfigurationType(TypedDict, total=False):
    From: str
    ReplyTo: str
    SourceArn: Required[str]
    BlockEmail: NotifyEmailType
    NoActionEmail: NotifyEmailType
    MfaEmail: NotifyEmailType


class NotifyEmailType(TypedDict, total=False):
    Subject: Required[str]
    HtmlBody: str
    TextBody: str


class NumberAttributeConstraintsType(TypedDict, total=False):
    MinValue: str
    MaxValue: str


class PasswordPolicyType(TypedDict, total=False):
    MinimumLength: int
    RequireUppercase: bool
    RequireLowercase: bool
    RequireNumbers: bool
    RequireSymbols: bool
    PasswordHistorySize: int
    TemporaryPasswordValidityDays: int


class PreTokenGenerationVersionConfigType(TypedDict, total=False):
    LambdaVersion: Required[PreTokenGenerationLambdaVersionType]
    LambdaArn: Required[str]


class ProviderDescription(TypedDict, total=False):
    ProviderName: str
    ProviderType: IdentityProviderTypeType
    LastModifiedDate: float
    CreationDate: float


class ProviderUserIdentifierType(TypedDict, total=False):
    ProviderName: str
    ProviderAttributeName: str
    ProviderAttributeValue: str


class RecoveryOptionType(TypedDict, total=False):
    Priority: Required[int]
    Name: Required[RecoveryOptionNameType]


class RefreshTokenRotationType(TypedDict, total=False):
    Feature: Required[FeatureType]
    RetryGracePeriodSeconds: int


class ResendConfirmationCodeRequest(TypedDict, total=False):
    ClientId: Required[str]
    SecretHash: str
    UserContextData: UserContextDataType
    Username: Required[str]
    AnalyticsMetadata: AnalyticsMetadataType
    ClientMetadata: ClientMetadataType


class ResendConfirmationCodeResponse(TypedDict, total=False):
    CodeDeliveryDetails: CodeDeliveryDetailsType


class ResourceServerScopeType(TypedDict, total=False):
    ScopeName: Required[str]
    ScopeDescription: Required[str]


class ResourceServerType(TypedDict, total=False):
    UserPoolId: str
    Identifier: str
    Name: str
    Scopes: ResourceServerScopeListType
    ManagedBy: ResourceServerManagedByType


class RespondToAuthChallengeRequest(TypedDict, total=False):
    ClientId: Required[str]
    ChallengeName: Required[ChallengeNameType]
    Session: str
    ChallengeResponses: ChallengeResponsesType
    AnalyticsMetadata: AnalyticsMetadataType
    UserContextData: UserContextDataType
    ClientMetadata: ClientMetadataType


class RespondToAuthChallengeResponse(TypedDict, total=False):
    ChallengeName: ChallengeNameType
    Session: str
    ChallengeParameters: ChallengeParametersType
    AuthenticationResult: AuthenticationResultType
    AvailableChallenges: AvailableChallengeListType


class RevokeTokenRequest(TypedDict, total=False):
    Token: Required[str]
    ClientId: Required[str]
    ClientSecret: str
    RevokeAssociatedSessions: RevokeAssociatedSessionsType


class RevokeTokenResponse(TypedDict, total=False):
    pass


class RevokeUserSessionRequest(TypedDict, total=False):
    AccessToken: Required[str]
    SessionId: Required[str]
    RevokeAssociatedSessions: RevokeAssociatedSessionsType


class RevokeUserSessionResponse(TypedDict, total=False):
    pass


class RiskConfigurationType(TypedDict, total=False):
    UserPoolId: str
    ClientId: str
    CompromisedCredentialsRiskConfiguration: CompromisedCredentialsRiskConfigurationType
    AccountTakeoverRiskConfiguration: AccountTakeoverRiskConfigurationType
    RiskExceptionConfiguration: RiskExceptionConfigurationType
    LastModifiedDate: float


class RiskExceptionConfigurationType(TypedDict, total=False):
    BlockedIPRangeList: BlockedIPRangeListType
    SkippedIPRangeList: SkippedIPRangeListType


class RoutingType(TypedDict, total=False):
    Failover: FailoverType


class S3ConfigurationType(TypedDict, total=False):
    BucketArn: str


class SMSMfaSettingsType(TypedDict, total=False):
    Enabled: bool
    PreferredMfa: bool


class SchemaAttributeType(TypedDict, total=False):
    Name: str
    AttributeDataType: AttributeDataType
    DeveloperOnlyAttribute: bool
    Mutable: bool
    Required: bool
    NumberAttributeConstraints: NumberAttributeConstraintsType
    StringAttributeConstraints: StringAttributeConstraintsType


class SessionDescriptionType(TypedDict, total=False):
    SessionId: str
    SessionType: SessionTypeType
    ClientId: str
    CreateDate: float
    LastActiveDate: float
    DeviceType: str
    LastIPAddress: str
    LastLocation: SessionLocationType
    OriginSessionId: str
    IsCurrentSession: bool


class SessionLocationType(TypedDict, total=False):
    City: str
    Country: str


class SetLogDeliveryConfigurationRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    LogConfigurations: Required[LogConfigurationListType]


class SetLogDeliveryConfigurationResponse(TypedDict, total=False):
    LogDeliveryConfiguration: LogDeliveryConfigurationType


class SetRiskConfigurationRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: str
    CompromisedCredentialsRiskConfiguration: CompromisedCredentialsRiskConfigurationType
    AccountTakeoverRiskConfiguration: AccountTakeoverRiskConfigurationType
    RiskExceptionConfiguration: RiskExceptionConfigurationType


class SetRiskConfigurationResponse(TypedDict, total=False):
    RiskConfiguration: Required[RiskConfigurationType]


class SetUICustomizationRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: str
    CSS: str
    ImageFile: bytes


class SetUICustomizationResponse(TypedDict, total=False):
    UICustomization: Required[UICustomizationType]


class SetUserMFAPreferenceRequest(TypedDict, total=False):
    SMSMfaSettings: SMSMfaSettingsType
    SoftwareTokenMfaSettings: SoftwareTokenMfaSettingsType
    EmailMfaSettings: EmailMfaSettingsType
    WebAuthnMfaSettings: WebAuthnMfaSettingsType
    AccessToken: Required[str]


class SetUserMFAPreferenceResponse(TypedDict, total=False):
    pass


class SetUserPoolClientSessionConfigurationRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    SSOSession: Required[ClientSSOSessionConfigType]


class SetUserPoolClientSessionConfigurationResponse(TypedDict, total=False):
    UserPoolId: str
    ClientId: str
    SSOSession: ClientSSOSessionConfigType


class SetUserPoolMfaConfigRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    SmsMfaConfiguration: SmsMfaConfigType
    SoftwareTokenMfaConfiguration: SoftwareTokenMfaConfigType
    EmailMfaConfiguration: EmailMfaConfigType
    MfaConfiguration: UserPoolMfaType
    WebAuthnConfiguration: WebAuthnConfigurationType


class SetUserPoolMfaConfigResponse(TypedDict, total=False):
    SmsMfaConfiguration: SmsMfaConfigType
    SoftwareTokenMfaConfiguration: SoftwareTokenMfaConfigType
    EmailMfaConfiguration: EmailMfaConfigType
    MfaConfiguration: UserPoolMfaType
    WebAuthnConfiguration: WebAuthnConfigurationType


class SetUserPoolSessionConfigurationRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    UserSessionTracking: Required[UserSessionTrackingType]
    TokenSession: Required[UserPoolTokenSessionConfigType]


class SetUserPoolSessionConfigurationResponse(TypedDict, total=False):
    UserPoolId: str
    UserSessionTracking: UserSessionTrackingType
    TokenSession: UserPoolTokenSessionConfigType


class SetUserSettingsRequest(TypedDict, total=False):
    AccessToken: Required[str]
    MFAOptions: Required[MFAOptionListType]


class SetUserSettingsResponse(TypedDict, total=False):
    pass


class SignInPolicyType(TypedDict, total=False):
    AllowedFirstAuthFactors: AllowedFirstAuthFactorsListType


class SignUpRequest(TypedDict, total=False):
    ClientId: Required[str]
    SecretHash: str
    Username: Required[str]
    Password: str
    UserAttributes: AttributeListType
    ValidationData: AttributeListType
    AnalyticsMetadata: AnalyticsMetadataType
    UserContextData: UserContextDataType
    ClientMetadata: ClientMetadataType


class SignUpResponse(TypedDict, total=False):
    UserConfirmed: Required[bool]
    CodeDeliveryDetails: CodeDeliveryDetailsType
    UserSub: Required[str]
    Session: str


class SmsConfigurationType(TypedDict, total=False):
    SnsCallerArn: str
    ExternalId: str
    SnsRegion: str
    EumsSms: EumsSmsConfigurationType


class SmsMfaConfigType(TypedDict, total=False):
    SmsAuthenticationMessage: str
    SmsConfiguration: SmsConfigurationType


class SoftwareTokenMfaConfigType(TypedDict, total=False):
    Enabled: bool


class SoftwareTokenMfaSettingsType(TypedDict, total=False):
    Enabled: bool
    PreferredMfa: bool


class StartUserImportJobRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    JobId: Required[str]


class StartUserImportJobResponse(TypedDict, total=False):
    UserImportJob: UserImportJobType


class StartWebAuthnRegistrationRequest(TypedDict, total=False):
    AccessToken: Required[str]


class StartWebAuthnRegistrationResponse(TypedDict, total=False):
    CredentialCreationOptions: Required[Any]


class StopUserImportJobRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    JobId: Required[str]


class StopUserImportJobResponse(TypedDict, total=False):
    UserImportJob: UserImportJobType


class StringAttributeConstraintsType(TypedDict, total=False):
    MinLength: str
    MaxLength: str


class TagResourceRequest(TypedDict, total=False):
    ResourceArn: Required[str]
    Tags: Required[UserPoolTagsType]


class TagResourceResponse(TypedDict, total=False):
    pass


class TermsDescriptionType(TypedDict, total=False):
    TermsId: Required[str]
    TermsName: Required[str]
    Enforcement: Required[TermsEnforcementType]
    CreationDate: Required[float]
    LastModifiedDate: Required[float]


class TermsType(TypedDict, total=False):
    TermsId: Required[str]
    UserPoolId: Required[str]
    ClientId: Required[str]
    TermsName: Required[str]
    TermsSource: Required[TermsSourceType]
    Enforcement: Required[TermsEnforcementType]
    Links: Required[LinksType]
    CreationDate: Required[float]
    LastModifiedDate: Required[float]


class TokenValidityUnitsType(TypedDict, total=False):
    AccessToken: TimeUnitsType
    IdToken: TimeUnitsType
    RefreshToken: TimeUnitsType


class UICustomizationType(TypedDict, total=False):
    UserPoolId: str
    ClientId: str
    ImageUrl: str
    CSS: str
    CSSVersion: str
    LastModifiedDate: float
    CreationDate: float


class UntagResourceRequest(TypedDict, total=False):
    ResourceArn: Required[str]
    TagKeys: Required[UserPoolTagsListType]


class UntagResourceResponse(TypedDict, total=False):
    pass


class UpdateAuthEventFeedbackRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Username: Required[str]
    EventId: Required[str]
    FeedbackToken: Required[str]
    FeedbackValue: Required[FeedbackValueType]


class UpdateAuthEventFeedbackResponse(TypedDict, total=False):
    pass


class UpdateCIMDPolicyRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    CIMDPolicyId: Required[str]
    ClientId: Required[str]
    PolicyName: str
    CacheDuration: int
    URLPatterns: Required[URLPatternListType]


class UpdateCIMDPolicyResponse(TypedDict, total=False):
    CIMDPolicy: Required[CIMDPolicyType]


class UpdateClientMetadataURLStateRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    CIMDPolicyId: Required[str]
    URL: Required[str]
    Action: Required[CIMDCacheActionType]


class UpdateClientMetadataURLStateResponse(TypedDict, total=False):
    pass


class UpdateDeviceStatusRequest(TypedDict, total=False):
    AccessToken: Required[str]
    DeviceKey: Required[str]
    DeviceRememberedStatus: DeviceRememberedStatusType


class UpdateDeviceStatusResponse(TypedDict, total=False):
    pass


class UpdateGroupRequest(TypedDict, total=False):
    GroupName: Required[str]
    UserPoolId: Required[str]
    Description: str
    RoleArn: str
    Precedence: int


class UpdateGroupResponse(TypedDict, total=False):
    Group: GroupType


class UpdateIdentityProviderRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ProviderName: Required[str]
    ProviderDetails: ProviderDetailsType
    AttributeMapping: AttributeMappingType
    IdpIdentifiers: IdpIdentifiersListType
    AcrMapping: AcrMappingType


class UpdateIdentityProviderResponse(TypedDict, total=False):
    IdentityProvider: Required[IdentityProviderType]


class UpdateManagedLoginBrandingRequest(TypedDict, total=False):
    UserPoolId: str
    ManagedLoginBrandingId: str
    UseCognitoProvidedValues: bool
    Settings: Any
    Assets: AssetListType


class UpdateManagedLoginBrandingResponse(TypedDict, total=False):
    ManagedLoginBranding: ManagedLoginBrandingType


class UpdateResourceServerRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Identifier: Required[str]
    Name: Required[str]
    Scopes: ResourceServerScopeListType


class UpdateResourceServerResponse(TypedDict, total=False):
    ResourceServer: Required[ResourceServerType]


class UpdateTermsRequest(TypedDict, total=False):
    TermsId: Required[str]
    UserPoolId: Required[str]
    TermsName: str
    TermsSource: TermsSourceType
    Enforcement: TermsEnforcementType
    Links: LinksType


class UpdateTermsResponse(TypedDict, total=False):
    Terms: TermsType


class UpdateUserAttributesRequest(TypedDict, total=False):
    UserAttributes: Required[AttributeListType]
    AccessToken: Required[str]
    ClientMetadata: ClientMetadataType


class UpdateUserAttributesResponse(TypedDict, total=False):
    CodeDeliveryDetailsList: CodeDeliveryDetailsListType


class UpdateUserPoolClientRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    ClientId: Required[str]
    ClientName: str
    RefreshTokenValidity: int
    AccessTokenValidity: int
    IdTokenValidity: int
    TokenValidityUnits: TokenValidityUnitsType
    ReadAttributes: ClientPermissionListType
    WriteAttributes: ClientPermissionListType
    ExplicitAuthFlows: ExplicitAuthFlowsListType
    SupportedIdentityProviders: SupportedIdentityProvidersListType
    CallbackURLs: CallbackURLsListType
    LogoutURLs: LogoutURLsListType
    DefaultRedirectURI: str
    AllowedOAuthFlows: OAuthFlowsType
    AllowedOAuthScopes: ScopeListType
    AllowedOAuthFlowsUserPoolClient: bool
    AnalyticsConfiguration: AnalyticsConfigurationType
    PreventUserExistenceErrors: PreventUserExistenceErrorTypes
    EnableTokenRevocation: bool
    EnablePropagateAdditionalUserContextData: bool
    AuthSessionValidity: int
    RefreshTokenRotation: RefreshTokenRotationType
    PublishSecretsInAWSSecretsManager: bool


class UpdateUserPoolClientResponse(TypedDict, total=False):
    UserPoolClient: UserPoolClientType


class UpdateUserPoolDomainRequest(TypedDict, total=False):
    Domain: Required[str]
    UserPoolId: Required[str]
    ManagedLoginVersion: int
    CustomDomainConfig: CustomDomainConfigType
    Routing: RoutingType


class UpdateUserPoolDomainResponse(TypedDict, total=False):
    ManagedLoginVersion: int
    CloudFrontDomain: str
    Routing: RoutingType


class UpdateUserPoolRequest(TypedDict, total=False):
    UserPoolId: Required[str]
    Policies: UserPoolPolicyType
    DeletionProtection: DeletionProtectionType
    LambdaConfig: LambdaConfigType
    AutoVerifiedAttributes: VerifiedAttributesListType
    SmsVerificationMessage: str
    EmailVerificationMessage: str
    EmailVerificationSubject: str
    VerificationMessageTemplate: VerificationMessageTemplateType
    SmsAuthenticationMessage: str
    UserAttributeUpdateSettings: UserAttributeUpdateSettingsType
    MfaConfiguration: UserPoolMfaType
    DeviceConfiguration: DeviceConfigurationType
    EmailConfiguration: EmailConfigurationType
    SmsConfiguration: SmsConfigurationType
    UserPoolTags: UserPoolTagsType
    AdminCreateUserConfig: AdminCreateUserConfigType
    UserPoolAddOns: UserPoolAddOnsType
    DcrConfiguration: DcrConfigurationType
    AccountRecoverySetting: AccountRecoverySettingType
    PoolName: str
    UserPoolTier: UserPoolTierType
    KeyConfiguration: KeyConfigurationType
    IssuerConfiguration: IssuerConfigurationType
    AcrConfiguration: AcrConfigurationType


class UpdateUserPoolResponse(TypedDict, total=False):
    pass


class UserAttributeUpdateSettingsType(TypedDict, total=False):
    AttributesRequireVerificationBeforeUpdate: AttributesRequireVerificationBeforeUpdateType


class UserContextDataType(TypedDict, total=False):
    IpAddress: str
    EncodedData: str


class UserImportJobType(TypedDict, total=False):
    JobName: str
    JobId: str
    UserPoolId: str
    PreSignedUrl: str
    CreationDate: float
    StartDate: float
    CompletionDate: float
    Status: UserImportJobStatusType
    CloudWatchLogsRoleArn: str
    ImportedUsers: int
    SkippedUsers: int
    FailedUsers: int
    CompletionMessage: str
    PasswordHashingAlgorithm: PasswordHashingAlgorithmType


class UserPoolAddOnsType(TypedDict, total=False):
    AdvancedSecurityMode: Required[AdvancedSecurityModeType]
    AdvancedSecurityAdditionalFlows: AdvancedSecurityAdditionalFlowsType


class UserPoolClientDescription(TypedDict, total=False):
    ClientId: str
    UserPoolId: str
    ClientName: str


class UserPoolClientType(TypedDict, total=False):
    UserPoolId: str
    ClientName: str
    ClientId: str
    ClientSecret: str
    ClientSecretArn: str
    LastModifiedDate: float
    CreationDate: float
    RefreshTokenValidity: int
    AccessTokenValidity: int
    IdTokenValidity: int
    TokenValidityUnits: TokenValidityUnitsType
    ReadAttributes: ClientPermissionListType
    WriteAttributes: ClientPermissionListType
    ExplicitAuthFlows: ExplicitAuthFlowsListType
    SupportedIdentityProviders: SupportedIdentityProvidersListType
    CallbackURLs: CallbackURLsListType
    LogoutURLs: LogoutURLsListType
    DefaultRedirectURI: str
    AllowedOAuthFlows: OAuthFlowsType
    AllowedOAuthScopes: ScopeListType
    AllowedOAuthFlowsUserPoolClient: bool
    AnalyticsConfiguration: AnalyticsConfigurationType
    PreventUserExistenceErrors: PreventUserExistenceErrorTypes
    EnableTokenRevocation: bool
    EnablePropagateAdditionalUserContextData: bool
    AuthSessionValidity: int
    RefreshTokenRotation: RefreshTokenRotationType
    ClientType: ClientTypeType


class UserPoolDescriptionType(TypedDict, total=False):
    Id: str
    Name: str
    LambdaConfig: LambdaConfigType
    Status: StatusType
    LastModifiedDate: float
    CreationDate: float
    ReplicaRegions: ReplicaRegionsType


class UserPoolPolicyType(TypedDict, total=False):
    PasswordPolicy: PasswordPolicyType
    SignInPolicy: SignInPolicyType


class UserPoolTokenSessionConfigType(TypedDict, total=False):
    MaxPerUser: Required[int]


class UserPoolType(TypedDict, total=False):
    Id: str
    Name: str
    Policies: UserPoolPolicyType
    DeletionProtection: DeletionProtectionType
    LambdaConfig: LambdaConfigType
    Status: StatusType
    LastModifiedDate: float
    CreationDate: float
    SchemaAttributes: SchemaAttributesListType
    AutoVerifiedAttributes: VerifiedAttributesListType
    AliasAttributes: AliasAttributesListType
    UsernameAttributes: UsernameAttributesListType
    SmsVerificationMessage: str
    EmailVerificationMessage: str
    EmailVerificationSubject: str
    VerificationMessageTemplate: VerificationMessageTemplateType
    SmsAuthenticationMessage: str
    UserAttributeUpdateSettings: UserAttributeUpdateSettingsType
    MfaConfiguration: UserPoolMfaType
    DeviceConfiguration: DeviceConfigurationType
    EstimatedNumberOfUsers: int
    EmailConfiguration: EmailConfigurationType
    SmsConfiguration: SmsConfigurationType
    UserPoolTags: UserPoolTagsType
    SmsConfigurationFailure: str
    EmailConfigurationFailure: str
    Domain: str
    CustomDomain: str
    AdminCreateUserConfig: AdminCreateUserConfigType
    UserPoolAddOns: UserPoolAddOnsType
    DcrConfiguration: DcrConfigurationType
    UsernameConfiguration: UsernameConfigurationType
    Arn: str
    AccountRecoverySetting: AccountRecoverySettingType
    UserPoolTier: UserPoolTierType
    KeyConfiguration: KeyConfigurationType
    IssuerConfiguration: IssuerConfigurationType
    AcrConfiguration: AcrConfigurationType


class UserType(TypedDict, total=False):
    Username: str
    Attributes: AttributeListType
    UserCreateDate: float
    UserLastModifiedDate: float
    Enabled: bool
    UserStatus: UserStatusType
    MFAOptions: MFAOptionListType


class UsernameConfigurationType(TypedDict, total=False):
    CaseSensitive: Required[bool]


class VerificationMessageTemplateType(TypedDict, total=False):
    SmsMessage: str
    EmailMessage: str
    EmailSubject: str
    EmailMessageByLink: str
    EmailSubjectByLink: str
    DefaultEmailOption: DefaultEmailOptionType


class VerifySoftwareTokenRequest(TypedDict, total=False):
    AccessToken: str
    Session: str
    UserCode: Required[str]
    FriendlyDeviceName: str


class VerifySoftwareTokenResponse(TypedDict, total=False):
    Status: VerifySoftwareTokenResponseType
    Session: str


class VerifyUserAttributeRequest(TypedDict, total=False):
    AccessToken: Required[str]
    AttributeName: Required[str]
    Code: Required[str]


class VerifyUserAttributeResponse(TypedDict, total=False):
    pass


class WebAuthnConfigurationType(TypedDict, total=False):
    RelyingPartyId: str
    UserVerification: UserVerificationType
    FactorConfiguration: WebAuthnFactorConfigurationType


class WebAuthnCredentialDescription(TypedDict, total=False):
    CredentialId: Required[str]
    FriendlyCredentialName: Required[str]
    RelyingPartyId: Required[str]
    AuthenticatorAttachment: str
    AuthenticatorTransports: Required[WebAuthnAuthenticatorTransportsList]
    CreatedAt: Required[float]


class WebAuthnMfaSettingsType(TypedDict, total=False):
    Enabled: bool


# A user pool's stored config: its UserPoolType without what describing it adds (identity, dates,
# the user count, what only AWS reports or other operations set), plus the MFA settings only
# SetUserPoolMfaConfig sets, which UserPoolType does not name. Not kept: Id, Name, Arn, Status,
# CreationDate, LastModifiedDate, EstimatedNumberOfUsers, SmsConfigurationFailure,
# EmailConfigurationFailure, Domain, CustomDomain.
class StoredUserPool(TypedDict, total=False):
    Policies: UserPoolPolicyType
    DeletionProtection: DeletionProtectionType
    LambdaConfig: LambdaConfigType
    SchemaAttributes: SchemaAttributesListType
    AutoVerifiedAttributes: VerifiedAttributesListType
    AliasAttributes: AliasAttributesListType
    UsernameAttributes: UsernameAttributesListType
    SmsVerificationMessage: str
    EmailVerificationMessage: str
    EmailVerificationSubject: str
    VerificationMessageTemplate: VerificationMessageTemplateType
    SmsAuthenticationMessage: str
    UserAttributeUpdateSettings: UserAttributeUpdateSettingsType
    MfaConfiguration: UserPoolMfaType
    DeviceConfiguration: DeviceConfigurationType
    EmailConfiguration: EmailConfigurationType
    SmsConfiguration: SmsConfigurationType
    UserPoolTags: UserPoolTagsType
    AdminCreateUserConfig: AdminCreateUserConfigType
    UserPoolAddOns: UserPoolAddOnsType
    DcrConfiguration: DcrConfigurationType
    UsernameConfiguration: UsernameConfigurationType
    AccountRecoverySetting: AccountRecoverySettingType
    UserPoolTier: UserPoolTierType
    KeyConfiguration: KeyConfigurationType
    IssuerConfiguration: IssuerConfigurationType
    AcrConfiguration: AcrConfigurationType
    SmsMfaConfiguration: SmsMfaConfigType
    SoftwareTokenMfaConfiguration: SoftwareTokenMfaConfigType
    EmailMfaConfiguration: EmailMfaConfigType
    WebAuthnConfiguration: WebAuthnConfigurationType


# An app client's stored config: its UserPoolClientType without its identity, name, secret and
# dates, which are columns of their own. Not kept: UserPoolId, ClientName, ClientId, ClientSecret,
# CreationDate, LastModifiedDate.
class StoredUserPoolClient(TypedDict, total=False):
    ClientSecretArn: str
    RefreshTokenValidity: int
    AccessTokenValidity: int
    IdTokenValidity: int
    TokenValidityUnits: TokenValidityUnitsType
    ReadAttributes: ClientPermissionListType
    WriteAttributes: ClientPermissionListType
    ExplicitAuthFlows: ExplicitAuthFlowsListType
    SupportedIdentityProviders: SupportedIdentityProvidersListType
    CallbackURLs: CallbackURLsListType
    LogoutURLs: LogoutURLsListType
    DefaultRedirectURI: str
    AllowedOAuthFlows: OAuthFlowsType
    AllowedOAuthScopes: ScopeListType
    AllowedOAuthFlowsUserPoolClient: bool
    AnalyticsConfiguration: AnalyticsConfigurationType
    PreventUserExistenceErrors: PreventUserExistenceErrorTypes
    EnableTokenRevocation: bool
    EnablePropagateAdditionalUserContextData: bool
    AuthSessionValidity: int
    RefreshTokenRotation: RefreshTokenRotationType
    ClientType: ClientTypeType


AcrConfigurationType: TypeAlias = dict[str, AcrLevelConfigType]
AcrMappingType: TypeAlias = dict[str, str]
AliasAttributesListType: TypeAlias = list[AliasAttributeType]
AllowedFirstAuthFactorsListType: TypeAlias = list[AuthFactorType]
AssetListType: TypeAlias = list[AssetType]
AttributeListType: TypeAlias = list[AttributeType]
AttributeMappingType: TypeAlias = dict[str, str]
AttributeNameListType: TypeAlias = list[str]
AttributesRequireVerificationBeforeUpdateType: TypeAlias = list[VerifiedAttributeType]
AudienceListType: TypeAlias = list[str]
AuthEventsType: TypeAlias = list[AuthEventType]
AuthParametersType: TypeAlias = dict[str, str]
AvailableChallengeListType: TypeAlias = list[ChallengeNameType]
BlockedIPRangeListType: TypeAlias = list[str]
CIMDPolicySummaryListType: TypeAlias = list[CIMDPolicySummaryType]
CallbackURLsListType: TypeAlias = list[str]
ChallengeParametersType: TypeAlias = dict[str, str]
ChallengeResponseListType: TypeAlias = list[ChallengeResponseType]
ChallengeResponsesType: TypeAlias = dict[str, str]
ClientMetadataType: TypeAlias = dict[str, str]
ClientMetadataURLListType: TypeAlias = list[ClientMetadataURLType]
ClientPermissionListType: TypeAlias = list[str]
ClientSecretDescriptorListType: TypeAlias = list[ClientSecretDescriptorType]
CodeDeliveryDetailsListType: TypeAlias = list[CodeDeliveryDetailsType]
ConfiguredUserAuthFactorsListType: TypeAlias = list[AuthFactorType]
CustomAttributesListType: TypeAlias = list[SchemaAttributeType]
DeliveryMediumListType: TypeAlias = list[DeliveryMediumType]
DeviceListType: TypeAlias = list[DeviceType]
EventFiltersType: TypeAlias = list[EventFilterType]
ExplicitAuthFlowsListType: TypeAlias = list[ExplicitAuthFlowsType]
GroupListType: TypeAlias = list[GroupType]
HttpHeaderList: TypeAlias = list[HttpHeader]
IdpIdentifiersListType: TypeAlias = list[str]
LinksType: TypeAlias = dict[str, str]
ListOfStringTypes: TypeAlias = list[str]
LogConfigurationListType: TypeAlias = list[LogConfigurationType]
LogoutURLsListType: TypeAlias = list[str]
MFAOptionListType: TypeAlias = list[MFAOptionType]
OAuthFlowsType: TypeAlias = list[OAuthFlowType]
ProviderDetailsType: TypeAlias = dict[str, str]
ProvidersListType: TypeAlias = list[ProviderDescription]
RecoveryMechanismsType: TypeAlias = list[RecoveryOptionType]
ReplicaRegionsType: TypeAlias = list[str]
ResourceListType: TypeAlias = list[str]
ResourceServerScopeListType: TypeAlias = list[ResourceServerScopeType]
ResourceServersListType: TypeAlias = list[ResourceServerType]
SchemaAttributesListType: TypeAlias = list[SchemaAttributeType]
ScopeListType: TypeAlias = list[str]
SearchedAttributeNamesListType: TypeAlias = list[str]
SessionsListType: TypeAlias = list[SessionDescriptionType]
SkippedIPRangeListType: TypeAlias = list[str]
SupportedIdentityProvidersListType: TypeAlias = list[str]
TermsDescriptionListType: TypeAlias = list[TermsDescriptionType]
URLPatternListType: TypeAlias = list[str]
UserImportJobsListType: TypeAlias = list[UserImportJobType]
UserMFASettingListType: TypeAlias = list[str]
UserPoolClientListType: TypeAlias = list[UserPoolClientDescription]
UserPoolListType: TypeAlias = list[UserPoolDescriptionType]
UserPoolTagsListType: TypeAlias = list[str]
UserPoolTagsType: TypeAlias = dict[str, str]
UsernameAttributesListType: TypeAlias = list[UsernameAttributeType]
UsersListType: TypeAlias = list[UserType]
VerifiedAttributesListType: TypeAlias = list[VerifiedAttributeType]
WebAuthnAuthenticatorTransportsList: TypeAlias = list[str]
WebAuthnCredentialDescriptionListType: TypeAlias = list[WebAuthnCredentialDescription]
