using CareTwin.Grains.Access;
using CareTwin.Grains.Publishing;
using CareTwin.Grains.Services;
using CareTwin.Journey.Meetings;
using CareTwin.Web.Views;

namespace CareTwin.Web.Live;

/// <summary>A board group gets each changed child's latest row and the board's totals after the last change.</summary>
internal sealed class BoardChangeShaper : IChangeShaper<BoardChanged>
{
    public Task<object?> ShapeAsync(LiveTopic topic, IReadOnlyList<BoardChanged> changes) =>
        Task.FromResult<object?>(new BoardChanges(
            [.. changes.GroupBy(c => c.ChildId).Select(g => g.MaxBy(c => c.ChildVersion)!).Select(c => new BoardRowChange(c.ChildId, c.ChildVersion, c.Row))],
            BoardTotals.Of(changes[^1].Totals, changes[^1].Children)));
}

/// <summary>
/// A child group gets the child's record as it is after the changes: one read per flush for every watcher,
/// instead of each browser folding journal events itself. Agency staff see a child only while one of their
/// services is involved, so when a change ends that (their last blocker closed or moved), their group is ended.
/// </summary>
internal sealed class ChildChangeShaper(ChildRecordReader reader) : IChangeShaper<ChildChanged>
{
    public async Task<object?> ShapeAsync(LiveTopic topic, IReadOnlyList<ChildChanged> changes) =>
        await reader.ReadAsync(topic.Key, topic.Audience, whileInvolved: true) ?? (object)AccessEndedChange.Instance;
}

/// <summary>What a shaper returns when the group's watchers may no longer see its topic.</summary>
internal sealed class AccessEndedChange
{
    public static readonly AccessEndedChange Instance = new();

    private AccessEndedChange()
    {
    }
}

/// <summary>
/// A family group gets the latest family view, and the page's HTML of it, rendered once per flush for every watcher
/// (the twin publishes the view only when what the family sees changed).
/// </summary>
internal sealed class FamilyChangeShaper : IChangeShaper<FamilyViewChanged>
{
    public Task<object?> ShapeAsync(LiveTopic topic, IReadOnlyList<FamilyViewChanged> changes) =>
        Task.FromResult<object?>(Pages.FamilyPage.Live(changes.MaxBy(c => c.Version)!.View));
}

/// <summary>A service group gets each changed child's blockers at the service, and the service's counts after the last change.</summary>
internal sealed class ServiceChangeShaper : IChangeShaper<ServiceChanged>
{
    public Task<object?> ShapeAsync(LiveTopic topic, IReadOnlyList<ServiceChanged> changes) =>
        Task.FromResult<object?>(new ServiceChanges(
            [.. changes.GroupBy(c => c.ChildId).Select(g => g.MaxBy(c => c.ChildVersion)!).Select(c => new ServiceChildChange(c.ChildId, c.ChildVersion, c.ChildBlockers))],
            changes[^1].AwaitingAcknowledgement,
            changes[^1].Performance));
}

/// <summary>
/// A meeting group gets the meeting's live part as HTML after the last change, shaped for the group's audience as the
/// page shapes it (agency staff: only their children, no other service's sensitive blocker). Staff whose service
/// the meeting no longer covers are ended.
/// </summary>
internal sealed class MeetingChangeShaper(IGrainFactory grains) : IChangeShaper<MeetingChanged>
{
    public async Task<object?> ShapeAsync(LiveTopic topic, IReadOnlyList<MeetingChanged> changes) =>
        await View(grains, topic.Audience, changes[^1].Meeting) ?? (object)AccessEndedChange.Instance;

    /// <summary>What someone acting for these services (default: a coordinator) is sent; null if they no longer attend.</summary>
    public static async Task<MeetingLiveView?> View(IGrainFactory grains, System.Collections.Immutable.ImmutableArray<string> audience, Meeting meeting)
    {
        if (!audience.IsDefault && !AccessPolicy.Attends(meeting, audience)) return null;
        var directory = await grains.GetGrain<IServiceDirectoryGrain>(IServiceDirectoryGrain.DefaultKey).GetDirectory();
        return new MeetingLiveView(meeting.IsClosed, MeetingHtml.Live(AccessPolicy.MeetingAsSeenBy(audience, meeting), directory));
    }
}

/// <summary>A meeting's live part as the page shows it (swapped in by the page's script).</summary>
public sealed record MeetingLiveView(bool Closed, string Html);

/// <summary>A service's MDT actions group gets the agency view's list of them again, as the page renders it, for its audience.</summary>
internal sealed class ServiceMeetingsShaper(IGrainFactory grains) : IChangeShaper<ServiceActionAgreed>
{
    public async Task<object?> ShapeAsync(LiveTopic topic, IReadOnlyList<ServiceActionAgreed> changes) =>
        new ServiceMeetingsLiveView(await Pages.MeetingPages.AgencyActionsHtmlAsync(grains, Journey.Services.ServiceKey.Parse(topic.Key), topic.Audience));
}

/// <summary>The agency view's "Actions agreed at MDT meetings", as the page shows it (swapped in by the page's script).</summary>
public sealed record ServiceMeetingsLiveView(string Html);
