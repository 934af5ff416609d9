using CareTwin.Api.Mapping;
using Model = CareTwin.Journey;
using V1 = CareTwin.Api.Contracts.V1;

namespace CareTwin.Api.Tests;

/// <summary>The one mapping mechanism holds for every enum pair and field name the API uses.</summary>
public sealed class ProtoMappingTests
{
    [Fact]
    public void Every_model_enum_value_has_a_proto_twin_and_back()
    {
        RoundTrips<V1.TransitionKind, Model.Transitions.TransitionKind>();
        RoundTrips<V1.DischargeDestination, Model.Transitions.DischargeDestination>();
        RoundTrips<V1.BlockerCategory, Model.Blockers.BlockerCategory>();
        RoundTrips<V1.BlockerStatus, Model.Blockers.BlockerStatus>();
        RoundTrips<V1.AppointmentStatus, Model.Appointments.AppointmentStatus>();
        RoundTrips<V1.EscalationTrigger, Model.Escalations.EscalationTrigger>();
        RoundTrips<V1.ActorRole, Model.Journal.ActorRole>();
        RoundTrips<V1.FamilyMessageKind, Model.Family.FamilyMessageKind>();
        RoundTrips<V1.ConcernStatus, Model.Family.ConcernStatus>();
        RoundTrips<V1.TravelMode, Model.Family.TravelMode>();
    }

    [Theory]
    [InlineData("childId", "child_id")]
    [InlineData("careTeam[3].name", "care_team[3].name")]
    [InlineData("origin.externalId", "external_id")]
    [InlineData("newDuration", "new_duration_minutes")]
    [InlineData("items[5]", "items[5]")]
    public void Model_field_paths_become_proto_field_paths(string model, string proto) => Assert.Equal(proto, ProtoFieldName.Of(model));

    private static void RoundTrips<TProto, TModel>()
        where TProto : struct, Enum
        where TModel : struct, Enum
    {
        foreach (var value in Enum.GetValues<TModel>())
            Assert.Equal(value, ProtoEnum<TProto, TModel>.ToModel(ProtoEnum<TProto, TModel>.ToProto(value)));
        Assert.Null(ProtoEnum<TProto, TModel>.ToModel(default));
        Assert.Equal(Enum.GetValues<TModel>().Length + 1, Enum.GetValues<TProto>().Length);
    }
}
