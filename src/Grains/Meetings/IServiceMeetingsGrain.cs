using System.Collections.Immutable;

namespace CareTwin.Grains.Meetings;

/// <summary>
/// The meetings at which a service (key: the service key) was given an action, newest first, so the agency's view
/// can list what it took away from each without reading every meeting.
/// </summary>
public interface IServiceMeetingsGrain : IGrainWithStringKey
{
    Task Note(string meetingId);

    [ReadOnly]
    Task<ImmutableArray<string>> GetMeetingIds();
}

public sealed class ServiceMeetingsState
{
    public List<string> MeetingIds { get; set; } = [];
}

[GrainType("service-meetings")]
public sealed class ServiceMeetingsGrain([PersistentState("service-meetings")] IPersistentState<ServiceMeetingsState> storage) : Grain, IServiceMeetingsGrain
{
    public async Task Note(string meetingId)
    {
        if (storage.State.MeetingIds.Contains(meetingId)) return;
        storage.State.MeetingIds.Insert(0, meetingId);
        await storage.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> GetMeetingIds() => Task.FromResult<ImmutableArray<string>>([.. storage.State.MeetingIds]);
}
