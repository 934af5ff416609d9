using System.Collections.Immutable;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Children;

/// <param name="NhsNumber">As typed or pushed; spaces and dashes are accepted.</param>
public sealed record RegisterChild(
    CommandOrigin Origin,
    string ChildId,
    string NhsNumber,
    string GivenName,
    string FamilyName,
    DateOnly DateOfBirth,
    string HospitalKey,
    string RegionKey,
    ImmutableArray<CareTeamMember> CareTeam) : JourneyCommand(Origin)
{
    // The raw NHS number must not reach logs through the record's generated ToString.
    public override string ToString() =>
        $"RegisterChild {{ ChildId = {ChildId}, NhsNumber = (hidden), HospitalKey = {HospitalKey}, RegionKey = {RegionKey}, Origin = {Origin} }}";
}
