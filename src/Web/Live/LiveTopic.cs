using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CareTwin.Grains.Access;

namespace CareTwin.Web.Live;

public enum LiveTopicKind
{
    /// <summary>A coordinators' board (key: "hospital:x" or "region:y").</summary>
    Board,
    /// <summary>A child's professional record (key: child id).</summary>
    Child,
    /// <summary>A child's family view (key: child id): never sensitive.</summary>
    Family,
    /// <summary>A service's blockers and escalations (key: service key).</summary>
    Service,
    /// <summary>An MDT meeting (key: meeting id), shaped for its audience as a child's record is.</summary>
    Meeting,
    /// <summary>The actions MDT meetings gave a service (key: service key), shaped for its audience.</summary>
    ServiceMeetings,
}

/// <summary>
/// Something a page watches live; one SignalR group per topic. A child's record is shaped for its audience:
/// coordinators see it whole, everyone else sees it without other services' sensitive blockers, so watchers
/// acting for different services are in different groups.
/// </summary>
/// <param name="Audience">For child records: the services the watchers act for (sorted); default for coordinators, who see all.</param>
public sealed record LiveTopic(LiveTopicKind Kind, string Key, ImmutableArray<string> Audience = default)
{
    public static LiveTopic Board(string boardKey) => new(LiveTopicKind.Board, boardKey);

    public static LiveTopic Child(string childId, Caller watcher) =>
        new(LiveTopicKind.Child, childId, watcher.Role == CallerRole.Coordinator ? default : [.. watcher.Services.Order(StringComparer.Ordinal)]);

    public static LiveTopic Family(string childId) => new(LiveTopicKind.Family, childId);

    public static LiveTopic Service(string serviceKey) => new(LiveTopicKind.Service, serviceKey);

    public static LiveTopic ServiceMeetings(string serviceKey, Caller watcher) =>
        new(LiveTopicKind.ServiceMeetings, serviceKey, watcher.Role == CallerRole.Coordinator ? default : [.. watcher.Services.Order(StringComparer.Ordinal)]);

    public static LiveTopic Meeting(string meetingId, Caller watcher) =>
        new(LiveTopicKind.Meeting, meetingId, watcher.Role == CallerRole.Coordinator ? default : [.. watcher.Services.Order(StringComparer.Ordinal)]);

    /// <summary>The SignalR group, e.g. "child:demo-0001", "child:demo-0001@housing.eastmarsh" or "board:region:north-thames".</summary>
    public string Group => Kind switch
    {
        LiveTopicKind.Board => "board:",
        LiveTopicKind.Child => "child:",
        LiveTopicKind.Family => "family:",
        LiveTopicKind.Meeting => "meeting:",
        LiveTopicKind.ServiceMeetings => "service-meetings:",
        _ => "service:",
    } + Key + (Audience.IsDefault ? "" : "@" + string.Join(',', Audience));

    public bool Equals(LiveTopic? other) => other is not null && other.Group == Group;

    public override int GetHashCode() => Group.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Group;
}

/// <summary>
/// What a group receives at most once per flush: the changes since the last one, already combined
/// (a child's latest board row, a child's record as it is now), or <see cref="Resync"/> when changes were lost
/// (a gap in the stream, or more than the bridge holds) and the page must read the whole view again.
/// </summary>
/// <param name="Topic">The group it is for.</param>
/// <param name="Changes">BoardChanges, ChildRecord, FamilyView or ServiceChanges; null with <see cref="Resync"/>.</param>
/// <param name="AccessEnded">The group's watchers may no longer see the topic: they are told (<see cref="LiveMessages.AccessEnded"/>), not sent this.</param>
public sealed record LiveBatch(string Topic, bool Resync, object? Changes, [property: JsonIgnore] bool AccessEnded = false);

/// <summary>The client methods the hub calls.</summary>
public static class LiveMessages
{
    /// <summary>A <see cref="LiveBatch"/> for one of the groups the connection watches.</summary>
    public const string Changes = "changes";

    /// <summary>
    /// The user's access ended (a family member was removed, a young person withdrew their agreement, or an agency
    /// is no longer involved with the child it watched): the page stops and says so.
    /// </summary>
    public const string AccessEnded = "accessEnded";
}
