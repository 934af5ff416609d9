using CareTwin.Actors.Runtime;

namespace CareTwin.Actors;

/// <summary>Identity helpers on grain references and grain instances, as Orleans's GrainExtensions.</summary>
public static class GrainExtensions
{
    public static GrainId GetGrainId(this IAddressable grain) => grain switch
    {
        GrainProxy proxy => proxy.GrainId,
        IGrainBase instance => instance.GrainContext.GrainId,
        _ => throw new ArgumentException($"{grain.GetType().Name} is not a grain reference or grain.", nameof(grain)),
    };

    public static string GetPrimaryKeyString(this IAddressable grain) => grain.GetGrainId().Key;

    public static Guid GetPrimaryKey(this IAddressable grain) => Guid.Parse(grain.GetGrainId().Key);

    /// <summary>
    /// A reference to this grain for handing to other grains. Passing <c>this</c> would let callers bypass
    /// the activation's turns, so always pass a reference.
    /// </summary>
    public static TGrainInterface AsReference<TGrainInterface>(this IGrainBase grain) where TGrainInterface : IAddressable =>
        ((ActivationData)grain.GrainContext).Runtime.GetGrain<TGrainInterface>(grain.GrainContext.GrainId);
}
