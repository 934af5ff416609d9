using System.Text;
using System.Text.Encodings.Web;
using CareTwin.Grains.Access;
using CareTwin.Grains.Services;
using CareTwin.Journey.Services;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace CareTwin.Web.Pages;

/// <summary>What a page is: its title, the script module that brings it to life, and its server-rendered body.</summary>
/// <param name="Page">The client page module ("board", "child", "service", "family"), or null for a page without script behaviour.</param>
/// <param name="Data">data-* attributes for the page module (e.g. the child id).</param>
/// <param name="Wide">Use the full width of the screen (the board's table), not the reading width.</param>
/// <param name="WholeOnServer">The body already holds the page's content: its scripts are not preloaded, so on a slow
/// link they do not compete with the stylesheet the content waits for.</param>
public sealed record PageContent(string Title, string? Page, IReadOnlyDictionary<string, string> Data, string BodyHtml, int StatusCode = 200, bool Wide = false, bool WholeOnServer = false);

/// <summary>
/// Renders the NHS-styled page shell around a page's body. Every value from data or users goes through
/// <see cref="Encode"/>; the one script is the bundle (no inline script, so the CSP forbids all inline script).
/// </summary>
public sealed class PageShell(IAntiforgery antiforgery, Assets.BrowserBundle bundle, IGrainFactory grains)
{
    public const string ServiceName = "CareTwin";

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A hidden anti-forgery field for a form posted by this request's user.</summary>
    public string AntiforgeryField(HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken)}\">";
    }

    // The header names an agency's staff by their service's name, which the directory has: the page waits for it.
    public IResult Render(HttpContext context, Caller? caller, PageContent content) =>
        new RenderedLater(async () => Page(context, caller, content, caller is null ? null : await RoleTitleAsync(caller)));

    private IResult Page(HttpContext context, Caller? caller, PageContent content, string? roleTitle)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(content.Title)).Append(" – ").Append(ServiceName).Append("</title>\n")
            .Append("<link rel=\"icon\" href=\"/dist/assets/images/favicon.svg\" type=\"image/svg+xml\">\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(bundle.Stylesheet).Append("\">\n");
        // A page filled over the live connection asks for its script and every chunk it imports at once: one round trip, not one per level.
        var files = bundle.For(content.Page);
        foreach (var chunk in content.WholeOnServer ? [] : files.Imports) html.Append("<link rel=\"modulepreload\" href=\"").Append(chunk).Append("\">\n");
        html.Append("<script type=\"module\" src=\"").Append(files.Script).Append("\"></script>\n</head>\n<body");
        if (content.Page is { } page) html.Append(" data-page=\"").Append(Encode(page)).Append('"');
        if (caller is not null) html.Append(" data-role=\"").Append(Encode(SignIn.CallerClaims.RoleName(caller.Role))).Append('"');
        foreach (var (name, value) in content.Data) html.Append(" data-").Append(Encode(name)).Append("=\"").Append(Encode(value)).Append('"');
        html.Append(">\n<a class=\"nhsuk-skip-link\" href=\"#maincontent\">Skip to main content</a>\n");
        Header(html, context, caller, roleTitle);
        html.Append(content.Wide ? "<div class=\"nhsuk-width-container-fluid\">\n" : "<div class=\"nhsuk-width-container\">\n")
            .Append("<main class=\"nhsuk-main-wrapper\" id=\"maincontent\">\n")
            .Append(content.BodyHtml)
            .Append("\n</main>\n</div>\n")
            .Append("<footer class=\"nhsuk-footer\" role=\"contentinfo\"><div class=\"nhsuk-width-container\"><div class=\"nhsuk-footer__meta\">")
            .Append("<p class=\"nhsuk-body-s\">CareTwin: a live view of each child's care journey.</p></div></div></footer>\n</body>\n</html>\n");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, content.StatusCode);
    }

    private void Header(StringBuilder html, HttpContext context, Caller? caller, string? roleTitle)
    {
        html.Append("<header class=\"nhsuk-header\" role=\"banner\">\n<div class=\"nhsuk-header__container nhsuk-width-container\">\n")
            .Append("<div class=\"nhsuk-header__service\"><a class=\"nhsuk-header__service-logo\" href=\"/\" aria-label=\"NHS CareTwin homepage\">")
            .Append(NhsLogo)
            .Append("<span class=\"nhsuk-header__service-name\">").Append(ServiceName).Append("</span></a></div>\n");
        if (caller is not null)
        {
            html.Append("<nav class=\"nhsuk-header__account\" aria-label=\"Account\"><ul class=\"nhsuk-header__account-list\">")
                .Append("<li class=\"nhsuk-header__account-item\">").Append(Encode(caller.DisplayName)).Append(" (").Append(Encode(roleTitle)).Append(")</li>")
                .Append("<li class=\"nhsuk-header__account-item\"><form class=\"nhsuk-header__account-form\" action=\"/sign-out\" method=\"post\">")
                .Append(AntiforgeryField(context))
                .Append("<button class=\"nhsuk-header__account-button\">Sign out</button></form></li></ul></nav>\n");
        }
        html.Append("</div>\n");
        var links = Navigation(caller);
        if (links.Count > 0)
        {
            html.Append("<nav class=\"nhsuk-header__navigation\" aria-label=\"Menu\"><div class=\"nhsuk-header__navigation-container nhsuk-width-container\"><ul class=\"nhsuk-header__navigation-list\">");
            foreach (var (href, text) in links)
            {
                var current = context.Request.Path.StartsWithSegments(href.Split('?')[0]);
                html.Append("<li class=\"nhsuk-header__navigation-item").Append(current ? " nhsuk-header__navigation-item--current" : "").Append("\">")
                    .Append("<a class=\"nhsuk-header__navigation-link\" href=\"").Append(Encode(href)).Append('"').Append(current ? " aria-current=\"page\"" : "").Append('>')
                    .Append(Encode(text)).Append("</a></li>");
            }
            html.Append("</ul></div></nav>\n");
        }
        html.Append("</header>\n");
    }

    private static List<(string Href, string Text)> Navigation(Caller? caller) => caller?.Role switch
    {
        CallerRole.Coordinator => [("/board", "Board")],
        CallerRole.AgencyStaff => [(SignIn.CallerClaims.HomeOf(caller), "Our blockers")],
        CallerRole.Family => [(SignIn.CallerClaims.HomeOf(caller), "Our journey")],
        CallerRole.Operator => [(SignIn.CallerClaims.HomeOf(caller), "Orleans dashboard")],
        _ => [],
    };

    private async Task<string> RoleTitleAsync(Caller caller) => caller.Role switch
    {
        CallerRole.Coordinator => "coordinator",
        CallerRole.AgencyStaff when ServiceKey.TryParse(caller.Services.FirstOrDefault(), out var service) =>
            (await grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory()).NameOf(service),
        CallerRole.AgencyStaff => "agency staff",
        CallerRole.Family => "family",
        CallerRole.Operator => "operator",
        _ => "external system",
    };

    private sealed class RenderedLater(Func<Task<IResult>> render) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext) => await (await render()).ExecuteAsync(httpContext);
    }

    private const string NhsLogo =
        "<svg class=\"nhsuk-header__logo\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 80\" height=\"40\" width=\"100\" focusable=\"false\" role=\"img\" aria-label=\"NHS\"><title>NHS</title>" +
        "<path fill=\"currentcolor\" d=\"M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z\"/></svg>";
}
