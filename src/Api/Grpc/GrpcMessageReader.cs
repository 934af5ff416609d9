using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace CareTwin.Api.Grpc;

/// <summary>Reads the length-prefixed request message of a unary or server-streaming call.</summary>
internal static class GrpcMessageReader
{
    /// <summary>
    /// Reads exactly one message and requires the request to end after it. Protocol violations
    /// become <see cref="RpcException"/>s with the status the spec gives them.
    /// </summary>
    public static async Task<T> ReadSingleAsync<T>(
        PipeReader body,
        MessageParser<T> parser,
        string messageTypeName,
        int maxMessageBytes,
        CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        T message;
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            long? length = null;
            if (buffer.Length >= GrpcProtocol.MessagePrefixLength)
            {
                // Check the prefix before buffering the payload, so an oversize message is refused early.
                length = ReadPrefix(buffer, maxMessageBytes);
                if (buffer.Length >= GrpcProtocol.MessagePrefixLength + length.Value)
                {
                    var payload = buffer.Slice(GrpcProtocol.MessagePrefixLength, length.Value);
                    message = Parse(parser, payload, messageTypeName);
                    body.AdvanceTo(payload.End);
                    break;
                }
            }

            if (result.IsCompleted)
            {
                throw Truncated(buffer.Length, length);
            }

            body.AdvanceTo(buffer.Start, buffer.End);
        }

        await ExpectEndAsync(body, cancellationToken);
        return message;
    }

    private static long ReadPrefix(ReadOnlySequence<byte> buffer, int maxMessageBytes)
    {
        Span<byte> prefix = stackalloc byte[GrpcProtocol.MessagePrefixLength];
        buffer.Slice(0, GrpcProtocol.MessagePrefixLength).CopyTo(prefix);
        switch (prefix[0])
        {
            case 0:
                break;
            case 1:
                // A compressed message needs a grpc-encoding; the adapter already refused any other than identity.
                throw new RpcException(
                    StatusCode.Internal,
                    "The request message has the compressed flag set, but no grpc-encoding was negotiated; "
                    + "this server does not support compression (grpc-accept-encoding: identity).");
            default:
                throw new RpcException(StatusCode.Internal, $"Invalid compressed flag {prefix[0]} in the message prefix.");
        }

        long length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > maxMessageBytes)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"The request message is {length} bytes; the limit is {maxMessageBytes} bytes.");
        }

        return length;
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, string messageTypeName)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(StatusCode.Internal, $"The request message is not a valid {messageTypeName}.");
        }
    }

    private static RpcException Truncated(long received, long? length) =>
        received == 0
            ? new RpcException(StatusCode.Internal, "The request ended without a message.")
            : length is null
                ? new RpcException(StatusCode.Internal, $"The request ended inside a message prefix ({received} of 5 bytes).")
                : new RpcException(
                    StatusCode.Internal,
                    $"The request ended inside a message: the prefix announced {length} bytes, {received - GrpcProtocol.MessagePrefixLength} arrived.");

    private static async Task ExpectEndAsync(PipeReader body, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await body.ReadAsync(cancellationToken);
            if (!result.Buffer.IsEmpty)
            {
                throw new RpcException(StatusCode.Internal, "The request carried more than one message; this method takes exactly one.");
            }

            body.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }
}
