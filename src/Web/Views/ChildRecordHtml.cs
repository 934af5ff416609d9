using System.Text;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Family;
using CareTwin.Journey.Wording;
using static CareTwin.Web.Pages.PageShell;
using static CareTwin.Web.Views.StaffPageHtml;

namespace CareTwin.Web.Views;

/// <summary>
/// The child page's first view as HTML, readable without JavaScript: the record as child.ts shows it, in the same
/// order, headings, words and classes, read-only. The actions, family access and access log need the live
/// connection, so they are left out here; the page's script replaces all of it with the live view once connected.
/// Only a record already shaped for its reader (<see cref="ChildRecordReader"/>) reaches here.
/// </summary>
public static class ChildRecordHtml
{
    /// <param name="forCoordinator">The reader is a coordinator: the summary links to what the family sees.</param>
    public static string Render(ChildRecord record, bool forCoordinator)
    {
        var today = UkCalendar.DateOf(record.AsOf);
        var html = new StringBuilder(16 * 1024);
        Summary(html, record, forCoordinator);

        // What needs attention first: the family's concerns, then what is in the way; the long journal comes last.
        html.Append("<h2 id=\"family-messages\">What the family told us</h2><div>");
        FamilyMessages(html, record);
        html.Append("</div>");
        if (record.FamilyCosts is { } costs)
        {
            html.Append("<h2 id=\"family-time-and-money\">Family's time and money</h2><div data-family-costs>");
            FamilyCostsHtml(html, costs);
            html.Append("</div>");
        }

        html.Append("<h2 id=\"blockers\">Open blockers</h2><div data-open-blockers>");
        var open = record.Blockers.Where(IsOpen).ToList();
        if (open.Count == 0) html.Append("<p class=\"nhsuk-body\">No open blockers.</p>");
        foreach (var blocker in open) BlockerCard(html, blocker, record.Blockers, today);
        html.Append("</div>");

        html.Append("<h2>Appointments</h2><div>");
        if (record.Appointments.IsEmpty) html.Append("<p class=\"nhsuk-body\">No appointments.</p>");
        else
            Table(html, "Appointments", ["When", "What", "With", "Where", "Status", "Booked by"], record.Appointments.Select(a => Row("",
                Encode($"{UkCalendar.Describe(a.Start)} ({a.DurationMinutes} min)"), Encode(a.Purpose), Encode(a.ServiceName), Encode(a.Place),
                Encode(Words(a.Status)), Encode(a.BookedBy ?? "—"))));
        html.Append("</div>");

        html.Append("<h2>Closed blockers</h2><div>");
        var closed = record.Blockers.Where(b => !IsOpen(b)).ToList();
        if (closed.Count == 0) html.Append("<p class=\"nhsuk-body\">None yet.</p>");
        else
            Table(html, "Closed blockers", ["Blocker", "Owner", "Status", "Closed", "Days open"], closed.Select(b => Row("",
                $"{Encode(b.CategoryTitle)}: <span class=\"app-pre\">{Encode(b.ProfessionalText)}</span>", Encode(b.OwningServiceName), Encode(Words(b.Status)),
                Encode(b.ClosedAt is { } at ? UkCalendar.Describe(at) : ""), b.AgeDays.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        html.Append("</div>");

        html.Append("<h2>Journal</h2><p class=\"nhsuk-body-s\">Every change, newest first: who, what, when and from which system.</p><ol class=\"app-timeline\" reversed>");
        foreach (var line in record.Timeline)
        {
            var meta = string.Join(" · ", new[] { UkCalendar.Describe(line.At), $"{line.Who} ({Words(line.Role)})", line.Through }.Where(p => !string.IsNullOrEmpty(p)));
            html.Append("<li value=\"").Append(line.Version).Append("\"><span class=\"app-meta\">").Append(Encode(meta)).Append("</span>")
                .Append("<p class=\"nhsuk-body nhsuk-u-margin-bottom-0 app-pre\">").Append(Encode(line.What)).Append("</p></li>");
        }
        html.Append("</ol>");
        return html.ToString();
    }

    private static bool IsOpen(BlockerView b) => b.Status is BlockerStatus.Open or BlockerStatus.InProgress;

    private static void Summary(StringBuilder html, ChildRecord r, bool forCoordinator)
    {
        var current = r.Transitions.FirstOrDefault(t => t.Id == r.CurrentTransitionId);
        var critical = r.Blockers.FirstOrDefault(b => b.Id == r.Prediction?.CriticalPathBlockerId);
        html.Append("<dl class=\"nhsuk-summary-list\">")
            .Append(SummaryRow("NHS number", Encode(r.NhsNumber)))
            .Append(SummaryRow("Date of birth", Encode(UkCalendar.Describe(r.DateOfBirth))))
            .Append(SummaryRow("Hospital", Encode(r.HospitalName)))
            .Append(SummaryRow("Journey", Encode(current is null ? "Not started" : $"{current.Title}: {current.StageTitle}{(current.IsComplete ? " (complete)" : "")}")))
            .Append(SummaryRow("Days delayed", $"<span data-days-delayed>{r.DaysDelayed}</span>" +
                (current?.DischargeReadyDate is { } ready ? Encode($" (medically ready since {UkCalendar.Describe(ready)})") : "")))
            .Append(SummaryRow("Forecast", Forecast(r)))
            .Append(SummaryRow("Predicted ready date", (r.Prediction is { } p ? Encode(UkCalendar.Describe(p.PredictedReadyDate)) : "—") +
                (r.Prediction?.CriticalPathOverdue == true ? Tag("red", "Overdue", "nhsuk-u-margin-left-2") : "")))
            .Append(SummaryRow("Critical-path blocker", critical is null
                ? "None: nothing open stands in the way"
                : $"<a href=\"#blocker-{Encode(critical.Id)}\">{Encode($"{critical.CategoryTitle}: {critical.OwningServiceName} (target {UkCalendar.Describe(critical.TargetDate)})")}</a>"))
            .Append(SummaryRow("Care team", Encode(r.CareTeam.IsEmpty ? "—" : string.Join(", ", r.CareTeam.Select(m => $"{m.Name} ({m.Role})")))));
        if (forCoordinator)
            html.Append(SummaryRow("Family view", $"<a href=\"/family/{Encode(Uri.EscapeDataString(r.ChildId))}\">See what the family sees</a>"));
        html.Append("</dl>");
    }

    /// <summary>"Likely ready between 12 and 19 March 2027, driven by Housing / home adaptation (Newham Council housing team)", as child.ts says it.</summary>
    private static string Forecast(ChildRecord r)
    {
        if (r.Forecast is not { } f)
            return "—";
        var driver = r.Blockers.FirstOrDefault(b => b.Id == f.DrivingBlockerId);
        return $"<span data-forecast>{Encode($"Likely ready {DayRange.Describe(f.LikelyFrom, f.LikelyBy)}")}"
            + (driver is null
                ? ": nothing open stands in the way"
                : $", driven by <a href=\"#blocker-{Encode(driver.Id)}\">{Encode($"{driver.CategoryTitle} ({driver.OwningServiceName})")}</a>")
            + "</span>";
    }

    private static string SummaryRow(string key, string valueHtml) =>
        $"<div class=\"nhsuk-summary-list__row\"><dt class=\"nhsuk-summary-list__key\">{Encode(key)}</dt><dd class=\"nhsuk-summary-list__value\">{valueHtml}</dd></div>";

    // As messages.ts lists them; "Show older messages" reads over the live connection, so here the older ones are only counted.
    private static void FamilyMessages(StringBuilder html, ChildRecord r)
    {
        if (r.FamilyMessages.IsEmpty)
        {
            html.Append("<p class=\"nhsuk-body\">Nothing yet.</p>");
            return;
        }
        html.Append("<ul class=\"nhsuk-list\" data-messages>");
        foreach (var m in r.FamilyMessages)
            html.Append("<li data-message-id=\"").Append(Encode(m.Id)).Append("\">")
                .Append(m.Kind == FamilyMessageKind.Concern ? Tag("red", "Concern") : Tag("grey", "Note"))
                .Append(" <span class=\"app-pre\">").Append(Encode(m.Text)).Append("</span><span class=\"app-meta\">")
                .Append(Encode($" — {m.By}, {UkCalendar.Describe(m.At)}")).Append("</span>")
                .Append(m.Progress is { } progress ? $"<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-1\" data-concern-progress>{Encode(progress)}</p>" : "")
                .Append(m.Answer is { } answer ? $"<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-1\" data-concern-answer>Answer to the family: <span class=\"app-pre\">{Encode(answer)}</span></p>" : "")
                .Append("</li>");
        html.Append("</ul>");
        if (r.OlderFamilyMessages > 0)
            html.Append("<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-2\" data-older-count>")
                .Append(Encode($"{Quantity.Of(r.OlderFamilyMessages, "older message")} not shown.")).Append("</p>");
    }

    // As child.ts's familyCosts: the family's figures in the words their page uses.
    private static void FamilyCostsHtml(StringBuilder html, FamilyCosts costs)
    {
        html.Append("<p class=\"nhsuk-body\" data-travel-told>").Append(Encode($"What the family told us about getting there: {costs.Travel ?? "nothing yet."}")).Append("</p>")
            .Append("<ul class=\"nhsuk-list\" data-family-burden>").Append(string.Concat(costs.Burden.Select(b => $"<li>{Encode(b)}</li>"))).Append("</ul>")
            .Append("<p class=\"nhsuk-body-s\">The family sees these figures and sentences on their page.</p>")
            .Append(costs.PeriodsHtml("h3"));
    }

    // As child.ts's blockerCard, without the actions (they need the live connection).
    private static void BlockerCard(StringBuilder html, BlockerView b, IReadOnlyList<BlockerView> all, DateOnly today)
    {
        var sla = SlaClock(b.SlaDueDate, today);
        var tags = new[]
        {
            Tag("grey", Words(b.Status)),
            b.Sensitive ? Tag("purple", "Sensitive: never shown to the family") : null,
            b.OnCriticalPath ? Tag("blue", "Critical path") : null,
            sla.Breached ? Tag("red", "SLA breached") : null,
            b.EscalationLevel > 0 ? Tag("orange", $"Escalation level {b.EscalationLevel}") : null,
        };
        html.Append("<div class=\"nhsuk-card app-blocker\" id=\"blocker-").Append(Encode(b.Id)).Append("\" data-blocker-id=\"").Append(Encode(b.Id)).Append("\">")
            .Append("<div class=\"nhsuk-card__content\"><h3 class=\"nhsuk-card__heading\">").Append(Encode($"{b.CategoryTitle}: {b.OwningServiceName}")).Append("</h3>")
            .Append("<p class=\"nhsuk-body-s\">").Append(string.Concat(tags.OfType<string>().Select(t => t + " "))).Append("</p>")
            .Append("<p class=\"nhsuk-body app-pre\" data-professional-text>").Append(Encode(b.ProfessionalText)).Append("</p>");
        // A sensitive blocker is never shown to the family, so nothing here says what they see.
        if (b.FamilyText is { Length: > 0 } familyText && !b.Sensitive)
            html.Append("<p class=\"nhsuk-body-s\">Family sees: <span data-family-text>").Append(Encode(familyText)).Append("</span></p>");
        html.Append("<dl class=\"nhsuk-summary-list nhsuk-u-margin-bottom-2\">")
            .Append(SummaryRow("Owner", Encode(b.NamedOwner is { } owner ? $"{owner}, {b.OwningServiceName}" : b.OwningServiceName)))
            .Append(SummaryRow("Raised", Encode($"{UkCalendar.Describe(b.RaisedAt)} ({Quantity.Of(b.AgeDays, "day")} ago)")))
            .Append(SummaryRow("Target date", Encode(UkCalendar.Describe(b.TargetDate))))
            .Append(SummaryRow("SLA", Encode($"Due {UkCalendar.Describe(b.SlaDueDate)}: {sla.Text}")));
        // Blockers hidden from this reader are not in the record, so they are never named here.
        var waitsFor = b.StartsAfter.Select(id => all.FirstOrDefault(o => o.Id == id)).OfType<BlockerView>().ToList();
        if (waitsFor.Count > 0)
            html.Append(SummaryRow("Starts after", $"<span data-starts-after>{Encode(string.Join(", ", waitsFor.Select(o => $"“{o.CategoryTitle}” ({o.OwningServiceName})")))}</span>"));
        if (b.PendingEscalation is { } e)
            html.Append(SummaryRow("Escalation waiting", Encode($"Level {e.Level} to {e.Contact.Name} ({e.Contact.Role}), acknowledge by {UkCalendar.Describe(e.AcknowledgeBy)}: {e.Reason}")));
        html.Append("</dl></div></div>");
    }
}
