using CareTwin.Api.Grpc;

namespace CareTwin.Api.Tests;

public sealed class GrpcTimeoutTests
{
    public static TheoryData<string, TimeSpan> Valid => new()
    {
        { "1H", TimeSpan.FromHours(1) },
        { "2M", TimeSpan.FromMinutes(2) },
        { "30S", TimeSpan.FromSeconds(30) },
        { "250m", TimeSpan.FromMilliseconds(250) },
        { "1500u", TimeSpan.FromMicroseconds(1500) },
        { "100n", TimeSpan.FromTicks(1) },
        { "101n", TimeSpan.FromTicks(2) }, // rounded up: never earlier than the client asked
        { "0m", TimeSpan.Zero },
        { "00000005S", TimeSpan.FromSeconds(5) },
        { "99999999H", TimeSpan.FromHours(99_999_999) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses_every_unit(string header, TimeSpan expected)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expected, timeout);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("S")]
    [InlineData("123456789S")] // nine digits
    [InlineData("5s")]
    [InlineData("5x")]
    [InlineData("-5S")]
    [InlineData("+5S")]
    [InlineData("1.5S")]
    [InlineData(" 5S")]
    [InlineData("5 S")]
    [InlineData("٥S")] // a non-ASCII digit
    public void Rejects_malformed_values(string? header) => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData(0, "0u")]
    [InlineData(1, "1u")] // one tick rounds up to a microsecond
    [InlineData(TimeSpan.TicksPerSecond, "1000000u")]
    [InlineData(TimeSpan.TicksPerSecond * 100, "100000m")]
    [InlineData(TimeSpan.TicksPerHour * 24 * 365, "31536000S")]
    public void Formats_with_the_finest_unit_that_fits(long ticks, string expected)
    {
        var header = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));
        Assert.Equal(expected, header);
        Assert.True(GrpcTimeout.TryParse(header, out var parsed));
        Assert.True(parsed >= TimeSpan.FromTicks(ticks));
    }
}
