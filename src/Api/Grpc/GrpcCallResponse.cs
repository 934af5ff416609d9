using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace CareTwin.Api.Grpc;

/// <summary>
/// The response side of one call: messages, then the status as trailers, or as headers alone
/// (trailers-only) when no message was sent. Writes and completion are serialized because the
/// deadline may complete the call while the handler is still running.
/// </summary>
internal sealed class GrpcCallResponse : IDisposable
{
    private readonly HttpContext _http;
    private readonly int _maxMessageBytes;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _messageWritten;
    private bool _completed;

    public GrpcCallResponse(HttpContext http, int maxMessageBytes)
    {
        _http = http;
        _maxMessageBytes = maxMessageBytes;
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
    }

    /// <summary>Writes one message; flushes it when <paramref name="flush"/> (streaming) so the client sees it now.</summary>
    public async Task WriteAsync(IMessage message, bool flush)
    {
        var aborted = _http.RequestAborted;
        await _gate.WaitAsync(aborted);
        try
        {
            if (_completed)
            {
                throw new OperationCanceledException("The call has already ended; no more messages can be sent.");
            }

            aborted.ThrowIfCancellationRequested();
            var body = _http.Response.BodyWriter;
            GrpcMessageWriter.Write(body, message, _maxMessageBytes);
            _messageWritten = true;
            if (flush)
            {
                var result = await body.FlushAsync(aborted);
                if (result.IsCanceled || result.IsCompleted)
                {
                    throw new OperationCanceledException("The client is no longer reading the response.", aborted);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the call with <paramref name="status"/>; later calls are no-ops, the first status wins.</summary>
    public async Task CompleteAsync(Status status)
    {
        await _gate.WaitAsync();
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (_http.RequestAborted.IsCancellationRequested)
            {
                return; // The client reset the stream; nobody is left to tell.
            }

            var response = _http.Response;
            var code = ((int)status.Code).ToString(CultureInfo.InvariantCulture);
            var message = StatusMessageEncoding.Encode(status.Detail);
            if (!_messageWritten && !response.HasStarted)
            {
                // Trailers-only: one HEADERS frame with END_STREAM carries the status.
                response.Headers[GrpcProtocol.StatusHeader] = code;
                if (message.Length > 0)
                {
                    response.Headers[GrpcProtocol.MessageHeader] = message;
                }
            }
            else
            {
                response.AppendTrailer(GrpcProtocol.StatusHeader, code);
                if (message.Length > 0)
                {
                    response.AppendTrailer(GrpcProtocol.MessageHeader, message);
                }
            }

            // Sends END_STREAM now, even if a late handler is still running after its deadline.
            await response.CompleteAsync();
        }
        catch (Exception) when (_http.RequestAborted.IsCancellationRequested)
        {
            // The client went away while the status was being sent.
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
