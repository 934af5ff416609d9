using System.Collections.Frozen;

namespace CareTwin.Api.Mapping;

/// <summary>
/// Maps a proto enum to the model enum with the same member names: protoc strips the TYPE_NAME_ prefix, so
/// BLOCKER_CATEGORY_HOUSING_ADAPTATION is <c>HousingAdaptation</c> on both sides. The proto's 0 (Unspecified)
/// has no model counterpart: in a request it means "not given". A model member without a proto twin fails the
/// type's first use (and the mapping tests), never silently.
/// </summary>
public static class ProtoEnum<TProto, TModel>
    where TProto : struct, Enum
    where TModel : struct, Enum
{
    private static readonly FrozenDictionary<TModel, TProto> ToProtoValues = Enum.GetValues<TModel>().ToFrozenDictionary(
        model => model,
        model => Enum.TryParse<TProto>(model.ToString(), out var proto) && proto.ToString() == model.ToString()
            ? proto
            : throw new InvalidOperationException($"{typeof(TProto).FullName} has no member for {typeof(TModel).Name}.{model}."));

    private static readonly FrozenDictionary<TProto, TModel> ToModelValues = ToProtoValues.ToFrozenDictionary(p => p.Value, p => p.Key);

    public static TProto ToProto(TModel value) => ToProtoValues[value];

    public static TProto ToProto(TModel? value) => value is { } v ? ToProtoValues[v] : default;

    /// <summary>The model value; null for Unspecified (0) and for numbers the .proto does not define.</summary>
    public static TModel? ToModel(TProto value) => ToModelValues.TryGetValue(value, out var model) ? model : null;

    public static bool IsUnspecified(TProto value) => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0;
}
