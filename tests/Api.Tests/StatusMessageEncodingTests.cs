using CareTwin.Api.Grpc;

namespace CareTwin.Api.Tests;

public sealed class StatusMessageEncodingTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("Child not found", "Child not found")]
    [InlineData(" !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~", " !\"#$&'()*+,-./:;<=>?@[\\]^_`{|}~")] // printable ASCII stays, unlike URL escaping
    [InlineData("100%", "100%25")]
    [InlineData("line\nbreak\ttab", "line%0Abreak%09tab")]
    [InlineData("Café", "Caf%C3%A9")]
    [InlineData("☕", "%E2%98%95")]
    [InlineData("\u007f", "%7F")]
    [InlineData("😀", "%F0%9F%98%80")]
    public void Encodes_only_bytes_outside_printable_ascii_and_percent(string message, string expected)
    {
        Assert.Equal(expected, StatusMessageEncoding.Encode(message));
        Assert.Equal(message, StatusMessageEncoding.Decode(expected));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("50%", "50%")]
    [InlineData("%zz done", "%zz done")]
    [InlineData("%4", "%4")]
    [InlineData("%c3%a9", "é")] // lower-case hex is accepted
    public void Decoding_keeps_malformed_sequences_as_written(string encoded, string expected) =>
        Assert.Equal(expected, StatusMessageEncoding.Decode(encoded));
}
