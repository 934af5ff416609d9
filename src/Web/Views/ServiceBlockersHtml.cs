using System.Globalization;
using System.Text;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Projections;
using static CareTwin.Web.Pages.PageShell;
using static CareTwin.Web.Views.StaffPageHtml;

namespace CareTwin.Web.Views;

/// <summary>
/// The agency page's first view as HTML, readable without JavaScript: as service.ts shows it, the figures, the
/// escalations waiting for the service (each naming and linking its child) and the blockers it owns with their SLA
/// clocks, read-only. Acknowledging needs the live connection, so it is left out here; the page's script replaces
/// all of it with the live view once connected.
/// </summary>
public static class ServiceBlockersHtml
{
    public static string Render(ServiceView view)
    {
        var today = UkCalendar.DateOf(view.AsOf);
        var active = view.ActiveBlockers.OrderBy(b => b.SlaDueDate).ThenBy(b => b.ChildId, StringComparer.Ordinal).ToList();
        var waiting = active.Where(b => b.PendingEscalation is not null).OrderBy(b => b.PendingEscalation!.AcknowledgeBy).ToList();
        var html = new StringBuilder(8 * 1024);

        html.Append("<div class=\"app-figures\">")
            .Append(Figure(active.Count.ToString(CultureInfo.InvariantCulture), "open blockers"))
            .Append(Figure(active.Count(b => SlaClock(b.SlaDueDate, today).Breached).ToString(CultureInfo.InvariantCulture), "past their SLA"))
            .Append(Figure(waiting.Count.ToString(CultureInfo.InvariantCulture), "escalations to acknowledge"))
            .Append(Figure(view.Performance.PercentWithinSla is { } percent ? percent.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—", "within SLA (all time)"))
            .Append("</div>");

        html.Append("<h2>Escalations awaiting acknowledgement</h2><div data-escalations>");
        if (waiting.Count == 0) html.Append("<p class=\"nhsuk-body\" data-no-escalations>No escalations are waiting for you.</p>");
        foreach (var blocker in waiting) EscalationCard(html, blocker, view.AsOf);
        html.Append("</div>");

        html.Append("<h2>Blockers we own</h2><div data-service-blockers>");
        if (active.Count == 0) html.Append("<p class=\"nhsuk-body\">No open blockers.</p>");
        else
            Table(html, "Blockers we own", ["Child", "Blocker", "Status", "Owner", "Raised", "Target", "SLA clock", "Escalation"], active.Select(b =>
            {
                var sla = SlaClock(b.SlaDueDate, today);
                return Row($" data-blocker=\"{Encode(OwnedBlocker.KeyOf(b.ChildId, b.BlockerId))}\"",
                    $"<a href=\"{ChildAddress(b.ChildId)}\">{Encode(b.ChildName)}</a>",
                    $"<strong>{Encode(BlockerCategories.Title(b.Category))}</strong>{(b.Sensitive ? " (sensitive)" : "")}<br><span class=\"app-pre\">{Encode(b.ProfessionalText)}</span>",
                    Encode(Words(b.Status)),
                    Encode(b.NamedOwner ?? "—"),
                    Encode(UkCalendar.Describe(b.RaisedAt)),
                    Encode(UkCalendar.Describe(b.TargetDate)),
                    Encode($"Due {UkCalendar.Describe(b.SlaDueDate)}: ") + (sla.Breached ? Tag("red", sla.Text) : Encode(sla.Text)),
                    b.EscalationLevel > 0 ? $"Level {b.EscalationLevel}" : "None");
            }));
        html.Append("</div>");
        return html.ToString();
    }

    private static string Figure(string value, string label) =>
        $"<div class=\"app-figure\"><span class=\"app-figure__value\">{Encode(value)}</span>{Encode(label)}</div>";

    private static string ChildAddress(string childId) => "/children/" + Encode(Uri.EscapeDataString(childId));

    // As service.ts's escalationCard, without the acknowledgement form (it needs the live connection).
    private static void EscalationCard(StringBuilder html, OwnedBlocker b, DateTimeOffset now)
    {
        var e = b.PendingEscalation!;
        var category = BlockerCategories.Title(b.Category);
        html.Append("<div class=\"nhsuk-card\" data-escalation=\"").Append(Encode(OwnedBlocker.KeyOf(b.ChildId, b.BlockerId))).Append("\"><div class=\"nhsuk-card__content\">")
            .Append("<h3 class=\"nhsuk-card__heading\">Level ").Append(e.Level).Append(": <a href=\"").Append(ChildAddress(b.ChildId)).Append("#blocker-").Append(Encode(Uri.EscapeDataString(b.BlockerId)))
            .Append("\" data-child-link>").Append(Encode(b.ChildName)).Append("</a>, ").Append(Encode(category)).Append("</h3>")
            .Append("<p class=\"nhsuk-body-s\">").Append(Encode($"Raised {UkCalendar.Describe(b.RaisedAt)}.")).Append("</p>")
            .Append("<p class=\"nhsuk-body app-pre\">").Append(Encode(e.Reason)).Append("</p>")
            .Append("<p class=\"nhsuk-body-s\">").Append(Encode($"To {e.Contact.Name} ({e.Contact.Role}). Acknowledge by {UkCalendar.Describe(e.AcknowledgeBy)}. "))
            .Append(e.AcknowledgeBy < now ? Tag("red", "Overdue") : "").Append("</p>")
            .Append("<p class=\"nhsuk-body-s app-pre\">").Append(Encode(b.ProfessionalText)).Append("</p>")
            .Append("</div></div>");
    }
}
