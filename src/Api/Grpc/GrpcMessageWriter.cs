using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace CareTwin.Api.Grpc;

/// <summary>Writes a message with its 5-byte prefix (uncompressed) into the response body.</summary>
internal static class GrpcMessageWriter
{
    public static void Write(PipeWriter body, IMessage message, int maxMessageBytes)
    {
        var length = message.CalculateSize();
        if (length > maxMessageBytes)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"The response message is {length} bytes; the limit is {maxMessageBytes} bytes.");
        }

        var prefix = body.GetSpan(GrpcProtocol.MessagePrefixLength);
        prefix[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)length);
        body.Advance(GrpcProtocol.MessagePrefixLength);
        message.WriteTo(body);
    }
}
