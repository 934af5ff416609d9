using CareTwin.EndToEnd.Tests.Infrastructure;

namespace CareTwin.EndToEnd.Tests.Authorization;

/// <summary>
/// The same matrix, every cell the same, with staff signed in through the OpenID Connect provider (their CIS2-style
/// role codes and organisations mapped to coordinator and agency staff by the configured table) and families back
/// through the NHS login they linked: a caller built from an identity provider's claims gets exactly what the same
/// role gets any other way, since what it may see is still CareTwin's access policy.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OidcAuthorizationMatrixTests(EndToEndSite e2e) : AuthorizationMatrixTests(e2e)
{
    protected override Task<MatrixScene> CreateSceneAsync(EndToEndSite site) => MatrixScene.CreateAsync(site, throughIdentityProvider: true);

    protected override string Variant => "-oidc";
}
