using CareTwin.Api.Mapping;
using CareTwin.Api.Errors;
using Google.Protobuf;
using Model = CareTwin.Journey;

namespace CareTwin.Api.Contracts.V1;

/// <summary>
/// A change an external system pushes (one per Journeys call, many per Ingest batch). Every change request
/// message implements it below: this file is where a proto change becomes a journey command.
/// </summary>
public interface IChangeRequest : IMessage
{
    string ChildId { get; }

    string ExternalId { get; }

    /// <summary>The journey command; throws <see cref="RefusalException"/> for fields that cannot make one.</summary>
    Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin);

    /// <summary>The call as the caller knows it (each request is named after its RPC), for messages.</summary>
    string RpcName => Descriptor.Name.EndsWith("Request", StringComparison.Ordinal) ? Descriptor.Name[..^"Request".Length] : Descriptor.Name;
}

public sealed partial class RegisterChildRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Children.RegisterChild(
        origin, ChildId, NhsNumber, GivenName, FamilyName, ProtoInput.Date(DateOfBirth, "date_of_birth"), HospitalKey, RegionKey,
        [.. CareTeam.Select(member => new Model.Children.CareTeamMember(member.Name, member.Role))]);
}

public sealed partial class StartTransitionRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Transitions.StartTransition(
        origin, ProtoInput.Required<TransitionKind, Model.Transitions.TransitionKind>(Kind, "kind"));
}

public sealed partial class ChangeStageRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Transitions.ChangeStage(
        origin, TransitionId, Stage, ProtoInput.Optional(Reason),
        ProtoInput.Optional<DischargeDestination, Model.Transitions.DischargeDestination>(Destination, "destination"))
    {
        TransitionRef = ProtoInput.Reference(TransitionRef, origin),
    };
}

public sealed partial class CompleteMilestoneRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) =>
        new Model.Transitions.CompleteMilestone(origin, TransitionId, Milestone) { TransitionRef = ProtoInput.Reference(TransitionRef, origin) };
}

public sealed partial class BookAppointmentRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Appointments.BookAppointment(
        origin, Service, ProtoInput.Instant(Start, "start"), ProtoInput.Minutes(DurationMinutes), Place, Purpose);
}

public sealed partial class UpdateAppointmentRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Appointments.UpdateAppointment(
        origin, AppointmentId, ProtoInput.Required<AppointmentStatus, Model.Appointments.AppointmentStatus>(Status, "status"),
        ProtoInput.OptionalInstant(NewStart, "new_start"),
        NewDurationMinutes == 0 ? null : ProtoInput.Minutes(NewDurationMinutes),
        ProtoInput.Optional(NewPlace))
    {
        AppointmentRef = ProtoInput.Reference(AppointmentRef, origin),
    };
}

public sealed partial class RaiseBlockerRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Blockers.RaiseBlocker(
        origin, TransitionId, ProtoInput.Required<BlockerCategory, Model.Blockers.BlockerCategory>(Category, "category"), OwningService,
        ProtoInput.Optional(NamedOwner), ProfessionalText, ProtoInput.Optional(FamilyText),
        ProtoInput.Date(TargetDate, "target_date"), Sensitive)
    {
        TransitionRef = ProtoInput.Reference(TransitionRef, origin),
        StartsAfter = [.. StartsAfter],
    };
}

public sealed partial class UpdateBlockerRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Blockers.UpdateBlockerProgress(
        origin, BlockerId, ProtoInput.Optional<BlockerStatus, Model.Blockers.BlockerStatus>(Status, "status"),
        ProtoInput.OptionalDate(TargetDate, "target_date"), ProtoInput.Optional(NamedOwner),
        ProtoInput.Optional(ProfessionalText), ProtoInput.Optional(FamilyText), MarkSensitive)
    {
        BlockerRef = ProtoInput.Reference(BlockerRef, origin),
    };
}

public sealed partial class ReassignBlockerRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Blockers.ReassignBlocker(
        origin, BlockerId, OwningService, ProtoInput.Optional(NamedOwner), Reason)
    {
        BlockerRef = ProtoInput.Reference(BlockerRef, origin),
    };
}

public sealed partial class ResolveBlockerRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) => new Model.Blockers.ResolveBlocker(
        origin, BlockerId, ProtoInput.Optional(Note), ProtoInput.Optional(FamilyText))
    {
        BlockerRef = ProtoInput.Reference(BlockerRef, origin),
    };
}

public sealed partial class CancelBlockerRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) =>
        new Model.Blockers.CancelBlocker(origin, BlockerId, Reason) { BlockerRef = ProtoInput.Reference(BlockerRef, origin) };
}

public sealed partial class SetBlockerStartsAfterRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) =>
        new Model.Blockers.SetBlockerStartsAfter(origin, BlockerId, AfterBlockerId, StartsAfter: !NoLonger)
        {
            BlockerRef = ProtoInput.Reference(BlockerRef, origin),
        };
}

public sealed partial class EscalateBlockerRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) =>
        new Model.Escalations.EscalateBlocker(origin, BlockerId, Reason) { BlockerRef = ProtoInput.Reference(BlockerRef, origin) };
}

public sealed partial class AcknowledgeEscalationRequest : IChangeRequest
{
    public Model.Decisions.JourneyCommand ToCommand(Model.Journal.CommandOrigin origin) =>
        new Model.Escalations.AcknowledgeEscalation(origin, BlockerId, ProtoInput.Optional(Note)) { BlockerRef = ProtoInput.Reference(BlockerRef, origin) };
}

public sealed partial class IngestItem
{
    /// <summary>The item's change, or null when none of the oneof is set.</summary>
    public IChangeRequest? Request => ChangeCase switch
    {
        ChangeOneofCase.RegisterChild => RegisterChild,
        ChangeOneofCase.StartTransition => StartTransition,
        ChangeOneofCase.ChangeStage => ChangeStage,
        ChangeOneofCase.CompleteMilestone => CompleteMilestone,
        ChangeOneofCase.BookAppointment => BookAppointment,
        ChangeOneofCase.UpdateAppointment => UpdateAppointment,
        ChangeOneofCase.RaiseBlocker => RaiseBlocker,
        ChangeOneofCase.UpdateBlocker => UpdateBlocker,
        ChangeOneofCase.ReassignBlocker => ReassignBlocker,
        ChangeOneofCase.ResolveBlocker => ResolveBlocker,
        ChangeOneofCase.CancelBlocker => CancelBlocker,
        ChangeOneofCase.EscalateBlocker => EscalateBlocker,
        ChangeOneofCase.AcknowledgeEscalation => AcknowledgeEscalation,
        ChangeOneofCase.SetBlockerStartsAfter => SetBlockerStartsAfter,
        _ => null,
    };
}
