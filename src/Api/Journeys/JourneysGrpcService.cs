using CareTwin.Api.Calls;
using CareTwin.Api.Contracts.V1;
using CareTwin.Api.Grpc;
using CareTwin.Api.Mapping;
using CareTwin.Api.Errors;
using CareTwin.Grains.Access;

namespace CareTwin.Api.Journeys;

/// <summary>caretwin.v1.Journeys: one change or one read per call.</summary>
public sealed class JourneysGrpcService(CallAdmission admission, JourneyChanges changes, AccessGate gate, TimeProvider clock) : IGrpcService
{
    public void Bind(GrpcServiceBinder binder) => binder
        .Service(JourneysReflection.Descriptor, "Journeys")
        .Unary<RegisterChildRequest, ChangeReply>("RegisterChild", ChangeAsync)
        .Unary<GetJourneyRequest, Contracts.V1.Journey>("GetJourney", GetJourneyAsync)
        .Unary<StartTransitionRequest, ChangeReply>("StartTransition", ChangeAsync)
        .Unary<ChangeStageRequest, ChangeReply>("ChangeStage", ChangeAsync)
        .Unary<CompleteMilestoneRequest, ChangeReply>("CompleteMilestone", ChangeAsync)
        .Unary<BookAppointmentRequest, ChangeReply>("BookAppointment", ChangeAsync)
        .Unary<UpdateAppointmentRequest, ChangeReply>("UpdateAppointment", ChangeAsync)
        .Unary<RaiseBlockerRequest, ChangeReply>("RaiseBlocker", ChangeAsync)
        .Unary<UpdateBlockerRequest, ChangeReply>("UpdateBlocker", ChangeAsync)
        .Unary<ReassignBlockerRequest, ChangeReply>("ReassignBlocker", ChangeAsync)
        .Unary<ResolveBlockerRequest, ChangeReply>("ResolveBlocker", ChangeAsync)
        .Unary<CancelBlockerRequest, ChangeReply>("CancelBlocker", ChangeAsync)
        .Unary<EscalateBlockerRequest, ChangeReply>("EscalateBlocker", ChangeAsync)
        .Unary<AcknowledgeEscalationRequest, ChangeReply>("AcknowledgeEscalation", ChangeAsync);

    private async Task<ChangeReply> ChangeAsync<TRequest>(TRequest request, ServerCallContext context)
        where TRequest : IChangeRequest
    {
        var call = await admission.AdmitAsync(context, AccessAction.ChangeChild, Subjects(request.ChildId));
        return ProtoViews.Reply(await changes.ApplyAsync(call, request));
    }

    private async Task<Contracts.V1.Journey> GetJourneyAsync(GetJourneyRequest request, ServerCallContext context)
    {
        var call = await admission.AdmitAsync(context, AccessAction.ViewChild, Subjects(request.ChildId));
        var childId = ProtoInput.ChildId(request.ChildId);
        var access = await gate.ForChildAsync(call.Caller, AccessAction.ViewChild, childId, call.Channel).WaitAsync(call.Cancellation);
        return ProtoViews.Journey(access.VisibleJourney(call.Caller, childId, $"view child '{childId}'"), clock.GetUtcNow());
    }

    /// <summary>The child's audit trail, when the id is one (a malformed id names no record).</summary>
    internal static IEnumerable<string> Subjects(params IEnumerable<string?> childIds) =>
        childIds.Where(ProtoInput.IsChildId).Select(id => CallAdmission.ChildSubject(id!));
}
