namespace CareTwin.Testing;

/// <summary>
/// Waits for something that happens on another thread (a deactivation, a delivery). The limit only stops a
/// broken test from hanging; nothing is asserted about how long it took.
/// </summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, string what, int limitSeconds = 20)
    {
        var limit = DateTime.UtcNow.AddSeconds(limitSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > limit) throw new TimeoutException($"Gave up waiting for: {what}");
            await Task.Delay(5);
        }
    }

    public static async Task True(Func<Task<bool>> condition, string what, int limitSeconds = 20)
    {
        var limit = DateTime.UtcNow.AddSeconds(limitSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > limit) throw new TimeoutException($"Gave up waiting for: {what}");
            await Task.Delay(5);
        }
    }
}
