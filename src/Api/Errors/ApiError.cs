using Grpc.Core;

namespace CareTwin.Api.Errors;

/// <summary>What the client is told about a failed call or batch item.</summary>
/// <param name="Field">The request field at fault (snake_case, as in the .proto), when one is.</param>
public sealed record ApiError(StatusCode Code, string? Field, string Message)
{
    public RpcException ToException() => new(new Status(Code, Message));
}
