namespace CareTwin.Api.Grpc;

/// <summary>Names and values from the gRPC over HTTP/2 spec.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>Compression is not supported; clients learn it from <c>grpc-accept-encoding</c>.</summary>
    public const string IdentityEncoding = "identity";

    /// <summary>The 1-byte compressed flag and the 4-byte big-endian length before every message.</summary>
    public const int MessagePrefixLength = 5;

    /// <summary>application/grpc and application/grpc+proto, with any parameters; not +json or others.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals(ContentType + "+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Any other grpc-encoding than identity names a compression this server cannot read.</summary>
    public static bool IsSupportedEncoding(string? encoding) =>
        string.IsNullOrEmpty(encoding) || encoding.Equals(IdentityEncoding, StringComparison.OrdinalIgnoreCase);
}
