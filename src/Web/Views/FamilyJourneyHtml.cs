using System.Text;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Family;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Wording;
using static CareTwin.Web.Pages.PageShell;

namespace CareTwin.Web.Views;

/// <summary>
/// The family's view of their child's journey as HTML: the one rendering of it, used for the page's first view
/// (readable without JavaScript) and for every live update (the page swaps it in). Phone-sized first and in plain
/// language; only the family projection reaches here, so no sensitive blocker or professional text can.
/// </summary>
public static class FamilyJourneyHtml
{
    public static string Render(FamilyView family)
    {
        var html = new StringBuilder(4 * 1024);
        var current = family.Journeys.Where(j => !j.IsComplete).ToList();
        html.Append("<h2>Where we are</h2>");
        foreach (var journey in current.Count > 0 ? current : [.. family.Journeys])
        {
            html.Append("<div class=\"nhsuk-card\" data-journey><div class=\"nhsuk-card__content\"><h3 class=\"nhsuk-card__heading\">").Append(Encode(journey.Title)).Append("</h3>")
                .Append("<p class=\"nhsuk-body\"><strong>Step ").Append(journey.StepNumber).Append(" of ").Append(journey.StepCount).Append(": ").Append(Encode(journey.StageTitle)).Append("</strong></p>")
                .Append("<p class=\"nhsuk-body\">").Append(Encode(journey.StageExplanation)).Append("</p>");
            if (journey.NextStageTitle is { } next)
                html.Append("<p class=\"nhsuk-body\" data-next-stage>The next step is: ").Append(Encode(next)).Append(".</p>");
            html.Append("</div></div>");
        }
        if (family.DaysReadyToGoHome is > 0 and var days)
            html.Append("<div class=\"nhsuk-inset-text\"><p>").Append(Encode(family.ChildName)).Append(" has been well enough to go home for ").Append(Quantity.Of(days, "day"))
                .Append(". The people below are sorting out what is needed first.</p></div>");
        if (family.LikelyReady is { } likely)
            html.Append("<p class=\"nhsuk-body\" data-likely-ready>").Append(Encode(likely)).Append("</p>");

        foreach (var journey in current.Where(j => j.Checklist.Length > 0))
        {
            html.Append("<h2>What has to be in place</h2><p class=\"nhsuk-body\">For ").Append(Encode(journey.Title.ToLowerInvariant())).Append(":</p>")
                .Append("<ul class=\"nhsuk-list\" data-checklist>");
            foreach (var item in journey.Checklist)
                html.Append("<li data-checklist-item=\"").Append(item.Done ? "done" : "to-do").Append("\">")
                    .Append(item.Done ? "<strong class=\"nhsuk-tag nhsuk-tag--green\">Done</strong> " : "<strong class=\"nhsuk-tag nhsuk-tag--grey\">Not yet</strong> ")
                    .Append(Encode(item.Text)).Append("</li>");
            html.Append("</ul>");
        }

        html.Append("<h2>Who is doing what</h2>");
        if (family.BeingSortedOut.IsEmpty && family.WorkNotListed is null)
            html.Append("<p class=\"nhsuk-body\">").Append(Encode(FamilyWording.NothingWaiting)).Append("</p>");
        if (!family.BeingSortedOut.IsEmpty)
        {
            html.Append("<ul class=\"nhsuk-list\" data-being-sorted-out>");
            foreach (var item in family.BeingSortedOut) WorkItem(html, item, done: false);
            html.Append("</ul>");
        }
        if (family.WorkNotListed is { } notListed)
            html.Append("<p class=\"nhsuk-body\" data-work-not-listed>").Append(Encode(notListed)).Append("</p>");
        if (!family.RecentlyDone.IsEmpty)
        {
            html.Append("<h2>Recently done</h2><ul class=\"nhsuk-list\" data-recently-done>");
            foreach (var item in family.RecentlyDone) WorkItem(html, item, done: true);
            html.Append("</ul>");
        }

        html.Append("<h2>Coming up</h2>");
        if (family.UpcomingAppointments.IsEmpty)
            html.Append("<p class=\"nhsuk-body\">No appointments booked.</p>");
        else
        {
            html.Append("<ul class=\"nhsuk-list\" data-appointments>");
            foreach (var a in family.UpcomingAppointments)
                html.Append("<li class=\"nhsuk-u-margin-bottom-3\"><strong>").Append(Encode(UkCalendar.Describe(a.When))).Append("</strong><br>")
                    .Append(Encode($"{a.What} with {a.With}, {a.Where} ({a.DurationMinutes} minutes)")).Append(a.Moved ? " — this has been moved" : "").Append("</li>");
            html.Append("</ul>");
        }
        html.Append("<h2>Your last 90 days</h2><p class=\"nhsuk-body\">")
            .Append(Encode($"{Quantity.Of(family.Last90Days.Appointments, "appointment")} with {Quantity.Of(family.Last90Days.DistinctServices, "service")}, about {Quantity.Of((int)Math.Round(family.Last90Days.Hours), "hour")} in total."))
            .Append("</p>");
        html.Append("<div id=\"what-you-told-us\">").Append(Messages(family.ChildId, family.OurMessages, family.OlderMessages, "What you have told us")).Append("</div>");
        return html.ToString();
    }

    /// <summary>What the family told the team, newest first, with a link to the next older page (a plain link: it works without JavaScript).</summary>
    public static string Messages(string childId, IReadOnlyList<FamilyMessageView> messages, int older, string heading)
    {
        var html = new StringBuilder("<h2>").Append(Encode(heading)).Append("</h2>");
        if (messages.Count == 0)
            return html.Append("<p class=\"nhsuk-body\">Nothing yet.</p>").ToString();
        html.Append("<ul class=\"nhsuk-list\" data-family-messages>");
        foreach (var m in messages)
        {
            html.Append("<li class=\"nhsuk-u-margin-bottom-3\"><span class=\"app-pre\">").Append(Encode(m.Text)).Append("</span><span class=\"app-meta\"> — ")
                .Append(m.Kind == FamilyMessageKind.Concern ? "a worry, " : "").Append(Encode(UkCalendar.Describe(m.At))).Append("</span>");
            // A worry says where it has got to with the team, and the team's answer in their words.
            if (m.Progress is { } progress)
                html.Append("<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-1\" data-concern-progress>").Append(Encode(progress)).Append("</p>");
            if (m.Answer is { } answer)
                html.Append("<div class=\"nhsuk-inset-text nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-1\" data-concern-answer><p><strong>The team's answer")
                    .Append(m.AnsweredBy is { } by ? $" from {Encode(by)}" : "").Append(":</strong> <span class=\"app-pre\">").Append(Encode(answer)).Append("</span></p></div>");
            html.Append("</li>");
        }
        html.Append("</ul>");
        if (older > 0)
            html.Append("<p class=\"nhsuk-body\"><a href=\"/family/").Append(Uri.EscapeDataString(childId)).Append("?before=").Append(Uri.EscapeDataString(messages[^1].MessageId))
                .Append("#older-messages\" data-older-messages>Show older messages (").Append(older).Append(")</a></p>");
        return html.ToString();
    }

    private static void WorkItem(StringBuilder html, FamilyWorkItem item, bool done)
    {
        html.Append("<li class=\"nhsuk-card nhsuk-u-margin-bottom-3\" data-work-item><div class=\"nhsuk-card__content\">")
            .Append("<h3 class=\"nhsuk-card__heading nhsuk-heading-s\">").Append(Encode(item.Who)).Append("</h3>")
            .Append("<p class=\"nhsuk-body app-pre\" data-what>").Append(Encode(item.What)).Append("</p>")
            .Append("<p class=\"nhsuk-body-s nhsuk-u-margin-bottom-0\"><strong class=\"nhsuk-tag ")
            .Append(done ? "nhsuk-tag--green" : item.Progress == "Being worked on" ? "nhsuk-tag--blue" : "nhsuk-tag--grey").Append("\">").Append(Encode(item.Progress)).Append("</strong>");
        // Done work is told in the past tense; open work says who has it and when it should be done, never a date already gone.
        if (item.NamedPerson is { } person)
            html.Append(' ').Append(Encode(done ? $"{person} looked after this." : $"{person} is looking after this."));
        if (item.ExpectedBy is { } expected)
            html.Append(" Expected by ").Append(Encode(UkCalendar.Describe(expected))).Append('.');
        else if (item.Overdue)
            html.Append(" This is taking longer than planned.");
        html.Append("</p></div></li>");
    }

}
