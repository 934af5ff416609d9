using CareTwin.Api.Authentication;
using CareTwin.Api.Mapping;
using CareTwin.Grains.Cluster;
using CareTwin.Journey.Decisions;
using CareTwin.Storage;
using Grpc.Core;

namespace CareTwin.Api.Errors;

/// <summary>
/// The one place that decides which gRPC status a CareTwin failure gets, for whole calls (through
/// <see cref="ApiCallInterceptor"/>) and for Ingest's per-item results alike. Messages are written for the
/// caller and never carry an internal exception's text.
/// </summary>
public static class ApiStatusMapper
{
    /// <summary>The error a failure means to the client, or null for one nobody expected (INTERNAL).</summary>
    public static ApiError? Describe(Exception exception) => exception switch
    {
        RefusalException refused => FromRefusal(refused.Refusal),
        AccessDeniedException denied => new(StatusCode.PermissionDenied, null, denied.Message),
        RpcException rpc => new(rpc.StatusCode, null, rpc.Status.Detail),
        // The change was tried twice (see JourneyChanges); it is idempotent, so the client may send it again.
        InconsistentStateException => new(StatusCode.Aborted, null,
            "The child's record was changed by someone else while this change was being saved, twice in a row; send it again."),
        // A node of the cluster has just died or is leaving: its twins are served elsewhere within seconds.
        _ when NodeLoss.Caused(exception) => new(StatusCode.Unavailable, null, "CareTwin is shutting down or restarting; send the request again shortly."),
        TimeoutException => new(StatusCode.Unavailable, null, "CareTwin did not answer in time; send the request again (changes are idempotent)."),
        _ => null,
    };

    public static ApiError FromRefusal(Refusal refusal)
    {
        var field = ProtoFieldName.Of(refusal.Field);
        var message = refusal.Message.Replace(refusal.Field, field, StringComparison.Ordinal);
        // The field comes first (docs/external-systems.md), even when the reason happens to use its name as a word.
        if (!StartsWithField(message, field))
            message = $"{field}: {message}";
        var code = refusal.Kind switch
        {
            RefusalKind.NotFound => StatusCode.NotFound,
            RefusalKind.FailedPrecondition => StatusCode.FailedPrecondition,
            _ => StatusCode.InvalidArgument,
        };
        return new ApiError(code, field, message);
    }

    private static bool StartsWithField(string message, string field) =>
        message.StartsWith(field, StringComparison.Ordinal) && (message.Length == field.Length || message[field.Length] is ':' or ' ');

    // Failures of the API itself (not of a journey rule), so every status is chosen here.

    public static RpcException Unauthenticated(string message) => new(new Status(StatusCode.Unauthenticated, message));

    /// <summary>How a watch ends when a reload of the keys ends the key it was opened with.</summary>
    public static ApiError KeyEnded(ApiKeyEnding ending) => ending switch
    {
        ApiKeyEnding.Removed => new(StatusCode.Unauthenticated, null,
            "The API key this watch was opened with has been revoked (removed from CareTwin's configuration); use the system's current key."),
        _ => new(StatusCode.Unavailable, null,
            "What the API key this watch was opened with may do has been changed; open the watch again (the key still works)."),
    };

    public static RpcException RateLimited(string message) => new(new Status(StatusCode.ResourceExhausted, message));

    public static RpcException WatchLimit(string message) => new(new Status(StatusCode.ResourceExhausted, message));

    public static RefusalException Invalid(string field, string message) => new(Refusal.Invalid(field, message));

    public static RefusalException NotFound(string field, string message) => new(Refusal.NotFound(field, message));
}
