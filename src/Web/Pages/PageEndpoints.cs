using System.Text;
using CareTwin.Grains.Access;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Services;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using CareTwin.Web.Hosting;
using CareTwin.Web.Live;
using CareTwin.Web.SignIn;
using CareTwin.Web.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Pages;

/// <summary>
/// The live pages. Each load asks the access gate (which writes the audit entry) before anything is shown; the
/// shell is rendered here and the page's script fills it from the hub, which asks the gate again. Someone not
/// signed in is asked the same way, so their attempt on a record is audited, and then sent to sign in.
/// </summary>
internal static class PageEndpoints
{
    private static readonly Dictionary<string, string> NoData = [];

    /// <summary>The rate limit on page views: per signed-in user, or per client address for anyone not signed in.</summary>
    public const string ViewsPolicy = "page-views";

    public static void MapLivePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context) =>
            Results.Redirect(CallerClaims.TryGetCaller(context.User, out var caller) ? CallerClaims.HomeOf(caller) : "/sign-in"));

        app.MapGet("/board", BoardAsync).RequireRateLimiting(ViewsPolicy);
        app.MapGet("/board/export.csv", BoardCsvAsync).RequireRateLimiting(ViewsPolicy);
        app.MapGet("/board/delays-by-week.csv", DelayWeeksCsvAsync).RequireRateLimiting(ViewsPolicy);
        app.MapGet("/children/{childId}", ChildAsync).RequireRateLimiting(ViewsPolicy);
        app.MapGet("/services/{serviceKey}", ServiceAsync).RequireRateLimiting(ViewsPolicy);
        app.MapFamilyPage();
        app.MapMeetingPages();
    }

    private static async Task<IResult> BoardAsync(HttpContext context, string? board, AccessGate gate, PageShell shell, IOptions<WebOptions> options, IGrainFactory grains, TimeProvider clock)
    {
        var caller = CallerOf(context);
        var boards = options.Value.Boards;
        var chosen = board ?? boards.FirstOrDefault()?.Key;
        if (!BoardKey.TryParse(chosen, out var key)) return Refuse(shell, context, caller, NoSuchBoard);
        if (!(await gate.ForBoardAsync(caller, AccessAction.ViewBoard, key, Channel(context))).Allowed) return Denied(shell, context, caller);

        var body = new StringBuilder();
        body.Append("<h1 id=\"page-heading\">Coordinator board</h1>");
        if (caller.Role == CallerRole.Coordinator)
            body.Append("<p class=\"nhsuk-body\"><a href=\"/meetings/new?board=").Append(Encode(Uri.EscapeDataString(key.ToString()))).Append("\" data-run-meeting>Run an MDT meeting</a></p>");
        if (boards.Count > 1)
        {
            body.Append("<form method=\"get\" action=\"/board\" class=\"app-filters\"><div class=\"nhsuk-form-group\"><label class=\"nhsuk-label\" for=\"board-choice\">Board</label>")
                .Append("<select class=\"nhsuk-select\" id=\"board-choice\" name=\"board\">");
            foreach (var choice in boards)
                body.Append("<option value=\"").Append(Encode(choice.Key)).Append('"').Append(choice.Key == key.ToString() ? " selected" : "").Append('>')
                    .Append(Encode(choice.Title)).Append("</option>");
            body.Append("</select></div><div class=\"nhsuk-form-group\"><button class=\"nhsuk-button nhsuk-button--secondary\" type=\"submit\">Show board</button></div></form>");
        }
        // The first view is whole (it reads without JavaScript); the script replaces it with the live board once connected.
        // Its scripts are still preloaded (not WholeOnServer): over slow 3G that brings the live board about 1.5 s sooner
        // for a first paint about 0.5 s later.
        var reading = grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        var snapshot = await grains.GetGrain<IBoardGrain>(key.ToString()).GetSnapshot();
        var directory = await reading;
        var view = BoardView.Of(snapshot, directory, options.Value);
        var query = ParseBoardQuery(context.Request.Query, view.Rows, view.HospitalNames.Keys, directory.Profiles.Keys);
        body.Append(LiveStatus).Append("<div id=\"board-root\">").Append(BoardHtml.Render(view, query, clock.GetUtcNow(), board)).Append("</div>");
        return shell.Render(context, caller, new PageContent("Coordinator board", "board", new Dictionary<string, string> { ["board"] = key.ToString() }, body.ToString(), Wide: true));
    }

    /// <summary>
    /// The board's list as the page shows it (the same address parameters: list, filters and sort; every page) as a
    /// CSV file. Asked of the gate and audited like the board itself, with the export and its filters named.
    /// </summary>
    private static async Task<IResult> BoardCsvAsync(HttpContext context, string? board, AccessGate gate, PageShell shell, IOptions<WebOptions> options, IGrainFactory grains, TimeProvider clock)
    {
        var caller = CallerOf(context);
        var web = options.Value;
        if (!BoardKey.TryParse(board ?? web.Boards.FirstOrDefault()?.Key, out var key)) return Refuse(shell, context, caller, NoSuchBoard);
        // The filters are read before the gate is asked, so the audit entry says what was exported; the rows only after.
        var directory = await grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        var snapshot = await BoardSnapshotIfAllowedAsync();
        if (snapshot is null) return Denied(shell, context, caller);
        var query = ParseBoardQuery(context.Request.Query, snapshot.Summary.Rows.Values, web.Hospitals.Keys, directory.Profiles.Keys);
        var rows = query.Select(snapshot.Summary.Rows.Values, UkCalendar.DateOf(clock.GetUtcNow()));
        var file = BoardCsv.Write(query.List, rows, directory.Profiles.ToDictionary(p => p.Key.Value, p => p.Value.Name), web.Hospitals);
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(file, "text/csv; charset=utf-8", BoardCsv.FileName(key.Code, query.List, UkCalendar.DateOf(clock.GetUtcNow())));

        async Task<BoardSnapshot?> BoardSnapshotIfAllowedAsync()
        {
            var asked = ParseBoardQuery(context.Request.Query, [], web.Hospitals.Keys, directory.Profiles.Keys).ToAddress(withPage: false);
            var detail = "CSV export" + (asked.Length > 0 ? $" ({asked})" : "");
            if (!(await gate.ForBoardAsync(caller, AccessAction.ViewBoard, key, Channel(context), detail)).Allowed) return null;
            return await grains.GetGrain<IBoardGrain>(key.ToString()).GetSnapshot();
        }
    }

    /// <summary>
    /// The board's delay days by week, agency and category over the last weeks the page shows, as a CSV file a trust can
    /// put into its delayed-discharge returns. Asked of the gate and audited like the board itself, with the export named.
    /// </summary>
    private static async Task<IResult> DelayWeeksCsvAsync(HttpContext context, string? board, AccessGate gate, PageShell shell, IOptions<WebOptions> options, IGrainFactory grains, TimeProvider clock)
    {
        var caller = CallerOf(context);
        if (!BoardKey.TryParse(board ?? options.Value.Boards.FirstOrDefault()?.Key, out var key)) return Refuse(shell, context, caller, NoSuchBoard);
        if (!(await gate.ForBoardAsync(caller, AccessAction.ViewBoard, key, Channel(context), "CSV export of delay days by week")).Allowed) return Denied(shell, context, caller);
        var reading = grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        var snapshot = await grains.GetGrain<IBoardGrain>(key.ToString()).GetSnapshot();
        var directory = await reading;
        var today = UkCalendar.DateOf(clock.GetUtcNow());
        var file = BoardCsv.WriteDelayWeeks(BoardDelayWeeks.Across(snapshot.Summary.Rows.Values, today), directory.Profiles.ToDictionary(p => p.Key.Value, p => p.Value.Name));
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(file, "text/csv; charset=utf-8", BoardCsv.DelayWeeksFileName(key.Code, today));
    }

    private static PageContent NoSuchBoard => Problem(404, "There is no such board", "Choose a board from the list on the board page.");

    /// <summary>The board's list, filters, sort and page from the address; values the board does not know are ignored.</summary>
    internal static BoardQuery ParseBoardQuery(IQueryCollection address, IEnumerable<BoardRow> rows, IEnumerable<string> hospitals, IEnumerable<ServiceKey> services) =>
        BoardQuery.Parse(name => address[name].FirstOrDefault(), hospitals.Concat(rows.Select(r => r.HospitalKey)).ToHashSet(StringComparer.Ordinal), services.ToHashSet());

    // The record is on the page as it is now, readable without JavaScript; the script then keeps it current.
    private static async Task<IResult> ChildAsync(HttpContext context, string childId, AccessGate gate, PageShell shell, ChildRecordReader records)
    {
        var caller = CallerOf(context);
        if (KeyRules.Identifier(childId, "childId") is not null) return NotFound(shell, context, caller);
        var access = await gate.ForChildAsync(caller, AccessAction.ViewChild, childId, Channel(context));
        if (!access.Allowed) return Denied(shell, context, caller);
        if (access.Journey?.Child is not { } child) return NotFound(shell, context, caller);
        // Shaped for the reader's audience as the hub shapes it: no other service's sensitive blocker reaches agency staff.
        if (await records.ReadAsync(childId, LiveTopic.Child(childId, caller).Audience) is not { } record) return NotFound(shell, context, caller);
        var body = $"<span class=\"nhsuk-caption-l\">Child record</span><h1 id=\"page-heading\">{Encode(child.GivenName)} {Encode(child.FamilyName)}</h1>{LiveStatus}" +
                   $"<div id=\"child-root\">{ChildRecordHtml.Render(record, forCoordinator: caller.Role == CallerRole.Coordinator)}</div>";
        return shell.Render(context, caller, new PageContent($"{child.GivenName} {child.FamilyName}", "child", new Dictionary<string, string> { ["child"] = childId }, body));
    }

    // The service's blockers and escalations are on the page as they are now, readable without JavaScript; the script then keeps them current.
    private static async Task<IResult> ServiceAsync(HttpContext context, string serviceKey, AccessGate gate, PageShell shell, IGrainFactory grains)
    {
        var caller = CallerOf(context);
        if (!ServiceKey.TryParse(serviceKey, out var key)) return NotFound(shell, context, caller);
        if (!(await gate.ForServiceAsync(caller, AccessAction.ViewService, key, Channel(context))).Allowed) return Denied(shell, context, caller);
        var view = await ServiceViewReader.ReadAsync(grains, key);
        var body = $"<span class=\"nhsuk-caption-l\">Agency view</span><h1 id=\"page-heading\">{Encode(view.Name)}</h1>{LiveStatus}" +
                   $"<div id=\"service-root\">{ServiceBlockersHtml.Render(view)}</div>" +
                   $"<div id=\"mdt-actions-root\">{await MeetingPages.AgencyActionsHtmlAsync(grains, key, caller.Role == CallerRole.Coordinator ? default : caller.Services)}</div>";
        return shell.Render(context, caller, new PageContent(view.Name, "service", new Dictionary<string, string>
        {
            ["service"] = key.Value,
            ["service-meetings-topic"] = LiveTopic.ServiceMeetings(key.Value, caller).Group,
        }, body));
    }

    /// <summary>Where the page says whether it is live: connected, reconnecting or offline (shown by the script; the page without it is not live).</summary>
    internal const string LiveStatus =
        "<div class=\"app-connection\" data-connection data-state=\"connecting\" role=\"status\" hidden><span class=\"app-connection__dot\" aria-hidden=\"true\"></span>" +
        "<span data-connection-text>Connecting…</span></div>";

    private static readonly Caller NotSignedIn = Caller.Unauthenticated("Not signed in");

    internal static Caller CallerOf(HttpContext context) => CallerClaims.TryGetCaller(context.User, out var caller) ? caller : NotSignedIn;

    internal static AccessChannel Channel(HttpContext context) =>
        new("page", context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : null);

    internal static PageContent Problem(int status, string heading, string text) =>
        new(heading, null, NoData, $"<h1>{Encode(heading)}</h1><p class=\"nhsuk-body\">{Encode(text)}</p><p class=\"nhsuk-body\"><a href=\"/\">Go to your start page</a></p>", status);

    // The same answer for a record that does not exist and one the caller may not see, so existence does not leak.
    internal static IResult Denied(PageShell shell, HttpContext context, Caller caller) =>
        Refuse(shell, context, caller, Problem(403, "You cannot see this page", "You do not have access to this record. If you think you should, ask the child's care coordinator."));

    internal static IResult NotFound(PageShell shell, HttpContext context, Caller caller) =>
        Refuse(shell, context, caller, Problem(404, "Page not found", "There is no record here. Check the address, or go back to your start page."));

    // Someone not signed in is sent to sign in (and brought back), whatever the page would have said.
    private static IResult Refuse(PageShell shell, HttpContext context, Caller caller, PageContent problem) =>
        caller.Role == CallerRole.Anonymous ? Results.Challenge(authenticationSchemes: [CallerClaims.Scheme]) : shell.Render(context, caller, problem);
}
