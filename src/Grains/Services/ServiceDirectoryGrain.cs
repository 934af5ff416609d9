using CareTwin.Grains.Children;
using CareTwin.Journey.Serialization;
using CareTwin.Journey.Services;

namespace CareTwin.Grains.Services;

public sealed class ServiceDirectoryState
{
    public ServiceDirectorySnapshot Directory { get; set; } = ServiceDirectorySnapshot.Empty;
}

[GrainType("service-directory")]
public sealed class ServiceDirectoryGrain([PersistentState("directory")] IPersistentState<ServiceDirectoryState> storage) : Grain, IServiceDirectoryGrain
{
    public async Task<CommandOutcome> Register(ServiceProfile profile)
    {
        var current = storage.State.Directory;
        if (ServiceProfileRules.Check(profile) is { } refusal)
            return CommandOutcome.Refused(current.Version, refusal);
        // Profiles hold immutable collections, whose equality is by reference: compare what would be stored.
        if (current.Find(profile.Key) is { } held && JourneyJson.Serialize(held) == JourneyJson.Serialize(profile))
            return CommandOutcome.Duplicate(current.Version);

        storage.State.Directory = new ServiceDirectorySnapshot(current.Version + 1, current.Profiles.SetItem(profile.Key, profile));
        try
        {
            await storage.WriteStateAsync();
        }
        catch
        {
            storage.State.Directory = current;
            throw;
        }
        return CommandOutcome.Accepted(current.Version + 1, []);
    }

    public Task<ServiceDirectorySnapshot> GetDirectory() => Task.FromResult(storage.State.Directory);
}
