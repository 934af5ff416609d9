using System.Collections.Immutable;
using CareTwin.Journey.Journal;

namespace CareTwin.Journey.Decisions;

/// <summary>Maps to gRPC INVALID_ARGUMENT / NOT_FOUND / FAILED_PRECONDITION and HTTP 400 / 404 / 409.</summary>
public enum RefusalKind
{
    InvalidArgument,
    NotFound,
    FailedPrecondition,
}

/// <summary>Why a command was refused; <see cref="Field"/> is the command's field (camelCase, as in JSON).</summary>
public sealed record Refusal(RefusalKind Kind, string Field, string Message)
{
    public static Refusal Invalid(string field, string message) => new(RefusalKind.InvalidArgument, field, message);

    public static Refusal NotFound(string field, string message) => new(RefusalKind.NotFound, field, message);

    public static Refusal Precondition(string field, string message) => new(RefusalKind.FailedPrecondition, field, message);
}

/// <summary>The outcome of deciding a command. Only <see cref="Accepted"/> carries events.</summary>
public abstract record Decision
{
    private Decision()
    {
    }

    public sealed record Accepted(ImmutableArray<JourneyEvent> Events) : Decision;

    /// <summary>The (source system, external id) was already applied: nothing changes.</summary>
    public sealed record Duplicate(string SourceSystem, string ExternalId) : Decision;

    public sealed record Refused(Refusal Refusal) : Decision;

    public static Decision Accept(params JourneyEvent[] events) => new Accepted([.. events]);

    public static implicit operator Decision(Refusal refusal) => new Refused(refusal);

    /// <summary>The events to append: empty unless accepted.</summary>
    public ImmutableArray<JourneyEvent> EventsToAppend => this is Accepted accepted ? accepted.Events : [];
}
