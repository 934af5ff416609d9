using CareTwin.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CareTwin.Actors.Tests.Infrastructure;

/// <summary>What test grains did, for assertions (lifecycle calls, constructor runs, reminders received).</summary>
public sealed class CallLog
{
    private readonly Lock _lock = new();
    private readonly List<string> _entries = [];

    public void Add(string entry)
    {
        lock (_lock) _entries.Add(entry);
    }

    public IReadOnlyList<string> Entries
    {
        get { lock (_lock) return [.. _entries]; }
    }

    public int Count(string entry) => Entries.Count(e => e == entry);
}

/// <summary>This project's test grains on a <see cref="TestSilo"/>, with a call log.</summary>
public static class Silo
{
    public static Task<TestSilo> StartAsync(
        CareTwin.Storage.IStorageProvider? storage = null, ManualTimeProvider? clock = null, Action<ActorRuntimeOptions>? configure = null) =>
        TestSilo.StartAsync(typeof(Silo).Assembly, storage, clock, configure, services => services.AddSingleton(new CallLog()));

    public static CallLog Log(this TestSilo silo) => silo.Services.GetRequiredService<CallLog>();
}
