using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using CareTwin.Journey.Decisions;

namespace CareTwin.Journey.Services;

/// <summary>Looks up service profiles while deciding (the grain passes a view of the service twins).</summary>
public interface IServiceDirectory
{
    ServiceProfile? Find(ServiceKey key);
}

public static class ServiceNames
{
    public const string Unlisted = "a service not in the directory";

    /// <summary>
    /// The service's name as people know it, for every page and sentence that names one: a key is never shown, so a
    /// service missing from the directory is called what it is.
    /// </summary>
    public static string NameOf(this IServiceDirectory services, ServiceKey key) => services.Find(key)?.Name ?? Unlisted;

    /// <summary>The ward that looks after a hospital's children, if the directory lists one (the first by key, so the answer is stable).</summary>
    public static ServiceProfile? WardFor(this IEnumerable<ServiceProfile> services, string hospitalKey) =>
        services.Where(s => s.WardOf == hospitalKey && s.Phone is not null).OrderBy(s => s.Key.Value, StringComparer.Ordinal).FirstOrDefault();
}

/// <summary>An immutable in-memory directory.</summary>
public sealed class ServiceDirectory : IServiceDirectory
{
    private readonly ImmutableDictionary<ServiceKey, ServiceProfile> profiles;

    public ServiceDirectory(IEnumerable<ServiceProfile> profiles) =>
        this.profiles = profiles.ToImmutableDictionary(p => p.Key);

    public static ServiceDirectory Empty { get; } = new([]);

    public IEnumerable<ServiceProfile> Profiles => profiles.Values;

    public ServiceProfile? Find(ServiceKey key) => profiles.GetValueOrDefault(key);

    public ServiceDirectory With(ServiceProfile profile) => new(profiles.SetItem(profile.Key, profile).Values);
}

public static class ServiceDirectoryExtensions
{
    /// <summary>Parses a raw service key and finds its profile, or says why not (naming the field).</summary>
    public static bool TryResolve(
        this IServiceDirectory directory,
        string? rawKey,
        string field,
        [NotNullWhen(true)] out ServiceProfile? profile,
        [NotNullWhen(false)] out Refusal? refusal)
    {
        profile = null;
        if (!ServiceKey.TryParse(rawKey, out var key))
        {
            refusal = Refusal.Invalid(field, $"{field} must be {ServiceKey.FormatDescription}.");
            return false;
        }
        profile = directory.Find(key);
        // An unknown service is bad input to this command, not a missing resource it addresses.
        refusal = profile is null ? Refusal.Invalid(field, $"{field} '{key}' is not a known service.") : null;
        return profile is not null;
    }
}
