using System.Collections.Immutable;
using CareTwin.Grains.Children;
using CareTwin.Journey.Services;

namespace CareTwin.Grains.Services;

/// <summary>The profiles of every service (agency), which every child consults when deciding (key: <see cref="DefaultKey"/>).</summary>
public interface IServiceDirectoryGrain : IGrainWithStringKey
{
    const string DefaultKey = "default";

    /// <summary>Adds or replaces a service's profile; an identical profile is a duplicate, a bad one is refused naming the field.</summary>
    Task<CommandOutcome> Register(ServiceProfile profile);

    [ReadOnly]
    Task<ServiceDirectorySnapshot> GetDirectory();
}

/// <summary>
/// The directory at one version. Immutable, so children hold on to it and decide against it directly
/// (every activation in a silo shares the one instance).
/// </summary>
public sealed record ServiceDirectorySnapshot(long Version, ImmutableDictionary<ServiceKey, ServiceProfile> Profiles) : IServiceDirectory
{
    public static ServiceDirectorySnapshot Empty { get; } = new(0, ImmutableDictionary<ServiceKey, ServiceProfile>.Empty);

    public ServiceProfile? Find(ServiceKey key) => Profiles.GetValueOrDefault(key);
}
