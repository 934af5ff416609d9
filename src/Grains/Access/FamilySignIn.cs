using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace CareTwin.Grains.Access;

/// <summary>One membership a lasting sign-in was linked to.</summary>
public sealed record FamilySignInLink(string ChildId, string MemberId, DateTimeOffset LinkedAt);

/// <summary>
/// Finds the family memberships a lasting sign-in (e.g. NHS login) was linked to (key: <see cref="FamilySignIn.LinkOf"/>).
/// Only an index: each membership's own family-access twin holds its link and decides whether it still stands.
/// </summary>
public interface IFamilySignInGrain : IGrainWithStringKey
{
    Task Link(string childId, string memberId);

    Task Unlink(string childId, string memberId);

    /// <summary>Newest first.</summary>
    [ReadOnly]
    Task<ImmutableArray<FamilySignInLink>> GetLinks();
}

public static class FamilySignIn
{
    /// <summary>
    /// What CareTwin keeps of a person's identity at a provider: a hash of the issuer and their subject there, so the
    /// store holds no provider identifier (an NHS login subject) and one provider's subject never matches another's.
    /// </summary>
    public static string LinkOf(string issuer, string subject) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{issuer.TrimEnd('/')}\n{subject}")));
}

public sealed class FamilySignInState
{
    public List<FamilySignInLink> Links { get; set; } = [];
}

[GrainType("family-sign-in")]
public sealed class FamilySignInGrain([PersistentState("family-sign-in")] IPersistentState<FamilySignInState> state, TimeProvider time) : Grain, IFamilySignInGrain
{
    public async Task Link(string childId, string memberId)
    {
        state.State.Links.RemoveAll(l => l.ChildId == childId && l.MemberId == memberId);
        state.State.Links.Add(new FamilySignInLink(childId, memberId, time.GetUtcNow()));
        await state.WriteStateAsync();
    }

    public async Task Unlink(string childId, string memberId)
    {
        if (state.State.Links.RemoveAll(l => l.ChildId == childId && l.MemberId == memberId) == 0) return;
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<FamilySignInLink>> GetLinks() =>
        Task.FromResult(state.State.Links.OrderByDescending(l => l.LinkedAt).ToImmutableArray());
}
