using CareTwin.Grains.Views;
using Xunit;

namespace CareTwin.Grains.Tests.Persistence;

/// <summary>A board or ledger written whole must not spend the node's time writing itself as it grows.</summary>
public sealed class WriteBehindDelayTests
{
    [Fact]
    public void A_view_that_writes_quickly_is_written_every_five_seconds_at_most()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), WriteBehindDelay.After(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(5), WriteBehindDelay.After(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void A_view_whose_last_write_took_two_seconds_waits_twenty_before_the_next()
    {
        // A 100,000-child region board: seconds to serialize and store (bench/results/view-writes.md).
        Assert.Equal(TimeSpan.FromSeconds(20), WriteBehindDelay.After(TimeSpan.FromSeconds(2)));
    }
}
