using CareTwin.Journey.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;

namespace CareTwin.Grains.Serialization;

/// <summary>
/// How CareTwin's values cross grain calls without Orleans attributes in the journey model: serialized as JSON
/// with the journey's own options (the same as its journals), and shared, not copied, inside a silo, because
/// every one of them is an immutable record. The few mutable twin states copy themselves (<see cref="ITwinState"/>).
/// </summary>
public static class CareTwinSerialization
{
    public static ISerializerBuilder AddCareTwinSerialization(this ISerializerBuilder serializer)
    {
        serializer.Services.AddSingleton<IGeneralizedCopier, SharedValueCopier>();
        return serializer.AddJsonSerializer(isSerializable: IsCareTwinType, isCopyable: _ => false,
            configureOptions: options => options.Configure(o => o.SerializerOptions = JourneyJson.Options));
    }

    public static bool IsCareTwinType(Type type) =>
        type.Namespace is { } ns && (ns.StartsWith("CareTwin.Journey", StringComparison.Ordinal) || ns.StartsWith("CareTwin.Grains", StringComparison.Ordinal));

    private sealed class SharedValueCopier : IGeneralizedCopier
    {
        public bool IsSupportedType(Type type) => IsCareTwinType(type);

        public object? DeepCopy(object? input, CopyContext context) => input is ITwinState state ? state.Copy() : input;
    }
}

/// <summary>A journaled twin's mutable state: Orleans keeps a tentative copy beside the confirmed one.</summary>
public interface ITwinState
{
    object Copy();
}
