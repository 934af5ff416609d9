using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace CareTwin.Journey.Children;

public sealed record CareTeamMember(string Name, string Role);

/// <summary>Who the child is. <see cref="ChildId"/> is the opaque CareTwin id (the grain key).</summary>
public sealed record ChildProfile(
    string ChildId,
    NhsNumber NhsNumber,
    string GivenName,
    string FamilyName,
    DateOnly DateOfBirth,
    string HospitalKey,
    string RegionKey,
    ImmutableArray<CareTeamMember> CareTeam,
    DateTimeOffset RegisteredAt)
{
    /// <summary>How the child appears on a shared board: given name and family initial.</summary>
    [JsonIgnore]
    public string BoardName => $"{GivenName} {FamilyName[..1]}.";
}
