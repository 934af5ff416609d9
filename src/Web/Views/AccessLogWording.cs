using CareTwin.Grains.Access;
using CareTwin.Journey.Appointments;
using CareTwin.Journey.Blockers;
using CareTwin.Journey.Children;
using CareTwin.Journey.Escalations;
using CareTwin.Journey.Family;
using CareTwin.Journey.Meetings;
using CareTwin.Journey.Transitions;
using CareTwin.Web.Live;
using CareTwin.Web.SignIn;

namespace CareTwin.Web.Views;

/// <summary>An entry of "who has viewed this record", in words: what they did and how they reached the record.</summary>
public sealed record AccessLogLine(DateTimeOffset At, string Who, string Role, string What, string Through, bool Allowed);

/// <summary>
/// Words the audit trail's entries for the child page. The trail keeps what auditors need (action, command and
/// hub method names, the ids they concern); people read what was done, never those names or ids.
/// </summary>
public static class AccessLogWording
{
    public static AccessLogLine Line(AuditEntry entry) =>
        new(entry.At, entry.CallerName, Role(entry.Role), What(entry.Action, entry.Detail), Through(entry.Channel), entry.Allowed);

    private static string What(AccessAction action, string? detail) =>
        Detail(detail) ?? action switch
        {
            AccessAction.ViewChild => "Opened the record",
            AccessAction.WatchChild => "Followed the record live",
            AccessAction.ViewFamilyView => "Opened the family's page",
            AccessAction.WatchFamilyView => "Followed the family's page live",
            AccessAction.ChangeChild => "Changed the record",
            AccessAction.ViewAudit => "Looked at who has viewed the record",
            AccessAction.ManageFamilyAccess => "Looked at family access",
            AccessAction.ViewService or AccessAction.WatchService => "Opened a service's page",
            AccessAction.ViewBoard or AccessAction.WatchBoard => "Opened a board",
            AccessAction.SignIn => "Signed in",
            AccessAction.RunMeeting => "Ran an MDT meeting",
            AccessAction.ViewMeeting or AccessAction.WatchMeeting => "Opened an MDT meeting",
            _ => "Used the record",
        };

    // The detail's first word names what was done (a command or hub method); what follows it is an id, never shown.
    private static string? Detail(string? detail) => detail?.Split(' ', 2)[0] switch
    {
        null or "" => null,
        nameof(RaiseBlocker) => "Raised a blocker",
        nameof(UpdateBlockerProgress) => "Updated a blocker",
        nameof(ReassignBlocker) => "Reassigned a blocker",
        nameof(ResolveBlocker) => "Resolved a blocker",
        nameof(CancelBlocker) => "Cancelled a blocker",
        nameof(SetBlockerStartsAfter) => "Said what a blocker starts after",
        nameof(EscalateBlocker) => "Escalated a blocker",
        nameof(AutoEscalateBlocker) => "Escalated a blocker automatically",
        nameof(AcknowledgeEscalation) => "Acknowledged an escalation",
        nameof(StartTransition) => "Started a journey",
        nameof(ChangeStage) => "Changed the stage",
        nameof(CompleteMilestone) => "Completed a milestone",
        nameof(BookAppointment) => "Booked an appointment",
        nameof(UpdateAppointment) => "Updated an appointment",
        nameof(RegisterChild) => "Registered the child",
        nameof(AddFamilyNote) => "Sent the team a note",
        nameof(FlagConcern) => "Flagged a concern",
        nameof(AcknowledgeConcern) => "Read a concern from the family",
        nameof(AnswerConcern) => "Answered a concern from the family",
        nameof(CloseConcern) => "Closed a concern from the family",
        nameof(SetFamilyTravel) => "Said how the family gets to appointments",
        nameof(RecordMeetingDecision) => "Recorded a decision agreed at an MDT meeting",
        nameof(JourneyHub.GetChildFamilyMessages) => "Read older messages from the family",
        nameof(JourneyHub.GetFamilyMessages) => "Read older messages on the family's page",
        nameof(JourneyHub.GetFamilyAccess) => "Looked at family access",
        nameof(JourneyHub.IssueInvite) => "Issued a family invite code",
        nameof(JourneyHub.RevokeInvite) => "Revoked a family invite code",
        nameof(JourneyHub.RemoveFamilyMember) => "Removed a family member",
        SignInEndpoints.RedeemedInvite => "Joined as family with an invite code",
        nameof(JourneyHub.RecordYoungPersonConsent) => "Recorded the young person's agreement",
        "WithdrawYoungPersonConsent" => "Recorded that the young person withdrew their agreement",
        _ when detail == LiveAccess.EndedDetail => "Live view ended: access had ended",
        "watch" => "Live feed ended",
        _ => null,
    };

    private static string Role(CallerRole role) => role switch
    {
        CallerRole.Coordinator => "Care coordinator",
        CallerRole.AgencyStaff => "Agency staff",
        CallerRole.Family => "Family",
        CallerRole.ExternalSystem => "Connected system",
        CallerRole.Operator => "Operator",
        _ => "Not signed in",
    };

    private static string Through(string channel) => channel switch
    {
        "page" => "Web page",
        "hub" => "Web page (live)",
        "grpc" or "rest" => "Connected system",
        "fhir" => "Connected system (FHIR)",
        _ => "Other",
    };
}
