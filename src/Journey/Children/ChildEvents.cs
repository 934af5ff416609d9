using System.Collections.Immutable;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Children;

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
