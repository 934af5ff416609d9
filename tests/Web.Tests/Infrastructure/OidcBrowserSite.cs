using CareTwin.Testing;
using CareTwin.Testing.Oidc;

namespace CareTwin.Web.Tests.Infrastructure;

/// <summary>
/// A CareTwin host whose staff and families sign in through a real OpenID Connect provider (the test issuer, built on
/// OpenIddict, on 127.0.0.1), with Debian's chromium to drive it.
/// </summary>
public sealed class OidcBrowserSite : BrowserSite
{
    private OidcIssuer? _issuer;

    public OidcIssuer Issuer => _issuer ?? throw new InvalidOperationException("The issuer is not started.");

    protected override async Task<IReadOnlyDictionary<string, string>> SettingsAsync()
    {
        _issuer = await CareTwinOidc.StartIssuerAsync();
        return CareTwinOidc.Settings(_issuer);
    }

    protected override Task StartedAsync(CareTwinSite site) => CareTwinOidc.AllowAsync(Issuer, site.Address);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_issuer is not null) await _issuer.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OidcBrowserCollection : ICollectionFixture<OidcBrowserSite>
{
    public const string Name = "browser-oidc";
}
