using System.Globalization;
using System.Text;

namespace CareTwin.Api.Grpc;

/// <summary>
/// Percent-encoding of <c>grpc-message</c> as the gRPC HTTP/2 spec defines it: UTF-8 bytes
/// outside 0x20–0x7E, and '%', become %XX; everything else is sent as is (this is not URL escaping).
/// </summary>
public static class StatusMessageEncoding
{
    public static string Encode(string message)
    {
        if (!message.AsSpan().ContainsAnyExceptInRange(' ', '~') && !message.Contains('%'))
        {
            return message;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        var encoded = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E or (byte)'%')
            {
                encoded.Append('%').Append(Convert.ToHexString([b]));
            }
            else
            {
                encoded.Append((char)b);
            }
        }

        return encoded.ToString();
    }

    /// <summary>Decodes %XX sequences; malformed ones are kept as written, as the spec asks.</summary>
    public static string Decode(string encoded)
    {
        if (!encoded.Contains('%'))
        {
            return encoded;
        }

        var bytes = new List<byte>(encoded.Length);
        var text = encoded.AsSpan();
        while (!text.IsEmpty)
        {
            var percent = text.IndexOf('%');
            var plain = percent < 0 ? text : text[..percent];
            bytes.AddRange(Encoding.UTF8.GetBytes(plain.ToArray()));
            text = text[plain.Length..];
            if (text.IsEmpty)
            {
                break;
            }

            if (text.Length >= 3 && byte.TryParse(text.Slice(1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                bytes.Add(value);
                text = text[3..];
            }
            else
            {
                bytes.Add((byte)'%');
                text = text[1..];
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
