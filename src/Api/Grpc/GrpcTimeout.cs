namespace CareTwin.Api.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> header: 1–8 ASCII digits and a unit
/// (H hours, M minutes, S seconds, m milliseconds, u microseconds, n nanoseconds).
/// </summary>
public static class GrpcTimeout
{
    public const string HeaderName = "grpc-timeout";

    private const int MaxDigits = 8;
    private const long MaxValue = 99_999_999;

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > MaxDigits + 1)
        {
            return false;
        }

        long amount = 0;
        foreach (var c in value.AsSpan(0, value.Length - 1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            amount = (amount * 10) + (c - '0');
        }

        // 99,999,999 hours is about 3.6e18 ticks, so no unit overflows TimeSpan.
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            'n' => (amount + (TimeSpan.NanosecondsPerTick - 1)) / TimeSpan.NanosecondsPerTick, // round up: never earlier than asked
            _ => null,
        };

        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>Formats with the finest unit whose value fits in 8 digits (clients send it this way).</summary>
    public static string Format(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ReadOnlySpan<(char Unit, long TicksPerUnit)> units =
        [
            ('u', TimeSpan.TicksPerMicrosecond),
            ('m', TimeSpan.TicksPerMillisecond),
            ('S', TimeSpan.TicksPerSecond),
            ('M', TimeSpan.TicksPerMinute),
            ('H', TimeSpan.TicksPerHour),
        ];

        foreach (var (unit, ticksPerUnit) in units)
        {
            // Round up so the receiver's deadline is never earlier than the sender's.
            var amount = (timeout.Ticks + ticksPerUnit - 1) / ticksPerUnit;
            if (amount <= MaxValue)
            {
                return amount.ToString(System.Globalization.CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) + "H";
    }
}
