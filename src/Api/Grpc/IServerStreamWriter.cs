using Google.Protobuf;

namespace CareTwin.Api.Grpc;

/// <summary>Sends the messages of a server-streaming call, one at a time, in order.</summary>
public interface IServerStreamWriter<in T>
    where T : IMessage
{
    /// <summary>
    /// Sends one message and flushes it to the client. Throws <see cref="OperationCanceledException"/>
    /// once the call is over (deadline, client cancel, already completed).
    /// </summary>
    Task WriteAsync(T message);
}
