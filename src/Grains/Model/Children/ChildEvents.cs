using System.Collections.Immutable;
using CareTwin.Grains.Model.Journal;

namespace CareTwin.Grains.Model.Children;

public sealed record ChildRegistered(
    Provenance Provenance,
    string ChildId,
    NhsNumber NhsNumber,
    string GivenName,
    string FamilyName,
    DateOnly DateOfBirth,
    string HospitalKey,
    string RegionKey,
    ImmutableArray<CareTeamMember> CareTeam) : JourneyEvent(Provenance);
