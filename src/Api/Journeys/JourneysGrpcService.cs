using CareTwin.Grains.Forecasts;
using CareTwin.Api.Calls;
using CareTwin.Api.Contracts.V1;
using Grpc.Core;
using CareTwin.Api.Mapping;
using CareTwin.Api.Errors;
using CareTwin.Grains.Access;

namespace CareTwin.Api.Journeys;

/// <summary>caretwin.v1.Journeys: one change or one read per call.</summary>
public sealed class JourneysGrpcService(CallAdmission admission, JourneyChanges changes, AccessGate gate, TimeProvider clock, LeadTimesOnThisNode leadTimes) : Contracts.V1.Journeys.JourneysBase
{
    public override Task<ChangeReply> RegisterChild(RegisterChildRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> StartTransition(StartTransitionRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> ChangeStage(ChangeStageRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> CompleteMilestone(CompleteMilestoneRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> BookAppointment(BookAppointmentRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> UpdateAppointment(UpdateAppointmentRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> RaiseBlocker(RaiseBlockerRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> UpdateBlocker(UpdateBlockerRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> ReassignBlocker(ReassignBlockerRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> SetBlockerStartsAfter(SetBlockerStartsAfterRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> ResolveBlocker(ResolveBlockerRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> CancelBlocker(CancelBlockerRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> EscalateBlocker(EscalateBlockerRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override Task<ChangeReply> AcknowledgeEscalation(AcknowledgeEscalationRequest request, ServerCallContext context) => ChangeAsync(request, context);

    public override async Task<Contracts.V1.Journey> GetJourney(GetJourneyRequest request, ServerCallContext context)
    {
        var call = await admission.AdmitAsync(context, AccessAction.ViewChild, Subjects(request.ChildId));
        var childId = ProtoInput.ChildId(request.ChildId);
        var access = await gate.ForChildAsync(call.Caller, AccessAction.ViewChild, childId, call.Channel).WaitAsync(call.Cancellation);
        return ProtoViews.Journey(access.VisibleJourney(call.Caller, childId, $"view child '{childId}'"), clock.GetUtcNow(), await leadTimes.GetAsync());
    }

    private async Task<ChangeReply> ChangeAsync<TRequest>(TRequest request, ServerCallContext context)
        where TRequest : IChangeRequest
    {
        var call = await admission.AdmitAsync(context, AccessAction.ChangeChild, Subjects(request.ChildId));
        return ProtoViews.Reply(await changes.ApplyAsync(call, request));
    }

    /// <summary>The child's audit trail, when the id is one (a malformed id names no record).</summary>
    internal static IEnumerable<string> Subjects(params IEnumerable<string?> childIds) =>
        childIds.Where(ProtoInput.IsChildId).Select(id => CallAdmission.ChildSubject(id!));
}
