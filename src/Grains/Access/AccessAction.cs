using CareTwin.Journey.Decisions;
namespace CareTwin.Grains.Access;

/// <summary>What a caller asks to do; watching is reading, but audited as its own action.</summary>
public enum AccessAction
{
    /// <summary>The professional view of a child: blockers (sensitive ones too), professional text, timeline.</summary>
    ViewChild,
    WatchChild,
    /// <summary>The family's plain-language view.</summary>
    ViewFamilyView,
    WatchFamilyView,
    /// <summary>Run a journey command on a child (the command decides what is asked).</summary>
    ChangeChild,
    /// <summary>Who has viewed or changed this child's record.</summary>
    ViewAudit,
    /// <summary>Issue and revoke family invites, remove family members, record a young person's consent.</summary>
    ManageFamilyAccess,
    ViewService,
    WatchService,
    ViewBoard,
    WatchBoard,
    /// <summary>Signing in to the web (a password, an identity provider, a family's linked sign-in), in the "sign-in" trail. Last, so stored entries keep their values.</summary>
    SignIn,
    /// <summary>Open, run (attendees, agenda, actions) and close an MDT meeting.</summary>
    RunMeeting,
    /// <summary>A meeting's agenda, actions and minutes, as the caller may see them.</summary>
    ViewMeeting,
    WatchMeeting,
}

/// <summary>The policy's answer, with the reason written to the audit trail (never shown to families in detail).</summary>
/// <param name="AnswerAsUnknown">
/// Refused, and the caller (who may see the child) is told the id is unknown, exactly as the journey would answer
/// for an id it does not have: so a blocker hidden from them is indistinguishable from one that does not exist.
/// </param>
/// <param name="Told">
/// Refused, and the caller may see the record but not do this: what they are told, in their words and true
/// ("Only the owning service or a coordinator can resolve this blocker."), instead of "no access".
/// </param>
public sealed record AccessDecision(bool Allowed, string Reason, Refusal? AnswerAsUnknown = null, string? Told = null)
{
    public static AccessDecision Allow(string reason) => new(true, reason);

    public static AccessDecision Deny(string reason, string? told = null) => new(false, reason, null, told);

    public static AccessDecision Unknown(Refusal answer, string reason) => new(false, reason, answer);
}
