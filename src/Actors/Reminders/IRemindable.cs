namespace CareTwin.Actors;

/// <summary>A grain that receives durable reminders.</summary>
public interface IRemindable : IGrain
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}

public interface IGrainReminder
{
    string ReminderName { get; }
}

/// <summary>When a reminder was first due, its period, and the tick being delivered (UTC).</summary>
public readonly record struct TickStatus(DateTime FirstTickTime, TimeSpan Period, DateTime CurrentTickTime);
