using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using CareTwin.Grains.Access;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Grains.Meetings;
using CareTwin.Grains.Services;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using CareTwin.Web.Hosting;
using CareTwin.Web.Live;
using CareTwin.Web.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Pages;

/// <summary>
/// MDT meeting mode, server-rendered: a coordinator opens a meeting for a board, runs its agenda (reorders, adds a
/// child, records actions against each child) and closes it; the minutes print per child. Every form posts without
/// JavaScript (anti-forgery checked, post/redirect/get) and a refusal re-shows the page with the field named. Each
/// request asks the access gate first; agency staff attending see the meeting as the policy shapes it for them, kept
/// current by the page's script.
/// </summary>
internal static class MeetingPages
{
    public static void MapMeetingPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/meetings/new", NewAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/meetings/new", OpenAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapGet("/meetings/{meetingId}", ShowAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapGet("/meetings/{meetingId}/minutes", MinutesAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/meetings/{meetingId}/attendees", AddAttendeeAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/meetings/{meetingId}/agenda", ChangeAgendaAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/meetings/{meetingId}/children/{childId}/actions", CaptureAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
        app.MapPost("/meetings/{meetingId}/close", CloseAsync).RequireRateLimiting(PageEndpoints.ViewsPolicy);
    }

    /// <summary>The kinds of action a meeting records from this page, as the chair reads them.</summary>
    private static readonly (string Value, string Text)[] Kinds =
    [
        ("decision", "A decision"),
        ("resolve", "Resolve a blocker"),
        ("target", "Set a blocker's target date"),
        ("raise", "Raise a blocker"),
        ("reassign", "Reassign a blocker to another service"),
        ("escalate", "Escalate a blocker"),
        ("appointment", "Book an appointment"),
    ];

    /// <summary>A refusal to show on the page: the field it is about (an id on the page) and what to do.</summary>
    private sealed record Problem(string Field, string Message);

    private sealed record Services(ServiceDirectorySnapshot Directory)
    {
        public IReadOnlyList<(string Value, string Text)> Choices =>
            [.. Directory.Profiles.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (p.Key.Value, p.Name))];
    }

    private static async Task<Services> DirectoryAsync(IGrainFactory grains) =>
        new(await grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory());

    // ---- Opening a meeting ----

    private static async Task<IResult> NewAsync(HttpContext context, AccessGate gate, PageShell shell, IOptions<WebOptions> options, IGrainFactory grains, string? board) =>
        await NewFormAsync(context, gate, shell, options, grains, Guid.NewGuid().ToString("N"), board, [], null, null);

    private static async Task<IResult> NewFormAsync(HttpContext context, AccessGate gate, PageShell shell, IOptions<WebOptions> options, IGrainFactory grains,
        string meetingId, string? board, IReadOnlyCollection<string> ticked, string? attendees, Problem? problem)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (problem is null && !(await gate.ForMeetingAsync(caller, AccessAction.RunMeeting, meetingId, PageEndpoints.Channel(context), "NewMeeting")).Allowed)
            return PageEndpoints.Denied(shell, context, caller);
        var boards = options.Value.Boards;
        var services = await DirectoryAsync(grains);
        var body = new StringBuilder("<h1 id=\"page-heading\">Run an MDT meeting</h1>");
        if (problem is not null) body.Append(PostedForms.ErrorSummary(problem.Field, problem.Message));
        body.Append("<p class=\"nhsuk-body\">").Append(Encode($"The meeting is held today, {UkCalendar.Describe(UkCalendar.DateOf(DateTimeOffset.UtcNow))}. Its agenda is built from the board's children as it opens: most days delayed first."))
            .Append("</p><form method=\"post\" action=\"/meetings/new\" novalidate>").Append(shell.AntiforgeryField(context))
            .Append("<input type=\"hidden\" name=\"meetingId\" value=\"").Append(Encode(meetingId)).Append("\">")
            .Append(PostedForms.Select("board", "Board", [.. boards.Select(b => (b.Key, b.Title))], board ?? boards.FirstOrDefault()?.Key, Error(problem, "board")))
            .Append(PostedForms.Checkboxes("services", "For some services only (optional)",
                "Tick the services the meeting is for: the agenda then holds only the board's children with a blocker one of them owns. Tick none for the whole board.",
                services.Choices, ticked, Error(problem, "services")))
            .Append(PostedForms.TextArea("attendees", "Who else is attending", "One person a line. Add their service after a comma, as the directory names it: Callum Reid, Eastmarsh Council housing team. You chair the meeting.",
                attendees, Error(problem, "attendees"), rows: 5))
            .Append("<button class=\"nhsuk-button\" type=\"submit\">Open the meeting</button></form>");
        return shell.Render(context, caller, new PageContent("Run an MDT meeting", null, new Dictionary<string, string>(), body.ToString(), problem is null ? 200 : 400));
    }

    private static async Task<IResult> OpenAsync(HttpContext context, AccessGate gate, PageShell shell, IOptions<WebOptions> options, IGrainFactory grains)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (await PostedForms.ReadAsync(context) is not { } form) return PostedForms.Expired(context, shell);
        var meetingId = form["meetingId"].ToString();
        if (KeyRules.Identifier(meetingId, "meetingId") is not null) return PostedForms.Expired(context, shell);
        var (board, lines) = (form["board"].ToString(), form["attendees"].ToString());
        string[] ticked = [.. form["services"].OfType<string>().Where(s => s.Length > 0).Distinct()];
        if (!(await gate.ForMeetingAsync(caller, AccessAction.RunMeeting, meetingId, PageEndpoints.Channel(context), "OpenMeeting")).Allowed)
            return PageEndpoints.Denied(shell, context, caller);
        Task<IResult> Again(string field, string message) => NewFormAsync(context, gate, shell, options, grains, meetingId, board, ticked, lines, new Problem(field, message));
        if (!options.Value.Boards.Any(b => b.Key == board)) return await Again("board", "Choose the board the meeting is for.");
        var services = await DirectoryAsync(grains);
        if (ticked.Any(key => !ServiceKey.TryParse(key, out var known) || !services.Directory.Profiles.ContainsKey(known)))
            return await Again("services", "Choose the services from the list.");
        var (attendees, badLine) = Attendees(lines, services.Directory);
        if (badLine is not null) return await Again("attendees", badLine);
        var opened = await grains.GetGrain<IMeetingGrain>(meetingId).Open(new OpenMeeting(board, [.. ticked], caller.ToActor(), attendees));
        // Sent twice (a double click): the meeting opened the first time, so go to it.
        if (opened.Refusal is { } refusal && !(refusal.Field == "meetingId" && refusal.Kind == RefusalKind.FailedPrecondition))
            return await Again(refusal.Field.StartsWith("attendees", StringComparison.Ordinal) ? "attendees"
                : refusal.Field.StartsWith("services", StringComparison.Ordinal) ? "services" : "board", refusal.Message);
        return Results.Redirect(MeetingAddress(meetingId));
    }

    /// <summary>"Name" or "Name, service name" a line; the service as the directory names it (or its key).</summary>
    private static (ImmutableArray<MeetingAttendee> Attendees, string? Problem) Attendees(string text, ServiceDirectorySnapshot directory)
    {
        var attendees = new List<MeetingAttendee>();
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)))
        {
            var comma = line.IndexOf(',');
            var name = (comma < 0 ? line : line[..comma]).Trim();
            var serviceName = comma < 0 ? null : line[(comma + 1)..].Trim();
            if (name.Length == 0) return ([], $"Line {number}: enter the attendee's name before the comma.");
            ServiceKey? service = null;
            if (!string.IsNullOrEmpty(serviceName))
            {
                service = ServiceOf(serviceName, directory);
                if (service is null) return ([], $"Line {number}: no service in the directory is called “{serviceName}”.");
            }
            attendees.Add(new MeetingAttendee(name, service));
        }
        return ([.. attendees], null);
    }

    private static ServiceKey? ServiceOf(string? nameOrKey, ServiceDirectorySnapshot directory) =>
        directory.Profiles.Values.FirstOrDefault(p => string.Equals(p.Name, nameOrKey, StringComparison.OrdinalIgnoreCase) || p.Key.Value == nameOrKey)?.Key;

    // ---- The meeting ----

    private static Task<IResult> ShowAsync(HttpContext context, string meetingId, AccessGate gate, PageShell shell, IGrainFactory grains) =>
        RenderAsync(context, meetingId, gate, shell, grains, null, null);

    private static async Task<IResult> RenderAsync(HttpContext context, string meetingId, AccessGate gate, PageShell shell, IGrainFactory grains, Problem? problem, string? problemChild,
        IFormCollection? posted = null)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (KeyRules.Identifier(meetingId, "meetingId") is not null) return PageEndpoints.NotFound(shell, context, caller);
        var access = await gate.ForMeetingAsync(caller, AccessAction.ViewMeeting, meetingId, PageEndpoints.Channel(context));
        if (!access.Allowed) return PageEndpoints.Denied(shell, context, caller);
        if (access.Meeting is not { } meeting) return PageEndpoints.NotFound(shell, context, caller);
        var services = await DirectoryAsync(grains);
        var chairs = caller.Role == CallerRole.Coordinator && !meeting.IsClosed;

        var body = new StringBuilder(16 * 1024);
        body.Append("<span class=\"nhsuk-caption-l\">").Append(Encode(BoardTitle(context, meeting, services.Directory))).Append("</span><h1 id=\"page-heading\">").Append(Encode(MeetingHtml.Title(meeting))).Append("</h1>");
        if (problem is not null) body.Append(PostedForms.ErrorSummary(problem.Field, problem.Message));
        else if (context.Request.Query["done"].ToString() is { Length: > 0 } done && Done(done) is { } confirmation)
            body.Append("<div id=\"confirmation\">").Append(PostedForms.Confirmation(confirmation, "Everyone attending sees it now.")).Append("</div>");
        body.Append(PageEndpoints.LiveStatus);
        body.Append("<div id=\"meeting-root\"").Append(chairs ? "" : " data-live-whole").Append('>');
        body.Append(MeetingHtml.Live(meeting, services.Directory, chairs
            ? (item, place) => ItemControls(context, shell, meeting, item, place, services, problemChild == item.ChildId ? problem : null, posted)
            : null));
        body.Append("</div>");
        if (chairs) body.Append(MeetingControls(context, shell, meeting, services, await AddableAsync(grains, meeting), problemChild is null ? problem : null));
        body.Append("<p class=\"nhsuk-body\"><a href=\"").Append(MeetingAddress(meeting.MeetingId)).Append("/minutes\">").Append(meeting.IsClosed ? "Read the minutes" : "See the minutes so far").Append("</a></p>");
        return shell.Render(context, caller, new PageContent(MeetingHtml.Title(meeting), "meeting", new Dictionary<string, string> { ["meeting"] = meeting.MeetingId, ["meeting-topic"] = LiveTopic.Meeting(meeting.MeetingId, caller).Group }, body.ToString(),
            problem is null ? 200 : 400));
    }

    /// <summary>"Royal Thamesbank Hospital", and for a meeting of some services "…, for Eastmarsh Council housing team and …".</summary>
    private static string BoardTitle(HttpContext context, Meeting meeting, IServiceDirectory services)
    {
        var board = context.RequestServices.GetService(typeof(IOptions<WebOptions>)) is IOptions<WebOptions> options && options.Value.Boards.FirstOrDefault(b => b.Key == meeting.Scope.Board) is { } known
            ? known.Title
            : "MDT meeting";
        string[] names = meeting.Scope.Services.IsDefaultOrEmpty ? [] : [.. meeting.Scope.Services.Select(services.NameOf)];
        return names.Length == 0 ? board : $"{board}, for {(names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " and " + names[^1])}";
    }

    private static string? Done(string done) => done switch
    {
        "action" => "Action recorded",
        "moved" => "Agenda reordered",
        "added" => "Child added to the agenda",
        "attendee" => "Attendee added",
        _ => null,
    };

    /// <summary>The board's children not on the agenda yet, by name, for "add a child".</summary>
    private static async Task<IReadOnlyList<(string Value, string Text)>> AddableAsync(IGrainFactory grains, Meeting meeting)
    {
        if (!BoardKey.TryParse(meeting.Scope.Board, out var board)) return [];
        var rows = (await grains.GetGrain<IBoardGrain>(board.ToString()).GetSnapshot()).Summary.Rows.Values;
        return [.. rows.Where(r => !r.IsDischarged && meeting.FindOnAgenda(r.ChildId) is null).OrderBy(r => r.ChildName, StringComparer.OrdinalIgnoreCase).Select(r => (r.ChildId, r.ChildName))];
    }

    /// <summary>The chair's forms for one child: move up or down, and record an action.</summary>
    private static string ItemControls(HttpContext context, PageShell shell, Meeting meeting, AgendaItem item, int place, Services services, Problem? problem, IFormCollection? posted)
    {
        var id = item.ChildId;
        string? Value(string field) => problem is null ? null : posted?[field].ToString();
        var html = new StringBuilder();
        if (meeting.Agenda.Length > 1)
        {
            html.Append("<form method=\"post\" action=\"").Append(MeetingAddress(meeting.MeetingId)).Append("/agenda\" class=\"app-agenda__move\">").Append(shell.AntiforgeryField(context))
                .Append("<input type=\"hidden\" name=\"childId\" value=\"").Append(Encode(id)).Append("\">");
            if (place > 1)
                html.Append("<button class=\"nhsuk-button nhsuk-button--secondary nhsuk-button--small\" type=\"submit\" name=\"position\" value=\"").Append(place - 1)
                    .Append("\">Move up<span class=\"nhsuk-u-visually-hidden\"> ").Append(Encode(item.ChildName)).Append("</span></button> ");
            if (place < meeting.Agenda.Length)
                html.Append("<button class=\"nhsuk-button nhsuk-button--secondary nhsuk-button--small\" type=\"submit\" name=\"position\" value=\"").Append(place + 1)
                    .Append("\">Move down<span class=\"nhsuk-u-visually-hidden\"> ").Append(Encode(item.ChildName)).Append("</span></button>");
            html.Append("</form>");
        }
        var blockers = item.Blockers.Select(b => (b.BlockerId, $"{BlockerCategories.Title(b.Category)}: {services.Directory.NameOf(b.OwningService)}")).ToList();
        html.Append("<details class=\"nhsuk-details\"").Append(problem is null ? "" : " open").Append("><summary class=\"nhsuk-details__summary\"><span class=\"nhsuk-details__summary-text\">Record an action for ")
            .Append(Encode(item.ChildName)).Append("</span></summary><div class=\"nhsuk-details__text\">")
            .Append("<form method=\"post\" action=\"").Append(MeetingAddress(meeting.MeetingId)).Append("/children/").Append(Encode(Uri.EscapeDataString(id))).Append("/actions\" novalidate data-action-form=\"").Append(Encode(id)).Append("\">")
            .Append(shell.AntiforgeryField(context))
            .Append("<input type=\"hidden\" name=\"requestId\" value=\"").Append(Guid.NewGuid().ToString("N")).Append("\">")
            .Append(PostedForms.Radios("kind", "What was agreed", Kinds, Value("kind"), Error(problem, $"kind-{id}"), id: $"kind-{id}"))
            .Append(PostedForms.TextArea($"text-{id}", "The decision, or what is in the way", "For a decision: what was decided. For a new blocker: what is in the way. To escalate or reassign: why. For a resolved blocker: a note (optional).",
                Value("text"), Error(problem, $"text-{id}"), rows: 3, name: "text"))
            .Append(PostedForms.Select($"blockerId-{id}", "Blocker", blockers, Value("blockerId"), Error(problem, $"blockerId-{id}"), name: "blockerId", hint: "To resolve, reassign, escalate or give a new target date."))
            .Append(PostedForms.Select($"owningService-{id}", "Owned by", services.Choices, Value("owningService"), Error(problem, $"owningService-{id}"), name: "owningService",
                hint: "The service that carries out a decision, owns a new blocker, takes a reassigned one or holds the appointment."))
            .Append(PostedForms.Select($"category-{id}", "Kind of blocker", [.. Enum.GetValues<BlockerCategory>().Select(c => (ActionCommands.KeyOf(c), BlockerCategories.Title(c)))],
                Value("category"), Error(problem, $"category-{id}"), name: "category", hint: "For a new blocker."))
            .Append(PostedForms.Input($"targetDate-{id}", "Target date", "date", "off", Value("targetDate"), Error(problem, $"targetDate-{id}"), name: "targetDate"))
            .Append("<fieldset class=\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">For an appointment</legend>")
            .Append(PostedForms.Input($"start-{id}", "Date and time", "datetime-local", "off", Value("start"), Error(problem, $"start-{id}"), name: "start"))
            .Append(PostedForms.Input($"duration-{id}", "How long, in minutes", "number", "off", Value("duration") ?? "60", Error(problem, $"duration-{id}"), name: "duration"))
            .Append(PostedForms.Input($"place-{id}", "Where", "text", "off", Value("place"), Error(problem, $"place-{id}"), name: "place"))
            .Append(PostedForms.Input($"purpose-{id}", "What it is for", "text", "off", Value("purpose"), Error(problem, $"purpose-{id}"), name: "purpose"))
            .Append("</fieldset>")
            .Append("<button class=\"nhsuk-button\" type=\"submit\">Record the action<span class=\"nhsuk-u-visually-hidden\"> for ").Append(Encode(item.ChildName)).Append("</span></button></form></div></details>");
        return html.ToString();
    }

    /// <summary>The chair's forms for the whole meeting: add a child, add an attendee, close.</summary>
    private static string MeetingControls(HttpContext context, PageShell shell, Meeting meeting, Services services, IReadOnlyList<(string Value, string Text)> addable, Problem? problem)
    {
        var address = MeetingAddress(meeting.MeetingId);
        return new StringBuilder("<h2 id=\"run-the-meeting\">Run the meeting</h2>")
            .Append("<form method=\"post\" action=\"").Append(address).Append("/agenda\" novalidate>").Append(shell.AntiforgeryField(context))
            .Append(PostedForms.Select("childId", "Add a child to the agenda", addable, null, Error(problem, "childId")))
            .Append("<button class=\"nhsuk-button nhsuk-button--secondary\" type=\"submit\" name=\"add\" value=\"true\">Add to the agenda</button></form>")
            .Append("<form method=\"post\" action=\"").Append(address).Append("/attendees\" novalidate>").Append(shell.AntiforgeryField(context))
            .Append(PostedForms.Input("name", "Attendee's name", "text", "off", null, Error(problem, "name")))
            .Append(PostedForms.Select("service", "Their service (optional)", services.Choices, null, Error(problem, "service")))
            .Append("<button class=\"nhsuk-button nhsuk-button--secondary\" type=\"submit\">Add the attendee</button></form>")
            .Append("<form method=\"post\" action=\"").Append(address).Append("/close\" novalidate>").Append(shell.AntiforgeryField(context))
            .Append("<button class=\"nhsuk-button nhsuk-button--warning\" type=\"submit\" data-close-meeting>Close the meeting</button></form>")
            .ToString();
    }

    // ---- Changes (the chair) ----

    /// <summary>Reads a chair's post: the form, and whether they may run the meeting (asked of the gate, audited with what they did).</summary>
    private static async Task<(IFormCollection? Form, IResult? Stop)> ChairPostAsync(HttpContext context, string meetingId, AccessGate gate, PageShell shell, string detail)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (await PostedForms.ReadAsync(context) is not { } form || KeyRules.Identifier(meetingId, "meetingId") is not null) return (null, PostedForms.Expired(context, shell));
        var access = await gate.ForMeetingAsync(caller, AccessAction.RunMeeting, meetingId, PageEndpoints.Channel(context), detail);
        if (!access.Allowed) return (null, PageEndpoints.Denied(shell, context, caller));
        if (access.Meeting is null) return (null, PageEndpoints.NotFound(shell, context, caller));
        return (form, null);
    }

    private static async Task<IResult> AddAttendeeAsync(HttpContext context, string meetingId, AccessGate gate, PageShell shell, IGrainFactory grains)
    {
        var (form, stop) = await ChairPostAsync(context, meetingId, gate, shell, "AddAttendee");
        if (stop is not null) return stop;
        var service = form!["service"].ToString();
        var changed = await grains.GetGrain<IMeetingGrain>(meetingId).AddAttendee(new AddAttendee(form["name"].ToString(), service.Length == 0 ? null : service));
        return changed.Refusal is { } refusal
            ? await RenderAsync(context, meetingId, gate, shell, grains, new Problem(refusal.Field == "service" ? "service" : "name", refusal.Message), null)
            : Results.Redirect(MeetingAddress(meetingId) + "?done=attendee");
    }

    /// <summary>Moves a child up or down (position), or adds a child (add).</summary>
    private static async Task<IResult> ChangeAgendaAsync(HttpContext context, string meetingId, AccessGate gate, PageShell shell, IGrainFactory grains)
    {
        var (form, stop) = await ChairPostAsync(context, meetingId, gate, shell, "ChangeAgenda");
        if (stop is not null) return stop;
        var childId = form!["childId"].ToString();
        var meeting = grains.GetGrain<IMeetingGrain>(meetingId);
        if (form["add"].ToString() == "true")
        {
            if (childId.Length == 0) return await RenderAsync(context, meetingId, gate, shell, grains, new Problem("childId", "Choose the child to add to the agenda."), null);
            var added = await meeting.AddChild(new AddChildToAgenda(childId));
            return added.Refusal is { } notAdded
                ? await RenderAsync(context, meetingId, gate, shell, grains, notAdded.Field == "meetingId" ? new Problem(MeetingField, $"Meeting: {notAdded.Message}") : new Problem("childId", notAdded.Message), null)
                : Results.Redirect(MeetingAddress(meetingId) + "?done=added");
        }
        var position = int.TryParse(form["position"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var moved = await meeting.MoveAgendaItem(new MoveAgendaItem(childId, position));
        return moved.Refusal is { } notMoved
            ? await RenderAsync(context, meetingId, gate, shell, grains, notMoved.Field == "meetingId" ? new Problem(MeetingField, $"Meeting: {notMoved.Message}") : new Problem("agenda", $"Agenda: {notMoved.Message}"), null)
            : Results.Redirect(MeetingAddress(meetingId) + "?done=moved#child-" + Uri.EscapeDataString(childId));
    }

    private static async Task<IResult> CaptureAsync(HttpContext context, string meetingId, string childId, AccessGate gate, PageShell shell, IGrainFactory grains, TimeProvider clock)
    {
        var (form, stop) = await ChairPostAsync(context, meetingId, gate, shell, "CaptureAction");
        if (stop is not null) return stop;
        var caller = PageEndpoints.CallerOf(context);
        var requestId = form!["requestId"].ToString();
        if (KeyRules.Identifier(childId, "childId") is not null || KeyRules.Identifier(requestId, "requestId") is not null) return PostedForms.Expired(context, shell);
        var meeting = grains.GetGrain<IMeetingGrain>(meetingId);
        Task<IResult> Again(string field, string message) =>
            RenderAsync(context, meetingId, gate, shell, grains, new Problem(field, message), field is "agenda" or MeetingField ? null : childId, form);
        // An action for a child who is not (or no longer) on the agenda, or once the meeting has closed, is refused before anything is sent.
        var current = await meeting.GetMeeting();
        if (current is { IsClosed: true }) return await Again(MeetingField, $"Meeting: {MeetingRules.AlreadyClosed.Message}");
        if (current?.FindOnAgenda(childId) is null) return await Again("agenda", $"Child: {MeetingRules.NotOnAgenda.Message} Add them to the agenda first.");

        var origin = new CommandOrigin(caller.ToActor(), JourneyHub.SourceSystem, ActionCommands.ExternalIdOf(caller, requestId));
        var (command, problem) = await CommandAsync(form, origin, childId, grains, clock);
        if (problem is not null) return await Again($"{problem.Field}-{childId}", problem.Message);
        // The child's own trail records the change, as any other change to the child is.
        var child = await gate.ForChildAsync(caller, AccessAction.ChangeChild, childId, PageEndpoints.Channel(context), command, $"{command!.GetType().Name} at meeting {meetingId}");
        if (!child.Allowed) return PageEndpoints.Denied(shell, context, caller);
        var outcome = await meeting.CaptureAction(new CaptureAction(childId, command));
        if (outcome is { Kind: OutcomeKind.Refused, Refusal: { } refusal })
            return await (refusal.Field switch
            {
                "meetingId" => Again(MeetingField, $"Meeting: {refusal.Message}"),
                "childId" => Again("agenda", $"Child: {refusal.Message}"),
                _ => Again($"{FieldOnForm(refusal.Field)}-{childId}", refusal.Message),
            });
        return Results.Redirect(MeetingAddress(meetingId) + "?done=action#child-" + Uri.EscapeDataString(childId));
    }

    /// <summary>The form's field a child's refusal is about.</summary>
    private static string FieldOnForm(string field) => field switch
    {
        "decision" or "professionalText" or "note" or "familyText" or "reason" => "text",
        "blockerId" or "targetDate" or "owningService" or "category" or "start" or "duration" or "place" or "purpose" => field,
        // The appointment's service is chosen in the same list as a blocker's owner.
        "service" => "owningService",
        _ => "kind",
    };

    /// <summary>The command the chosen action sends the child; or what is missing, naming the field.</summary>
    private static async Task<(JourneyCommand? Command, Problem? Problem)> CommandAsync(IFormCollection form, CommandOrigin origin, string childId, IGrainFactory grains, TimeProvider clock)
    {
        string? Text(string name) => form[name].ToString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
        DateOnly? date = null;
        if (Text("targetDate") is { } given)
        {
            if (!DateOnly.TryParseExact(given, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                return (null, new Problem("targetDate", "Enter the target date as a real date, like 31 December 2026."));
            date = parsed;
        }
        switch (form["kind"].ToString())
        {
            case "decision":
                if (Text("text") is not { } decision) return (null, new Problem("text", "Enter the decision."));
                return (new RecordMeetingDecision(origin, decision, Text("owningService"), date), null);
            case "resolve":
                if (Text("blockerId") is not { } resolved) return (null, new Problem("blockerId", "Choose the blocker to resolve."));
                return (new ResolveBlocker(origin, resolved, Text("text")), null);
            case "target":
                if (Text("blockerId") is not { } moved) return (null, new Problem("blockerId", "Choose the blocker to give a new target date."));
                if (date is null) return (null, new Problem("targetDate", "Enter the new target date."));
                return (new UpdateBlockerProgress(origin, moved, TargetDate: date), null);
            case "raise":
                var category = Enum.GetValues<BlockerCategory>().Where(c => ActionCommands.KeyOf(c) == form["category"].ToString()).Cast<BlockerCategory?>().FirstOrDefault();
                if (category is null) return (null, new Problem("category", "Choose the kind of blocker."));
                if (Text("owningService") is not { } owner) return (null, new Problem("owningService", "Choose the service that owns the blocker."));
                if (Text("text") is not { } inTheWay) return (null, new Problem("text", "Enter what is in the way."));
                if (date is null) return (null, new Problem("targetDate", "Enter the blocker's target date."));
                var transition = (await grains.GetGrain<IChildGrain>(childId).GetJourney())?.CurrentTransition();
                if (transition is null) return (null, new Problem("kind", "This child has no journey under way to raise a blocker on."));
                return (new RaiseBlocker(origin, transition.Id, category.Value, owner, null, inTheWay, null, date.Value), null);
            case "reassign":
                if (Text("blockerId") is not { } reassigned) return (null, new Problem("blockerId", "Choose the blocker to reassign."));
                if (Text("owningService") is not { } to) return (null, new Problem("owningService", "Choose the service it goes to."));
                return (new ReassignBlocker(origin, reassigned, to, null, Text("text") ?? "Agreed at the MDT."), null);
            case "escalate":
                if (Text("blockerId") is not { } escalated) return (null, new Problem("blockerId", "Choose the blocker to escalate."));
                if (Text("text") is not { } why) return (null, new Problem("text", "Enter why it is escalated."));
                return (new EscalateBlocker(origin, escalated, why), null);
            case "appointment":
                if (Text("owningService") is not { } bookedWith) return (null, new Problem("owningService", "Choose the service the appointment is with."));
                if (Text("start") is not { } startText) return (null, new Problem("start", "Enter the appointment's date and time."));
                if (!DateTime.TryParseExact(startText, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
                    return (null, new Problem("start", "Enter the appointment's date and time as a real date and time, like 19 December 2026 10:30."));
                if (!int.TryParse(Text("duration"), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
                    return (null, new Problem("duration", "Enter how long the appointment is, in whole minutes, like 60."));
                if (Text("place") is not { } place) return (null, new Problem("place", "Enter where the appointment is."));
                if (Text("purpose") is not { } purpose) return (null, new Problem("purpose", "Enter what the appointment is for."));
                // Typed as the UK clock reads; the child's rules check the service, the time, the length and the words.
                var start = UkCalendar.At(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
                return (new BookAppointment(origin, bookedWith, start, TimeSpan.FromMinutes(minutes), place, purpose), null);
            default:
                return (null, new Problem("kind", "Choose what was agreed."));
        }
    }

    private static async Task<IResult> CloseAsync(HttpContext context, string meetingId, AccessGate gate, PageShell shell, IGrainFactory grains)
    {
        var (_, stop) = await ChairPostAsync(context, meetingId, gate, shell, "CloseMeeting");
        if (stop is not null) return stop;
        var closed = await grains.GetGrain<IMeetingGrain>(meetingId).Close(new CloseMeeting(PageEndpoints.CallerOf(context).ToActor()));
        return closed.Refusal is { } refusal
            ? await RenderAsync(context, meetingId, gate, shell, grains, new Problem(MeetingField, $"Meeting: {refusal.Message}"), null)
            : Results.Redirect(MeetingAddress(meetingId) + "/minutes");
    }

    // ---- Minutes ----

    private static async Task<IResult> MinutesAsync(HttpContext context, string meetingId, AccessGate gate, PageShell shell, IGrainFactory grains)
    {
        var caller = PageEndpoints.CallerOf(context);
        if (KeyRules.Identifier(meetingId, "meetingId") is not null) return PageEndpoints.NotFound(shell, context, caller);
        var access = await gate.ForMeetingAsync(caller, AccessAction.ViewMeeting, meetingId, PageEndpoints.Channel(context), "Minutes");
        if (!access.Allowed) return PageEndpoints.Denied(shell, context, caller);
        if (access.Meeting is not { } meeting) return PageEndpoints.NotFound(shell, context, caller);
        var services = await DirectoryAsync(grains);
        var title = $"Minutes of the {MeetingHtml.Title(meeting)}";
        var body = $"<span class=\"nhsuk-caption-l\">{Encode(BoardTitle(context, meeting, services.Directory))}</span><h1 id=\"page-heading\">{Encode(title)}</h1>" +
                   $"<div id=\"minutes-root\" class=\"app-minutes-page\">{MeetingHtml.Minutes(meeting, services.Directory)}</div>" +
                   $"<p class=\"nhsuk-body app-no-print\"><a href=\"{MeetingAddress(meeting.MeetingId)}\">Back to the meeting</a></p>";
        return shell.Render(context, caller, new PageContent(title, null, new Dictionary<string, string>(), body, WholeOnServer: true));
    }

    internal static string MeetingAddress(string meetingId) => "/meetings/" + Encode(Uri.EscapeDataString(meetingId));

    /// <summary>Where a refusal about the meeting as a whole (closed, not opened) points: the meeting's live part.</summary>
    private const string MeetingField = "meeting-root";

    private static string? Error(Problem? problem, string field) => problem?.Field == field ? problem.Message : null;

    /// <summary>The actions each meeting gave this service, newest meeting first (the agency view's list).</summary>
    internal static async Task<string> AgencyActionsHtmlAsync(IGrainFactory grains, ServiceKey service, ImmutableArray<string> audience)
    {
        var ids = await grains.GetGrain<IServiceMeetingsGrain>(service.Value).GetMeetingIds();
        var meetings = (await Task.WhenAll(ids.Take(20).Select(id => grains.GetGrain<IMeetingGrain>(id).GetMeeting())))
            .OfType<Meeting>().Select(m => AccessPolicy.MeetingAsSeenBy(audience, m)).ToList();
        var services = await DirectoryAsync(grains);
        return MeetingHtml.ForAgency(meetings.Select(m => MeetingMinutes.ForAgency(m, service)), meetings.ToDictionary(m => m.MeetingId), services.Directory);
    }
}
