using CareTwin.Journey.Decisions;

namespace CareTwin.Api.Errors;

/// <summary>
/// A request CareTwin will not carry out, for a reason the caller can fix: the journey rules refused it, or its
/// proto fields did not make a valid command. <see cref="ApiStatusMapper"/> turns it into the status.
/// </summary>
public sealed class RefusalException(Refusal refusal) : Exception(refusal.Message)
{
    public Refusal Refusal { get; } = refusal;
}
