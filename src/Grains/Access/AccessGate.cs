using System.Collections.Immutable;
using CareTwin.Grains.Boards;
using CareTwin.Grains.Children;
using CareTwin.Grains.Meetings;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Services;
using Microsoft.Extensions.Options;

namespace CareTwin.Grains.Access;

/// <summary>How a request reached CareTwin, for the audit trail.</summary>
/// <param name="Name">"page", "hub", "grpc" or "rest" (the API as REST/JSON).</param>
/// <param name="Origin">The network peer or calling system.</param>
public sealed record AccessChannel(string Name, string? Origin);

/// <summary>
/// The policy's decision about a child, and the twin as this caller may see it (so the caller need not read it
/// again): other services' sensitive blockers are left out for anyone but coordinators.
/// </summary>
public sealed record ChildAccess(AccessDecision Decision, ChildJourney? Journey, ImmutableHashSet<string> HiddenBlockers)
{
    public bool Allowed => Decision.Allowed;

    /// <summary>Whether a journal entry may be shown to this caller.</summary>
    public bool Shows(JourneyEvent journeyEvent) => AccessPolicy.Shows(journeyEvent, HiddenBlockers);
}

/// <summary>The policy's decision about a meeting, and the meeting as the caller may see it (null if not allowed or never opened).</summary>
public sealed record MeetingAccess(AccessDecision Decision, Meeting? Meeting)
{
    public bool Allowed => Decision.Allowed;
}

/// <summary>
/// Where pages, hubs and gRPC handlers ask before they touch a record: it reads what the policy needs,
/// asks <see cref="AccessPolicy"/>, and writes the audit entry (allowed or denied) before answering.
/// </summary>
public sealed class AccessGate(IGrainFactory grains, TimeProvider time, IOptions<AccessOptions> options)
{
    /// <param name="detail">What exactly, for the audit trail; the command's name by default.</param>
    public async Task<ChildAccess> ForChildAsync(
        Caller caller, AccessAction action, string childId, AccessChannel channel, JourneyCommand? command = null, string? detail = null)
    {
        var (journey, decision) = await DecideAsync(caller, action, childId, command);
        await RecordAsync(caller, AuditEntry.ChildSubject(childId), action, detail ?? command?.GetType().Name, decision, channel);
        return Seen(caller, decision, journey);
    }

    /// <summary>
    /// Decides again for a watch already open, on each change it would send. Audited only when refused (the watch
    /// then ends): opening the watch was audited, and an entry per change would bury the trail.
    /// </summary>
    public async Task<ChildAccess> RecheckChildAsync(Caller caller, AccessAction action, string childId, AccessChannel channel, string detail)
    {
        var (journey, decision) = await DecideAsync(caller, action, childId, null);
        var access = Seen(caller, decision, journey);
        if (access.Journey is not { IsRegistered: true }) await RecordAsync(caller, AuditEntry.ChildSubject(childId), action, detail, decision, channel);
        return access;
    }

    private async Task<(ChildJourney? Journey, AccessDecision Decision)> DecideAsync(Caller caller, AccessAction action, string childId, JourneyCommand? command)
    {
        // Nobody anonymous and no operator gets anything, so their request never wakes (or reads) the twin.
        var journey = caller.Role is CallerRole.Anonymous or CallerRole.Operator ? null : await grains.GetGrain<IChildGrain>(childId).GetJourney();
        var membership = caller.Role == CallerRole.Family && caller.ChildId == childId
            ? await grains.GetGrain<IFamilyAccessGrain>(childId).GetMembership(caller.Id)
            : null;
        return (journey, AccessPolicy.ForChild(caller, action, journey, time.GetUtcNow(), options.Value, membership, command));
    }

    /// <summary>The twin as the caller may see it: other services' sensitive blockers left out for anyone but coordinators.</summary>
    private static ChildAccess Seen(Caller caller, AccessDecision decision, ChildJourney? journey)
    {
        if (!decision.Allowed || journey is null) return new ChildAccess(decision, null, []);
        var hidden = AccessPolicy.HiddenBlockers(caller, journey);
        return new ChildAccess(decision, AccessPolicy.Redact(journey, hidden), hidden);
    }

    public async Task<AccessDecision> ForServiceAsync(Caller caller, AccessAction action, ServiceKey service, AccessChannel channel)
    {
        var decision = AccessPolicy.ForService(caller, action, service);
        await RecordAsync(caller, $"service/{service}", action, null, decision, channel);
        return decision;
    }

    /// <param name="detail">What exactly, for the audit trail (e.g. a CSV export and its filters).</param>
    public async Task<AccessDecision> ForBoardAsync(Caller caller, AccessAction action, BoardKey board, AccessChannel channel, string? detail = null)
    {
        var decision = AccessPolicy.ForBoard(caller, action, board);
        await RecordAsync(caller, $"board/{board}", action, detail, decision, channel);
        return decision;
    }

    /// <summary>A meeting (audited as "meeting/{id}"), and the meeting as this caller may see it when allowed (null if never opened).</summary>
    public async Task<MeetingAccess> ForMeetingAsync(Caller caller, AccessAction action, string meetingId, AccessChannel channel, string? detail = null)
    {
        // Nobody anonymous and no operator gets anything, so their request never wakes the meeting.
        var meeting = caller.Role is CallerRole.Anonymous or CallerRole.Operator ? null : await grains.GetGrain<IMeetingGrain>(meetingId).GetMeeting();
        var decision = AccessPolicy.ForMeeting(caller, action, meeting);
        await RecordAsync(caller, $"meeting/{meetingId}", action, detail, decision, channel);
        return new MeetingAccess(decision, decision.Allowed && meeting is not null ? AccessPolicy.MeetingAsSeenBy(caller, meeting) : null);
    }

    /// <summary>Callers nobody identified: counted per address and window rather than written one by one.</summary>
    public UnauthenticatedAttempts Unauthenticated { get; } = new(grains, time, options.Value.UnauthenticatedAuditWindow);

    /// <summary>Records an access decided elsewhere (e.g. a denial before any record was identified).</summary>
    public Task RecordAsync(Caller caller, string subject, AccessAction action, string? detail, AccessDecision decision, AccessChannel channel)
    {
        if (caller.Role == CallerRole.Anonymous)
        {
            Unauthenticated.Note(subject, action, decision.Reason, channel);
            return Task.CompletedTask;
        }
        return grains.GetGrain<IAuditGrain>(subject).Record(AuditEntry.Of(time.GetUtcNow(), caller, subject, action, detail, decision, channel));
    }
}
