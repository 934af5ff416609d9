using System.Globalization;
using System.Text;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Services;
using CareTwin.Journey.Wording;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Views;

/// <summary>
/// An MDT meeting as HTML, for whoever may see it (the meeting is already shaped for them by the access policy):
/// the agenda in order with each child's blockers and owners and the actions agreed so far, the minutes per child,
/// and what one agency took away. The live view is the same HTML, so the page's script only swaps it in.
/// </summary>
public static class MeetingHtml
{
    /// <summary>"MDT meeting, 5 December 2026".</summary>
    public static string Title(Meeting meeting) => $"MDT meeting, {UkCalendar.Describe(meeting.HeldOn)}";

    /// <summary>The meeting's live part: who is here, and the agenda with each child's actions.</summary>
    /// <param name="controls">The chair's forms for an agenda item (its place 1, 2, …); null for those attending.</param>
    public static string Live(Meeting meeting, IServiceDirectory services, Func<AgendaItem, int, string>? controls = null)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append("<h2 id=\"attendees-heading\">Attending</h2><ul class=\"nhsuk-list nhsuk-list--bullet\" data-attendees>");
        foreach (var attendee in meeting.Attendees) html.Append("<li>").Append(Encode(Attendee(attendee, services))).Append("</li>");
        html.Append("</ul>");
        if (meeting.IsClosed)
            html.Append("<p class=\"nhsuk-body\" data-closed>").Append(Encode($"This meeting closed at {UkCalendar.Describe(meeting.ClosedAt!.Value)}.")).Append(' ')
                .Append("<a href=\"/meetings/").Append(Encode(Uri.EscapeDataString(meeting.MeetingId))).Append("/minutes\">Read the minutes</a></p>");
        html.Append("<h2 id=\"agenda\">Agenda</h2>");
        if (meeting.Agenda.IsEmpty) html.Append("<p class=\"nhsuk-body\" data-empty-agenda>No children are on the agenda.</p>");
        html.Append("<ol class=\"app-agenda\" data-agenda>");
        foreach (var (item, place) in meeting.Agenda.Select((item, i) => (item, i + 1)))
        {
            html.Append("<li class=\"app-agenda__item\" data-agenda-item=\"").Append(Encode(item.ChildId)).Append("\"><div class=\"nhsuk-card\"><div class=\"nhsuk-card__content\">")
                .Append("<h3 class=\"nhsuk-card__heading\" id=\"child-").Append(Encode(item.ChildId)).Append("\">")
                .Append("<a href=\"/children/").Append(Encode(Uri.EscapeDataString(item.ChildId))).Append("\">").Append(Encode(item.ChildName)).Append("</a></h3>")
                .Append("<p class=\"nhsuk-body-s\" data-facts>").Append(Encode(Facts(item))).Append("</p>");
            // For staff only: families never see a meeting.
            if (item.FamilyCosts is { } costs) html.Append("<p class=\"nhsuk-body-s\" data-family-costs>").Append(Encode(costs.InWords())).Append("</p>");
            Blockers(html, item, services);
            ActionsFor(html, meeting, item.ChildId, services);
            if (controls is not null) html.Append(controls(item, place));
            html.Append("</div></div></li>");
        }
        return html.Append("</ol>").ToString();
    }

    /// <summary>The minutes, per child in agenda order: attendees, decisions, and actions with owners and dates.</summary>
    public static string Minutes(Meeting meeting, IServiceDirectory services)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append("<p class=\"nhsuk-body\">").Append(Encode(meeting.IsClosed
            ? $"Chaired by {meeting.Chair.DisplayName}. Closed at {UkCalendar.Describe(meeting.ClosedAt!.Value)}."
            : $"Chaired by {meeting.Chair.DisplayName}. The meeting is still open: these minutes may change.")).Append("</p>");
        foreach (var minutes in MeetingMinutes.ForEveryChild(meeting))
        {
            html.Append("<section class=\"app-minutes\" data-minutes=\"").Append(Encode(minutes.ChildId)).Append("\"><h2>").Append(Encode(minutes.ChildName)).Append("</h2>")
                .Append("<p class=\"nhsuk-body-s\"><strong>Attendees:</strong> ").Append(Encode(string.Join("; ", minutes.Attendees.Select(a => Attendee(a, services))))).Append("</p>")
                .Append("<h3>Decisions</h3>");
            List(html, minutes.Decisions, meeting, services, "No decisions recorded.");
            html.Append("<h3>Actions</h3>");
            List(html, minutes.Actions, meeting, services, "No actions agreed.");
            html.Append("</section>");
        }
        return html.ToString();
    }

    /// <summary>What an agency took away from its meetings, newest meeting first; nothing when there is none.</summary>
    public static string ForAgency(IEnumerable<AgencyActions> taken, IReadOnlyDictionary<string, Meeting> meetings, IServiceDirectory services)
    {
        var list = taken.Where(t => !t.Actions.IsEmpty).ToList();
        var html = new StringBuilder("<h2 id=\"mdt-actions\">Actions agreed at MDT meetings</h2><div data-mdt-actions>");
        if (list.Count == 0) return html.Append("<p class=\"nhsuk-body\">No actions from MDT meetings.</p></div>").ToString();
        foreach (var agency in list)
        {
            var meeting = meetings[agency.MeetingId];
            html.Append("<h3>").Append("<a href=\"/meetings/").Append(Encode(Uri.EscapeDataString(meeting.MeetingId))).Append("/minutes\">")
                .Append(Encode(Title(meeting))).Append("</a></h3>");
            List(html, agency.Actions, meeting, services, "", withChild: true);
        }
        return html.Append("</div>").ToString();
    }

    /// <summary>"Priya Shah" or "Callum Reid, Eastmarsh Council housing team".</summary>
    public static string Attendee(MeetingAttendee attendee, IServiceDirectory services) =>
        attendee.Service is { } service ? $"{attendee.Name}, {services.NameOf(service)}" : attendee.Name;

    /// <summary>What was agreed, in words: "Resolved the equipment blocker", "Decision: …".</summary>
    public static string Describe(MeetingAction action, Meeting meeting)
    {
        var blocker = BlockerName(action, meeting);
        var first = action.Recorded.IsDefaultOrEmpty ? null : action.Recorded[0];
        return action.Kind switch
        {
            MeetingActionKind.Decision => $"Decision: {action.Decision}",
            MeetingActionKind.RaiseBlocker => $"Raised {blocker}" + (first is BlockerRaised raised ? $": {raised.ProfessionalText}" : ""),
            MeetingActionKind.ResolveBlocker => $"Resolved {blocker}" + (first is BlockerResolved { Note: { } note } ? $": {note}" : ""),
            MeetingActionKind.ReassignBlocker => $"Reassigned {blocker}",
            MeetingActionKind.EscalateBlocker => $"Escalated {blocker}",
            MeetingActionKind.SetTargetDate => $"New target date for {blocker}",
            _ => first is AppointmentBooked booked
                ? $"Booked an appointment: {booked.Purpose}, {UkCalendar.Describe(booked.Start)} at {booked.Place}"
                : "Booked an appointment",
        };
    }

    /// <summary>Who carries it out and by when: "Eastmarsh Council housing team (Callum Reid), by 31 December 2026".</summary>
    public static string OwnerAndDate(MeetingAction action, IServiceDirectory services)
    {
        var owner = action.Owner is { } service ? services.NameOf(service) + (action.NamedOwner is { } named ? $" ({named})" : "") : "No owner";
        // An appointment is on its day; everything else is due by its date.
        return owner + (action.Date is { } date ? $", {(action.Kind == MeetingActionKind.BookAppointment ? "on" : "by")} {UkCalendar.Describe(date)}" : "");
    }

    private static void List(StringBuilder html, IEnumerable<MeetingAction> actions, Meeting meeting, IServiceDirectory services, string none, bool withChild = false)
    {
        var list = actions.ToList();
        if (list.Count == 0)
        {
            if (none.Length > 0) html.Append("<p class=\"nhsuk-body-s\">").Append(Encode(none)).Append("</p>");
            return;
        }
        html.Append("<ol class=\"nhsuk-list app-meeting-actions\">");
        foreach (var action in list)
        {
            html.Append("<li data-action=\"").Append(action.Number.ToString(CultureInfo.InvariantCulture)).Append("\">");
            if (withChild && meeting.FindOnAgenda(action.ChildId) is { } item)
                html.Append("<a href=\"/children/").Append(Encode(Uri.EscapeDataString(item.ChildId))).Append("\">").Append(Encode(item.ChildName)).Append("</a>: ");
            html.Append(Encode(Describe(action, meeting))).Append("<br><span class=\"nhsuk-body-s\">").Append(Encode(OwnerAndDate(action, services))).Append("</span></li>");
        }
        html.Append("</ol>");
    }

    private static void ActionsFor(StringBuilder html, Meeting meeting, string childId, IServiceDirectory services)
    {
        html.Append("<h4 class=\"nhsuk-heading-xs\">Agreed at this meeting</h4><div data-actions-for=\"").Append(Encode(childId)).Append("\">");
        List(html, meeting.Actions.Where(a => a.ChildId == childId), meeting, services, "Nothing agreed yet.");
        html.Append("</div>");
    }

    private static void Blockers(StringBuilder html, AgendaItem item, IServiceDirectory services)
    {
        if (item.Blockers.IsEmpty)
        {
            html.Append("<p class=\"nhsuk-body-s\">No open blockers.</p>");
            return;
        }
        html.Append("<ul class=\"nhsuk-list app-agenda__blockers\">");
        foreach (var b in item.Blockers)
        {
            html.Append("<li data-agenda-blocker=\"").Append(Encode(b.BlockerId)).Append("\"><strong>").Append(Encode(BlockerCategories.Title(b.Category))).Append("</strong>")
                .Append(b.Sensitive ? " (sensitive)" : "").Append(": ").Append(Encode(services.NameOf(b.OwningService)))
                .Append(b.NamedOwner is { } named ? Encode($" ({named})") : "")
                .Append("<br><span class=\"nhsuk-body-s\">").Append(Encode($"{b.ProfessionalText}. Target {UkCalendar.Describe(b.TargetDate)}; SLA due {UkCalendar.Describe(b.SlaDueDate)}"))
                .Append(b.SlaBreached ? " " + StaffPageHtml.Tag("red", "SLA breached") : "")
                .Append(b.AwaitingAcknowledgement ? " " + StaffPageHtml.Tag("orange", "Escalation waiting") : "").Append("</span></li>");
        }
        html.Append("</ul>");
    }

    private static string Facts(AgendaItem item) => string.Join("; ", new[]
    {
        item.StageTitle,
        item.DaysDelayed > 0 ? Quantity.Of(item.DaysDelayed, "day delayed", "days delayed") : "not delayed",
        Quantity.Of(item.SlaBreaches, "SLA breached", "SLAs breached"),
        Quantity.Of(item.AwaitingAcknowledgement, "escalation waiting", "escalations waiting"),
        Quantity.Of(item.FamilyConcerns, "family concern", "family concerns"),
        // The family's oldest worry nobody has answered, so the meeting can answer it.
        item.OldestUnansweredConcern is { } flagged ? $"a family concern unanswered since {UkCalendar.Describe(UkCalendar.DateOf(flagged))}" : null,
        item.AddedDuringMeeting ? "added during the meeting" : null,
    }.OfType<string>()) + ".";


    /// <summary>"the equipment blocker": from the agenda, or from what the action itself raised.</summary>
    private static string BlockerName(MeetingAction action, Meeting meeting)
    {
        var category = meeting.FindOnAgenda(action.ChildId)?.Blockers.FirstOrDefault(b => b.BlockerId == action.BlockerId)?.Category
            ?? meeting.Actions.SelectMany(a => a.Recorded.IsDefault ? [] : a.Recorded).OfType<BlockerRaised>()
                .FirstOrDefault(r => r.BlockerId == action.BlockerId && meeting.Actions.Any(m => m.ChildId == action.ChildId && m.BlockerId == r.BlockerId))?.Category;
        return category is { } c ? $"the {BlockerCategories.Title(c).ToLowerInvariant()} blocker" : "a blocker";
    }
}
