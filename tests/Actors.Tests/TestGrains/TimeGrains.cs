using CareTwin.Testing;
using CareTwin.Actors.Tests.Infrastructure;

namespace CareTwin.Actors.Tests.TestGrains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan dueTime, TimeSpan period, bool keepAlive);

    Task<int> Ticks();

    Task StopTimer();

    /// <summary>Holds the grain's turn until <see cref="Release"/>; a non-interleaving tick must wait for it.</summary>
    Task Hold();

    [Concurrency.AlwaysInterleave]
    Task Release();
}

public class TimerGrain(CallLog log) : Grain, ITimerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;
    private TaskCompletionSource? _hold;

    public Task Start(TimeSpan dueTime, TimeSpan period, bool keepAlive)
    {
        _timer = this.RegisterGrainTimer(static (self, _) =>
        {
            self._ticks++;
            self.Log($"tick {self._ticks} held={self._hold is not null}");
            return Task.CompletedTask;
        }, this, new GrainTimerCreationOptions { DueTime = dueTime, Period = period, KeepAlive = keepAlive });
        return Task.CompletedTask;
    }

    private void Log(string entry) => log.Add($"{this.GetPrimaryKeyString()}: {entry}");

    public Task<int> Ticks() => Task.FromResult(_ticks);

    public Task StopTimer()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task Hold()
    {
        _hold = new TaskCompletionSource();
        await _hold.Task;
        _hold = null;
    }

    public Task Release()
    {
        _hold?.TrySetResult();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Log($"deactivate {reason.ReasonCode}");
        return Task.CompletedTask;
    }
}

public interface IReminderGrain : IGrainWithStringKey, IRemindable
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    Task Unregister(string name);

    Task<IReadOnlyList<string>> Registered();
}

public class ReminderGrain(CallLog log) : Grain, IReminderGrain
{
    public Task Register(string name, TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task Unregister(string name)
    {
        var reminder = await this.GetReminder(name) ?? throw new InvalidOperationException($"No reminder {name}.");
        await this.UnregisterReminder(reminder);
    }

    public async Task<IReadOnlyList<string>> Registered() => (await this.GetReminders()).Select(r => r.ReminderName).ToList();

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        log.Add($"reminder {this.GetPrimaryKeyString()} {reminderName} at {status.CurrentTickTime:HH:mm}");
        return Task.CompletedTask;
    }
}
