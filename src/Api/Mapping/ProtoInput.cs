using CareTwin.Api.Errors;
using CareTwin.Grains.Boards;
using CareTwin.Journey.Journal;
using CareTwin.Journey.References;
using CareTwin.Journey.Services;
using CareTwin.Journey.Validation;
using Google.Protobuf.WellKnownTypes;
using V1 = CareTwin.Api.Contracts.V1;

namespace CareTwin.Api.Mapping;

/// <summary>
/// Reads request fields into model values, refusing (INVALID_ARGUMENT, naming the proto field) what cannot be
/// one: unset or unknown enums, impossible dates, out-of-range timestamps, malformed ids. Everything else
/// (text lengths, control characters, journey rules) is the model's to refuse.
/// </summary>
public static class ProtoInput
{
    // Timestamp's own range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    private const long FirstSecond = -62_135_596_800;
    private const long LastSecond = 253_402_300_799;

    /// <summary>A child id as the grain key; checked before any twin is touched.</summary>
    public static string ChildId(string value, string field = "child_id") =>
        value.Length == 0 ? throw ApiStatusMapper.Invalid(field, $"{field} is required.")
        : KeyRules.Identifier(value, field) is { } refusal ? throw new RefusalException(refusal)
        : value;

    public static bool IsChildId(string? value) => KeyRules.Identifier(value, "child_id") is null;

    public static ServiceKey Service(string value, string field) =>
        ServiceKey.TryParse(value, out var key) ? key : throw ApiStatusMapper.Invalid(field, $"{field} must be {ServiceKey.FormatDescription}.");

    public static BoardKey Board(string value, string field) =>
        BoardKey.TryParse(value, out var key) && KeyRules.Slug(key.Code, field) is null
            ? key
            : throw ApiStatusMapper.Invalid(field, $"{field} must be 'hospital:<hospital key>' or 'region:<region key>', like 'hospital:royal-thamesbank'.");

    public static TModel Required<TProto, TModel>(TProto value, string field)
        where TProto : struct, System.Enum
        where TModel : struct, System.Enum =>
        Optional<TProto, TModel>(value, field) ?? throw ApiStatusMapper.Invalid(field, $"{field} is required.");

    /// <summary>Unspecified (0) is "not given"; a number the .proto does not define is refused.</summary>
    public static TModel? Optional<TProto, TModel>(TProto value, string field)
        where TProto : struct, System.Enum
        where TModel : struct, System.Enum =>
        ProtoEnum<TProto, TModel>.IsUnspecified(value) ? null
        : ProtoEnum<TProto, TModel>.ToModel(value)
            ?? throw ApiStatusMapper.Invalid(field, $"{field} {Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)} is not a known {typeof(TProto).Name} value.");

    public static DateOnly Date(V1.Date? value, string field) =>
        OptionalDate(value, field) ?? throw ApiStatusMapper.Invalid(field, $"{field} is required.");

    public static DateOnly? OptionalDate(V1.Date? value, string field)
    {
        if (value is null)
            return null;
        if (value.Year is < 1 or > 9999 || value.Month is < 1 or > 12 || value.Day < 1 || value.Day > DateTime.DaysInMonth(value.Year, value.Month))
            throw ApiStatusMapper.Invalid(field, $"{field} {value.Year:D4}-{value.Month:D2}-{value.Day:D2} is not a calendar date.");
        return new DateOnly(value.Year, value.Month, value.Day);
    }

    public static DateTimeOffset Instant(Timestamp? value, string field) =>
        OptionalInstant(value, field) ?? throw ApiStatusMapper.Invalid(field, $"{field} is required.");

    public static DateTimeOffset? OptionalInstant(Timestamp? value, string field)
    {
        if (value is null)
            return null;
        if (value.Seconds < FirstSecond || value.Seconds > LastSecond || value.Nanos is < 0 or > 999_999_999)
            throw ApiStatusMapper.Invalid(field, $"{field} is not a valid timestamp (years 1-9999).");
        return value.ToDateTimeOffset();
    }

    public static TimeSpan Minutes(int minutes) => TimeSpan.FromMinutes(minutes);

    /// <summary>An entity named by its creator's external id; an empty source system is the caller's own.</summary>
    public static ExternalReference? Reference(V1.ExternalRef? value, CommandOrigin origin) => value is null
        ? null
        : new ExternalReference(value.SourceSystem.Length == 0 ? origin.SourceSystem : value.SourceSystem, value.ExternalId);

    /// <summary>An optional proto string: empty is "not given" (proto3 has no null); whitespace is given, and refused as blank by the model.</summary>
    public static string? Optional(string value) => value.Length == 0 ? null : value;
}
