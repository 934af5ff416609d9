using System.Collections.Immutable;
using CareTwin.Grains.Access;
using CareTwin.Grains.Children;
using CareTwin.Grains.Forecasts;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Calendar;
using CareTwin.Journey.Children;
using CareTwin.Journey.Delays;
using CareTwin.Journey.Family;
using CareTwin.Journey.Projections;
using CareTwin.Journey.Services;
using CareTwin.Grains.Services;
using CareTwin.Web.Hosting;
using Microsoft.Extensions.Options;

namespace CareTwin.Web.Views;

/// <summary>Reads a child's twin and builds the child page's record. Callers have already been let in by the access gate.</summary>
public sealed class ChildRecordReader(IGrainFactory grains, LeadTimesOnThisNode leadTimes, TimeProvider clock, IOptions<WebOptions> options, IOptions<AccessOptions> access)
{
    /// <summary>How many journal entries the page shows (newest first).</summary>
    public const int TimelineLength = 50;

    /// <param name="audience">The services the reader acts for; default (coordinators) shows everything, anyone else
    /// does not see other services' sensitive blockers or their journal entries.</param>
    /// <param name="whileInvolved">Null also when none of the audience's services is involved with the child any more.</param>
    public async Task<ChildRecord?> ReadAsync(string childId, ImmutableArray<string> audience, bool whileInvolved = false)
    {
        var child = grains.GetGrain<IChildGrain>(childId);
        var whole = await child.GetJourney();
        if (whole?.Child is not { } profile) return null;
        if (whileInvolved && !audience.IsDefault && !AccessPolicy.Involves(whole, audience)) return null;
        var hidden = audience.IsDefault ? [] : AccessPolicy.HiddenBlockers(audience, whole);
        var journey = AccessPolicy.Redact(whole, hidden);
        var directory = await grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        var timeline = await child.GetTimeline(Math.Max(0, journey.Version - TimelineLength), TimelineLength);
        var now = clock.GetUtcNow();
        var current = journey.CurrentTransition();
        var prediction = current is null ? null : CriticalPath.Predict(journey, current, now);
        // From the blockers this reader may see, so the blocker it names is one they can.
        var forecast = current is null ? null : ReadyForecaster.Forecast(journey, current, now, await leadTimes.GetAsync());
        var row = BoardRowProjection.Build(journey, now)!;
        var messages = FamilyMessagePages.Newest(VisibleFamilyMessages(journey, hidden), FamilyMessagePages.Latest);
        string ServiceName(ServiceKey key) => directory.NameOf(key);
        // What the page offers is what the one policy allows this audience (the hub asks it again on each action).
        var reader = ReaderOf(audience);
        BlockerPermissions May(Blocker b) => AccessPolicy.ForBlocker(reader, whole, b, now, access.Value);

        return new ChildRecord(
            profile.ChildId,
            journey.Version,
            $"{profile.GivenName} {profile.FamilyName}",
            profile.NhsNumber.Formatted,
            profile.DateOfBirth,
            options.Value.Hospitals.GetValueOrDefault(profile.HospitalKey, profile.HospitalKey),
            profile.CareTeam,
            current?.Id,
            [.. journey.Transitions.Select(t =>
            {
                var definition = t.Definition();
                return new TransitionView(t.Id, t.Kind, definition.Title, t.Stage, definition.FindStage(t.Stage)?.Title ?? t.Stage, t.IsComplete,
                    t.DischargeReadyDate, definition.RequiresDestination,
                    [.. definition.Stages.Select(s => new StageChoice(s.Key, s.Title))],
                    [.. definition.Milestones.Select(m => new MilestoneView(m.Title, t.HasCompleted(m.Key)))]);
            })],
            row.DaysDelayed,
            prediction,
            [.. journey.Blockers.OrderBy(b => b.IsActive ? 0 : 1).ThenBy(b => b.TargetDate).Select(b => new BlockerView(
                b.Id, b.TransitionId, b.Category, BlockerCategories.Title(b.Category), b.OwningService.Value, ServiceName(b.OwningService),
                b.NamedOwner, b.ProfessionalText, b.FamilyText, b.Sensitive, b.Status, b.RaisedAt, b.TargetDate, b.SlaDueDate,
                BlockerClock.AgeDays(b, now), BlockerClock.DaysOverSla(b, now), b.EscalationLevel, b.PendingEscalation(),
                prediction?.CriticalPathBlockerId == b.Id, b.ClosedAt, May(b)) { StartsAfter = b.StartsAfter.IsDefault ? [] : b.StartsAfter })],
            [.. journey.Appointments.OrderByDescending(a => a.Start).Select(a => new AppointmentView(
                a.Id, ServiceName(a.Service), a.Start, (int)a.Duration.TotalMinutes, a.Place, a.Purpose, a.Status, a.BookedBy))],
            [.. messages.Messages.Select(Line)],
            messages.Older,
            timeline is null ? [] : [.. new TimelineWording(journey, directory, options.Value.Hospitals)
                .Lines(timeline.Entries.Reverse().Where(e => AccessPolicy.Shows(e.Event, hidden)).Select(e => (e.Version, e.Event)))],
            [.. directory.Profiles.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new ServiceChoice(p.Key.Value, p.Name))],
            AccessPolicy.ForChildActions(reader, whole, directory.Profiles.Keys, now, access.Value),
            now,
            FamilyCostEstimate.For(journey, now) is { } estimate
                ? FamilyCosts.Of(estimate, journey.FamilyTravel, FamilyBurden.Over(journey, now, 30), FamilyBurden.Over(journey, now, 90))
                : null,
            forecast);
    }

    /// <summary>
    /// Who reads a record shaped for this audience, as the policy sees them: a coordinator (the default audience),
    /// or staff acting for these services (each record is shared by everyone watching with the same services).
    /// </summary>
    private static Caller ReaderOf(ImmutableArray<string> audience) => audience.IsDefault
        ? Caller.Coordinator("child-page", "child page")
        : new Caller("child-page", "child page", CallerRole.AgencyStaff, audience, null, false);

    /// <summary>The family's messages a reader may see: not a concern about a blocker hidden from them.</summary>
    public static IReadOnlyList<FamilyMessage> VisibleFamilyMessages(ChildJourney journey, ImmutableHashSet<string> hidden) =>
        hidden.IsEmpty ? journey.FamilyMessages : [.. journey.FamilyMessages.Where(m => !hidden.Contains(m.Id))];

    public static FamilyMessageLine Line(FamilyMessage message) =>
        new(message.Id, message.Kind, message.Text, message.BlockerId, message.At, message.By.DisplayName, message.Status, Progress(message), message.Answer?.Text);

    /// <summary>Where a concern has got to, as the team reads it: who did what, when (null for a note).</summary>
    private static string? Progress(FamilyMessage message)
    {
        static string Day(DateTimeOffset at) => UkCalendar.Describe(UkCalendar.DateOf(at));
        return message.Status switch
        {
            ConcernStatus.Open => "Not read yet.",
            ConcernStatus.Read => $"Read by {message.Read!.By.DisplayName} on {Day(message.Read.At)}. Not answered yet.",
            ConcernStatus.Answered => $"Answered by {message.Answer!.By.DisplayName} on {Day(message.Answer.At)}.",
            ConcernStatus.Closed => (message.Answer is { } answer ? $"Answered by {answer.By.DisplayName} on {Day(answer.At)}. " : "Not answered. ")
                + $"Closed by {message.Closed!.By.DisplayName} on {Day(message.Closed.At)}.",
            _ => null,
        };
    }
}
