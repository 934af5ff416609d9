namespace CareTwin.Api.Grpc;

/// <summary>
/// Thrown by a handler (or the adapter) to end a call with a status. The detail is sent to
/// the client as <c>grpc-message</c>, so it must never carry internal exception text.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(Status status)
        : base(status.ToString())
    {
        if (status.Code == StatusCode.OK)
        {
            throw new ArgumentException("An RpcException cannot carry status OK.", nameof(status));
        }

        Status = status;
    }

    public RpcException(StatusCode code, string detail)
        : this(new Status(code, detail))
    {
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.Code;
}
