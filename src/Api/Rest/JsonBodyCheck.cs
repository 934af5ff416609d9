using System.Globalization;
using System.Text.Json;
using CareTwin.Api.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace CareTwin.Api.Rest;

/// <summary>
/// Reads a REST request's JSON body against the request message's descriptor before JSON transcoding does, so
/// that malformed JSON, a field the message does not have, a value of the wrong type, two members of one oneof or
/// a path id the body contradicts are refused with INVALID_ARGUMENT naming the field (snake_case path, as in the
/// .proto) and saying what is wrong. Transcoding alone ignores unknown fields and answers every other mistake with
/// the same "payload is not correctly formatted". Follows the descriptor, so fields added to the .proto later are
/// known here at once.
/// </summary>
internal static class JsonBodyCheck
{
    private static readonly JsonDocumentOptions Reading = new() { MaxDepth = 64 };

    /// <param name="pathValues">Route values the path binds to top-level fields of the message (child_id).</param>
    /// <returns>The refusal, or null when transcoding can read the body.</returns>
    public static ApiError? Check(ReadOnlyMemory<byte> body, MessageDescriptor message, IReadOnlyDictionary<string, string> pathValues)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Reading);
        }
        catch (JsonException malformed)
        {
            return body.IsEmpty
                ? Invalid(null, $"The body is empty; send the {message.Name} as a JSON object.")
                : Invalid(null, $"The body is not valid JSON: {malformed.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Invalid(null, $"The body must be a JSON object (the {message.Name}), not {Describe(root)}.");
            return CheckMessage(root, message, "") ?? CheckPathAgreement(root, message, pathValues);
        }
    }

    private static ApiError? CheckMessage(JsonElement value, MessageDescriptor message, string path)
    {
        Dictionary<OneofDescriptor, string>? oneofs = null;
        foreach (var property in value.EnumerateObject())
        {
            var field = Find(message, property.Name);
            if (field is null)
            {
                var unknown = Join(path, property.Name);
                return Invalid(unknown, $"{unknown} is not a field of {message.Name}; its fields are {string.Join(", ", message.Fields.InDeclarationOrder().Select(f => f.JsonName))}.");
            }

            var fieldPath = Join(path, field.Name);
            if (field.RealContainingOneof is { } oneof && property.Value.ValueKind != JsonValueKind.Null)
            {
                oneofs ??= [];
                if (!oneofs.TryAdd(oneof, field.Name))
                    return Invalid(fieldPath, $"{fieldPath}: {Join(path, oneofs[oneof])} is set too, and only one of {string.Join(", ", oneof.Fields.Select(f => f.Name))} may be.");
            }

            if (CheckField(property.Value, field, fieldPath) is { } problem)
                return problem;
        }
        return null;
    }

    private static ApiError? CheckField(JsonElement value, FieldDescriptor field, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap
                ? null
                : Invalid(path, $"{path} is null; leave the field out to leave it unset.");

        if (field.IsMap)
        {
            if (value.ValueKind != JsonValueKind.Object)
                return Expected(path, "an object", value);
            var valueField = field.MessageType.FindFieldByNumber(2);
            foreach (var entry in value.EnumerateObject())
            {
                var entryPath = $"{path}[\"{entry.Name}\"]";
                if (entry.Value.ValueKind == JsonValueKind.Null)
                    return Invalid(entryPath, $"{entryPath} is null; a map holds no null values.");
                if (CheckValue(entry.Value, valueField, entryPath) is { } problem)
                    return problem;
            }
            return null;
        }

        if (field.IsRepeated)
        {
            if (value.ValueKind != JsonValueKind.Array)
                return Expected(path, "an array", value);
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var itemPath = $"{path}[{index++.ToString(CultureInfo.InvariantCulture)}]";
                if (item.ValueKind == JsonValueKind.Null)
                    return Invalid(itemPath, $"{itemPath} is null; a list holds no null values.");
                if (CheckValue(item, field, itemPath) is { } problem)
                    return problem;
            }
            return null;
        }

        return CheckValue(value, field, path);
    }

    /// <summary>One value of the field's type, as the proto3 JSON mapping writes it.</summary>
    private static ApiError? CheckValue(JsonElement value, FieldDescriptor field, string path) => field.FieldType switch
    {
        FieldType.String => value.ValueKind == JsonValueKind.String ? null : Expected(path, "text", value),
        FieldType.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Expected(path, "true or false", value),
        FieldType.Bytes => value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out _) ? null : Expected(path, "base64 text", value),
        // Transcoding reads 32-bit integers from JSON numbers only, 64-bit ones from numbers or text (proto3 JSON).
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Integer(value, path, int.MinValue, int.MaxValue, textAllowed: false),
        FieldType.UInt32 or FieldType.Fixed32 => Integer(value, path, 0, uint.MaxValue, textAllowed: false),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Integer(value, path, long.MinValue, long.MaxValue, textAllowed: true),
        FieldType.UInt64 or FieldType.Fixed64 => value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out _)
            || value.ValueKind == JsonValueKind.String && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? null : Expected(path, "a whole number", value),
        FieldType.Float or FieldType.Double => value.ValueKind == JsonValueKind.Number
            || value.ValueKind == JsonValueKind.String && value.GetString() is "NaN" or "Infinity" or "-Infinity"
            ? null : Expected(path, "a number", value),
        FieldType.Enum => Enum(value, field.EnumType, path),
        FieldType.Message when IsWellKnown(field.MessageType) => WellKnown(value, field.MessageType, path),
        FieldType.Message => value.ValueKind == JsonValueKind.Object
            ? CheckMessage(value, field.MessageType, path)
            : Expected(path, $"a {field.MessageType.Name} object ({string.Join(", ", field.MessageType.Fields.InDeclarationOrder().Select(f => f.JsonName))})", value),
        _ => null,
    };

    private static ApiError? Integer(JsonElement value, string path, long min, decimal max, bool textAllowed)
    {
        var whole = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var number) => number,
            JsonValueKind.String when textAllowed && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
            _ => (long?)null,
        };
        if (whole is null)
            return Expected(path, "a whole number", value);
        return whole < min || whole > max
            ? Invalid(path, $"{path} is {whole.Value.ToString(CultureInfo.InvariantCulture)}, outside what the field holds ({min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}).")
            : null;
    }

    private static ApiError? Enum(JsonElement value, EnumDescriptor type, string path)
    {
        if (value.ValueKind == JsonValueKind.Number)
            return Integer(value, path, int.MinValue, int.MaxValue, textAllowed: false);
        if (value.ValueKind != JsonValueKind.String)
            return Expected(path, $"one of the {type.Name} names", value);
        var name = value.GetString()!;
        return type.FindValueByName(name) is not null
            ? null
            : Invalid(path, $"{path}: '{Shorten(name)}' is not a {type.Name}; use one of {string.Join(", ", type.Values.Select(v => v.Name))}.");
    }

    /// <summary>Timestamps, wrappers and the other google.protobuf types: their own JSON forms, read by Google.Protobuf.</summary>
    private static ApiError? WellKnown(JsonElement value, MessageDescriptor type, string path)
    {
        try
        {
            JsonParser.Default.Parse(value.GetRawText(), type);
            return null;
        }
        catch (Exception unreadable) when (unreadable is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException)
        {
            var form = type.FullName == "google.protobuf.Timestamp" ? " (a UTC time like \"2027-01-31T09:30:00Z\")" : "";
            return Invalid(path, $"{path} is not a {type.FullName}{form}: {unreadable.Message}");
        }
    }

    /// <summary>A path id (child_id in /v1/children/{child_id}:...) that the body also gives must be the same id.</summary>
    private static ApiError? CheckPathAgreement(JsonElement root, MessageDescriptor message, IReadOnlyDictionary<string, string> pathValues)
    {
        foreach (var (name, fromPath) in pathValues)
        {
            var field = message.FindFieldByName(name);
            if (field is null)
                continue;
            foreach (var property in root.EnumerateObject())
            {
                if ((property.Name == field.Name || property.Name == field.JsonName)
                    && property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } fromBody && fromBody != fromPath)
                    return Invalid(field.Name, $"{field.Name} is '{Shorten(fromPath)}' in the path but '{Shorten(fromBody)}' in the body; give it in the path only.");
            }
        }
        return null;
    }

    private static bool IsWellKnown(MessageDescriptor type) => type.File.Package == "google.protobuf";

    /// <summary>By its JSON name (camelCase) or its .proto name, as transcoding accepts either.</summary>
    private static FieldDescriptor? Find(MessageDescriptor message, string name) =>
        message.FindFieldByName(name) ?? message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static ApiError Expected(string path, string what, JsonElement value) => Invalid(path, $"{path} must be {what}, not {Describe(value)}.");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    /// <summary>Echoes the caller's own text, cut short so a refusal stays small.</summary>
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static ApiError Invalid(string? field, string message) => new(StatusCode.InvalidArgument, field, message);
}
