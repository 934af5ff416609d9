using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using CareTwin.Grains.Services;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Family;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using CareTwin.Web.Live;
using CareTwin.Web.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Pages;

/// <summary>
/// The family's page, whole on first view: their child's journey, what they told the team (older messages by
/// plain links), a form to tell the team that posts without JavaScript, and who in the care team has looked.
/// The page's script only keeps the journey current, swapping in the same HTML from the live connection.
/// </summary>
internal static class FamilyPage
{
    private const int OlderPageSize = 20;

    private static readonly (string Value, string Text)[] Kinds =
        [("note", "Something that matters to us"), ("concern", "I am worried about something")];

    public static void MapFamilyPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/family/{childId}", ShowAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/family/{childId}/messages", TellTheTeamAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapGet("/family/{childId}/time-and-money", ShowTimeAndMoneyAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/family/{childId}/travel", GettingThereAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
    }

    /// <summary>What the family is sent with each live change: the journey as the page shows it.</summary>
    public static FamilyLiveView Live(FamilyView view) => new(view.AsOf, FamilyJourneyHtml.Render(view));

    private sealed record Draft(string? Kind, string? Text, string RequestId, (string Field, string Message)? Error);

    /// <summary>What the family typed about getting to appointments, kept as typed so a refusal shows it back to them.</summary>
    private sealed record TravelDraft(string? Mode, string? TravelMinutes, string? CostPerTrip, string? ParkingPerVisit, string? HoursOffWork, string RequestId,
        (string Field, string Message)? Error = null);

    private const string NotSaying = "not-saying";

    private static readonly (string Value, string Text)[] Modes =
        [.. Enum.GetValues<TravelMode>().Select(m => (ActionCommands.KeyOf(m), FamilyWording.Travel(m))), (NotSaying, "I would rather not say")];

    private static async Task<IResult> ShowAsync(HttpContext context, string childId, AccessGate gate, PageShell shell, IGrainFactory grains, TimeProvider clock) =>
        await RenderAsync(context, childId, gate, shell, grains, clock, null);

    /// <summary>
    /// The family says how they get to appointments, as "Tell the team" posts: every field optional, a figure that is
    /// not a number or out of range refused at its field with what they typed kept, and nothing changed until all is right.
    /// </summary>
    private static async Task<IResult> GettingThereAsync(HttpContext context, string childId, AccessGate gate, PageShell shell, IGrainFactory grains)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (await PostedForms.ReadAsync(context) is not { } form) return PostedForms.Expired(context, shell);
        var draft = new TravelDraft(form["mode"].ToString(), form["travelMinutes"].ToString(), form["costPerTrip"].ToString(), form["parkingPerVisit"].ToString(),
            form["hoursOffWork"].ToString(), form["requestId"].ToString());
        if (KeyRules.Identifier(childId, "childId") is not null || KeyRules.Identifier(draft.RequestId, "requestId") is not null)
            return PostedForms.Expired(context, shell);
        Task<IResult> Refuse(string field, string message) => RenderTimeAndMoneyAsync(context, childId, gate, shell, grains, draft with { Error = (field, message) });

        TravelMode? mode = null;
        if (!string.IsNullOrEmpty(draft.Mode) && draft.Mode != NotSaying)
        {
            mode = Enum.GetValues<TravelMode>().Where(m => ActionCommands.KeyOf(m) == draft.Mode).Cast<TravelMode?>().FirstOrDefault();
            if (mode is null) return await Refuse("mode", "Choose how you usually travel from the list");
        }
        int? minutes = null;
        if (Typed(draft.TravelMinutes) is { } minutesText)
        {
            if (!int.TryParse(minutesText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
                return await Refuse("travelMinutes", "Enter travel time as a whole number of minutes, like 45");
            minutes = whole;
        }
        if (Pounds(draft.CostPerTrip, out var cost) is false) return await Refuse("costPerTrip", "Enter cost per trip in pounds and pence, like 12.50");
        if (Pounds(draft.ParkingPerVisit, out var parking) is false) return await Refuse("parkingPerVisit", "Enter parking per visit in pounds and pence, like 4.50");
        decimal? offWork = null;
        if (Typed(draft.HoursOffWork) is { } hoursText)
        {
            if (!decimal.TryParse(hoursText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var hours))
                return await Refuse("hoursOffWork", "Enter time off work as a number of hours, like 4 or 2.5");
            offWork = hours;
        }

        var origin = new CommandOrigin(caller.ToActor(), JourneyHub.SourceSystem, ActionCommands.ExternalIdOf(caller, draft.RequestId));
        var command = new SetFamilyTravel(origin, mode, minutes, cost, parking, offWork);
        var access = await gate.ForChildAsync(caller, AccessAction.ChangeChild, childId, PageEndpoints.Channel(context), command);
        if (!access.Allowed || access.Journey is not { IsRegistered: true }) return PageEndpoints.Denied(shell, context, caller);
        var outcome = await grains.GetGrain<IChildGrain>(childId).Execute(command);
        if (outcome is { Kind: OutcomeKind.Refused, Refusal: { } refusal })
            // A figure out of range is shown at its field; anything else (someone other than the family) is said as it is.
            return TravelFields.Contains(refusal.Field)
                ? await Refuse(refusal.Field, refusal.Message)
                : shell.Render(context, caller, PageEndpoints.Problem(403, "You cannot change these details", refusal.Message));
        return Results.Redirect($"/family/{Uri.EscapeDataString(childId)}/time-and-money?sent=travel");
    }

    private static readonly string[] TravelFields = ["mode", "travelMinutes", "costPerTrip", "parkingPerVisit", "hoursOffWork"];

    private static string? Typed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <returns>False when something was typed that is not an amount of money ("£12.50" and "12.5" are).</returns>
    private static bool Pounds(string? text, out decimal? pounds)
    {
        pounds = null;
        if (Typed(text) is not { } typed) return true;
        if (!decimal.TryParse(typed.StartsWith('£') ? typed[1..].TrimStart() : typed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands,
                CultureInfo.InvariantCulture, out var amount))
            return false;
        pounds = amount;
        return true;
    }

    private static async Task<IResult> TellTheTeamAsync(HttpContext context, string childId, AccessGate gate, PageShell shell, IGrainFactory grains, TimeProvider clock)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (await PostedForms.ReadAsync(context) is not { } form) return PostedForms.Expired(context, shell);
        var draft = new Draft(form["kind"].ToString(), form["text"].ToString(), form["requestId"].ToString(), null);
        if (KeyRules.Identifier(childId, "childId") is not null || KeyRules.Identifier(draft.RequestId, "requestId") is not null)
            return PostedForms.Expired(context, shell);
        if (draft.Kind is not ("note" or "concern"))
            return await RenderAsync(context, childId, gate, shell, grains, clock, draft with { Error = ("kind", "Choose what you would like to tell the team") });
        if (string.IsNullOrWhiteSpace(draft.Text))
            return await RenderAsync(context, childId, gate, shell, grains, clock, draft with { Error = ("text", "Enter your message") });

        var origin = new CommandOrigin(caller.ToActor(), JourneyHub.SourceSystem, ActionCommands.ExternalIdOf(caller, draft.RequestId));
        JourneyCommand command = draft.Kind == "concern" ? new FlagConcern(origin, draft.Text, null) : new AddFamilyNote(origin, draft.Text);
        var access = await gate.ForChildAsync(caller, AccessAction.ChangeChild, childId, PageEndpoints.Channel(context), command);
        if (!access.Allowed || access.Journey is not { IsRegistered: true }) return PageEndpoints.Denied(shell, context, caller);
        var outcome = await grains.GetGrain<IChildGrain>(childId).Execute(command);
        if (outcome is { Kind: OutcomeKind.Refused, Refusal: { } refusal })
            return await RenderAsync(context, childId, gate, shell, grains, clock, draft with { Error = ("text", refusal.Message) });
        // Post, redirect, get: reloading the confirmation does not send the message again.
        return Results.Redirect($"/family/{Uri.EscapeDataString(childId)}?sent={draft.Kind}");
    }

    private static Task<IResult> ShowTimeAndMoneyAsync(HttpContext context, string childId, AccessGate gate, PageShell shell, IGrainFactory grains) =>
        RenderTimeAndMoneyAsync(context, childId, gate, shell, grains, null);

    /// <summary>
    /// "Your time and money" on a page of its own: every figure with how it was worked out, and the family's form
    /// about getting to appointments. Apart from the journey page, which only sums it up, so the journey page stays
    /// small enough for a slow phone connection; nothing on it changes live.
    /// </summary>
    private static async Task<IResult> RenderTimeAndMoneyAsync(HttpContext context, string childId, AccessGate gate, PageShell shell, IGrainFactory grains, TravelDraft? travel)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (KeyRules.Identifier(childId, "childId") is not null) return PageEndpoints.NotFound(shell, context, caller);
        var access = await gate.ForChildAsync(caller, AccessAction.ViewFamilyView, childId, PageEndpoints.Channel(context), detail: "time and money");
        if (!access.Allowed) return PageEndpoints.Denied(shell, context, caller);
        if (access.Journey is not { Child: { } child } || await grains.GetGrain<IChildGrain>(childId).GetFamilyView() is not { } view)
            return PageEndpoints.NotFound(shell, context, caller);
        var body = new StringBuilder(8 * 1024);
        body.Append("<a class=\"nhsuk-back-link\" href=\"/family/").Append(Uri.EscapeDataString(childId)).Append("\">Back to ").Append(Encode(child.GivenName)).Append("'s journey</a>")
            .Append("<h1 id=\"page-heading\">Your time and money</h1>");
        if (travel is null && context.Request.Query["sent"].ToString() == "travel")
            body.Append(PostedForms.Confirmation("Travel details saved", "Thank you. Your time and money now count what you told us about getting to appointments."));
        body.Append(TimeAndMoneyHtml(view)).Append(GettingThereHtml(context, shell, caller, childId, view.Travel, travel));
        return shell.Render(context, caller, new PageContent("Your time and money", null, new Dictionary<string, string>(), body.ToString(), travel?.Error is null ? 200 : 400));
    }

    private static async Task<IResult> RenderAsync(HttpContext context, string childId, AccessGate gate, PageShell shell, IGrainFactory grains, TimeProvider clock, Draft? draft)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (KeyRules.Identifier(childId, "childId") is not null) return PageEndpoints.NotFound(shell, context, caller);
        var access = await gate.ForChildAsync(caller, AccessAction.ViewFamilyView, childId, PageEndpoints.Channel(context));
        if (!access.Allowed) return PageEndpoints.Denied(shell, context, caller);
        if (access.Journey is not { Child: { } child } journey || await grains.GetGrain<IChildGrain>(childId).GetFamilyView() is not { } view)
            return PageEndpoints.NotFound(shell, context, caller);

        var ward = (await grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory()).Profiles.Values.WardFor(child.HospitalKey);
        var urgent = ward is null ? "For anything urgent, phone the ward." : $"For anything urgent, phone {ward.Name} on {ward.Phone}.";
        var body = new StringBuilder(8 * 1024);
        body.Append("<h1 id=\"page-heading\">").Append(Encode(child.GivenName)).Append("'s journey</h1>").Append(PageEndpoints.LiveStatus);
        var sent = context.Request.Query["sent"].ToString();
        if (draft is null && sent is "note" or "concern")
            body.Append("<div id=\"confirmation\">").Append(PostedForms.Confirmation("Message sent",
                sent == "concern"
                    ? $"Thank you. The team will see your worry and get back to you. {urgent}"
                    : "Thank you. The team will see your message.")).Append("</div>");
        body.Append("<div id=\"family-root\">").Append(FamilyJourneyHtml.Render(view)).Append("</div>");
        body.Append(OlderMessages(journey, childId, context.Request.Query["before"].ToString()));
        body.Append(UrgentHtml(ward));
        body.Append(TellTheTeamForm(context, shell, childId, draft ?? new Draft(null, null, Guid.NewGuid().ToString("N"), null)));
        body.Append(TimeAndMoneySummaryHtml(childId, view));
        body.Append(CareTeamLooksHtml(child.GivenName, await CareTeamLooksAsync(grains, childId, clock.GetUtcNow() - CareTeamLooks.Window)));
        var status = draft?.Error is null ? 200 : 400;
        return shell.Render(context, caller, new PageContent($"{child.GivenName}'s journey", "family", new Dictionary<string, string> { ["child"] = childId }, body.ToString(), status, WholeOnServer: true));
    }

    /// <summary>A page of older messages when the family followed "Show older messages"; nothing for a message that is not there.</summary>
    private static string OlderMessages(Journey.Children.ChildJourney journey, string childId, string before)
    {
        if (before.Length == 0) return "";
        var (page, _) = FamilyViewProjection.Messages(journey, before, OlderPageSize);
        if (page is null) return "";
        return "<div id=\"older-messages\" data-older-page>" + FamilyJourneyHtml.Messages(childId, page.Messages, page.OlderMessages, "Older messages") + "</div>";
    }

    /// <summary>Who to ring when it cannot wait: the ward from the service directory, its number a link a phone can call.</summary>
    private static string UrgentHtml(ServiceProfile? ward) =>
        "<div class=\"nhsuk-inset-text\" data-urgent><span class=\"nhsuk-u-visually-hidden\">Information: </span><p>" +
        (ward is null
            ? "For anything urgent, phone the ward."
            : $"For anything urgent, phone {Encode(ward.Name)} on <a href=\"tel:{Encode(ward.Phone!.Replace(" ", ""))}\">{Encode(ward.Phone)}</a>.") +
        "</p></div>";

    private static string TellTheTeamForm(HttpContext context, PageShell shell, string childId, Draft draft)
    {
        var html = new StringBuilder("<h2 id=\"tell-the-team\">Tell the team</h2>");
        if (draft.Error is { } error) html.Append(PostedForms.ErrorSummary(error.Field, error.Message));
        return html.Append("<form method=\"post\" action=\"/family/").Append(Uri.EscapeDataString(childId)).Append("/messages\" novalidate data-tell-the-team>")
            .Append(shell.AntiforgeryField(context))
            .Append("<input type=\"hidden\" name=\"requestId\" value=\"").Append(Encode(draft.RequestId)).Append("\">")
            .Append(PostedForms.Radios("kind", "What would you like to tell the team?", Kinds, draft.Kind, draft.Error is { Field: "kind" } e1 ? e1.Message : null))
            .Append(PostedForms.TextArea("text", "Your message", "The care team reads this when they can: it is not for anything urgent.", draft.Text, draft.Error is { Field: "text" } e2 ? e2.Message : null))
            .Append("<button class=\"nhsuk-button\" type=\"submit\">Send to the team</button></form>")
            .ToString();
    }

    /// <summary>The last 30 days' figures in a sentence, and the way to the page that explains them and asks how the family travels.</summary>
    private static string TimeAndMoneySummaryHtml(string childId, FamilyView view)
    {
        if (view.TimeAndMoney is not { Last30Days: var w }) return "";
        var figures = string.Join(", ", new[]
        {
            $"{FamilyCosts.Hours(w.Hours)} at and getting to appointments",
            w.Money is { } money ? $"{FamilyCosts.Pounds(money)} getting there" : null,
            w.HoursOffWork is { } off ? $"{FamilyCosts.Hours(off)} off work" : null,
        }.OfType<string>());
        return "<h2 id=\"time-and-money\">Your time and money</h2><p class=\"nhsuk-body\" data-time-and-money-summary>" + Encode($"In the last 30 days: about {figures}.") +
            $"</p><p class=\"nhsuk-body\"><a href=\"/family/{Encode(Uri.EscapeDataString(childId))}/time-and-money\">See how this was worked out, and tell us how you get to appointments</a></p>";
    }

    /// <summary>"Your time and money", each figure with how it was worked out (the same estimate the team sees).</summary>
    private static string TimeAndMoneyHtml(FamilyView view)
    {
        if (view.TimeAndMoney is not { } estimate) return "";
        var html = new StringBuilder("<div data-time-and-money>");
        if (view.Travel is null)
            html.Append("<p class=\"nhsuk-body\">Travel time and costs are not counted yet: <a href=\"#getting-there\">tell us how you get to appointments</a>.</p>");
        return html.Append(FamilyCosts.Of(estimate, view.Travel).PeriodsHtml("h2")).Append("</div>").ToString();
    }

    /// <summary>
    /// "Getting to appointments": the family's form, filled in with what they told us before (or what they just typed).
    /// Only the family says it (the journey model refuses anyone else), so anyone else reads it without the form.
    /// </summary>
    private static string GettingThereHtml(HttpContext context, PageShell shell, Caller caller, string childId, FamilyTravel? told, TravelDraft? draft)
    {
        var html = new StringBuilder("<h2 id=\"getting-there\">Getting to appointments</h2>");
        if (caller.Role != CallerRole.Family)
            return html.Append("<p class=\"nhsuk-body\" data-travel-told>").Append(Encode(told is null ? "The family has not told us yet." : FamilyCosts.TravelWords(told)))
                .Append("</p><p class=\"nhsuk-body\">Only the family can change these details.</p>").ToString();
        draft ??= new TravelDraft(
            told is null ? null : told.Mode is { } mode ? ActionCommands.KeyOf(mode) : NotSaying,
            told?.TravelMinutes?.ToString(CultureInfo.InvariantCulture), Money(told?.CostPerTrip), Money(told?.ParkingPerVisit),
            told?.HoursOffWork?.ToString("0.##", CultureInfo.InvariantCulture), Guid.NewGuid().ToString("N"));
        string? ErrorAt(string field) => draft.Error is { } e && e.Field == field ? e.Message : null;
        html.Append("<p class=\"nhsuk-body\">Telling us is up to you, and you can leave out anything. We use it only to work out your time and money above, ")
            .Append("so the team can see what appointments cost your family.</p>");
        if (draft.Error is { } error) html.Append(PostedForms.ErrorSummary(error.Field, error.Message));
        return html.Append("<form method=\"post\" action=\"/family/").Append(Uri.EscapeDataString(childId)).Append("/travel\" novalidate data-getting-there>")
            .Append(shell.AntiforgeryField(context))
            .Append("<input type=\"hidden\" name=\"requestId\" value=\"").Append(Encode(draft.RequestId)).Append("\">")
            .Append(PostedForms.Radios("mode", "How do you usually travel to appointments?", Modes, draft.Mode, ErrorAt("mode")))
            .Append(PostedForms.Input("travelMinutes", "Travel time, one way (minutes)", "text", "off", draft.TravelMinutes, ErrorAt("travelMinutes")))
            .Append(PostedForms.Input("costPerTrip", "Cost per trip: fares or fuel, there and back (£)", "text", "off", draft.CostPerTrip, ErrorAt("costPerTrip")))
            .Append(PostedForms.Input("parkingPerVisit", "Parking per visit (£)", "text", "off", draft.ParkingPerVisit, ErrorAt("parkingPerVisit")))
            .Append(PostedForms.Input("hoursOffWork", "Time off work per appointment (hours)", "text", "off", draft.HoursOffWork, ErrorAt("hoursOffWork")))
            .Append("<button class=\"nhsuk-button\" type=\"submit\">Save travel details</button></form>")
            .ToString();

        static string? Money(decimal? pounds) => pounds?.ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static string CareTeamLooksHtml(string childName, ImmutableArray<CareTeamLook> looks) =>
        $"<h2>Who in the care team has looked at {Encode(childName)}'s record</h2>" +
        "<p class=\"nhsuk-body\">In the last 30 days. Ask your child's care coordinator if you have a question about who has looked.</p>" +
        (looks.IsEmpty
            ? "<p class=\"nhsuk-body\" data-care-team-looks>Nobody in the care team has looked in the last 30 days.</p>"
            : "<ul class=\"nhsuk-list\" data-care-team-looks>" + string.Concat(looks.Select(l =>
                $"<li>{Encode(l.Name)}, {Encode(l.Role)}: last looked {Encode(UkCalendar.Describe(UkCalendar.DateOf(l.LastLooked)))}</li>")) + "</ul>");

    /// <summary>The care team's looks since <paramref name="since"/>, reading the trail back page by page (at most 5,000 entries).</summary>
    private static async Task<ImmutableArray<CareTeamLook>> CareTeamLooksAsync(IGrainFactory grains, string childId, DateTimeOffset since)
    {
        var trail = grains.GetGrain<IAuditGrain>($"child/{childId}");
        var entries = new List<AuditEntry>();
        int? before = null;
        for (var page = 0; page < 10; page++)
        {
            var recent = await trail.GetRecent(AuditGrain.MaxPage, before);
            entries.AddRange(recent.Entries);
            var oldest = (before ?? recent.Total + 1) - recent.Entries.Length;
            if (recent.Entries.IsEmpty || recent.Entries[^1].At < since || oldest <= 1) break;
            before = oldest;
        }
        return CareTeamLooks.Since(entries, since);
    }
}

/// <summary>The family's journey as data (for hub clients) and as the page shows it (swapped in by the page's script).</summary>
/// <remarks>Only the HTML and its time: the page needs no more, and on a slow link every byte of the family's page counts.</remarks>
public sealed record FamilyLiveView(DateTimeOffset AsOf, string Html);
