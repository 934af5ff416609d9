using System.Net;

namespace CareTwin.Testing.Oidc;

/// <summary>Where a sign-in through the issuer ended: the last address, its status and page, and the browser's cookies.</summary>
public sealed record OidcSignInResult(Uri FinalAddress, HttpStatusCode Status, string Page, CookieContainer Cookies);

/// <summary>
/// Goes through a sign-in as a browser would, without one: starts at the relying party, follows every redirect
/// (choosing <c>person</c> on the issuer's page), and stops at the first answer that is not a redirect.
/// </summary>
public static class OidcSignInClient
{
    public static async Task<OidcSignInResult> SignInAsync(OidcIssuer issuer, Uri site, string startPath, string person, CookieContainer? cookies = null)
    {
        cookies ??= new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var next = new Uri(site, startPath);
        for (var hop = 0; hop < 12; hop++)
        {
            if (next.Authority == issuer.Authority.Authority && next.AbsolutePath == OidcIssuer.AuthorizePath && !next.Query.Contains(OidcIssuer.UserParameter + "=", StringComparison.Ordinal))
                next = new Uri($"{next}&{OidcIssuer.UserParameter}={Uri.EscapeDataString(person)}");
            using var response = await http.GetAsync(next);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                next = location.IsAbsoluteUri ? location : new Uri(next, location);
                continue;
            }
            return new OidcSignInResult(next, response.StatusCode, await response.Content.ReadAsStringAsync(), cookies);
        }
        throw new InvalidOperationException($"The sign-in went round in redirects (last: {next}).");
    }
}
