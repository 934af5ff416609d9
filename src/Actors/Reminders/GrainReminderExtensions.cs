using CareTwin.Actors.Runtime;

namespace CareTwin.Actors;

/// <summary>Orleans's reminder calls, as extensions on any grain. Reminders are durable: they fire after a restart.</summary>
public static class GrainReminderExtensions
{
    public static Task<IGrainReminder> RegisterOrUpdateReminder(this IGrainBase grain, string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        var activation = GrainTimerExtensions.ActivationOf(grain);
        if (grain is not IRemindable)
            throw new InvalidOperationException($"Grain {activation.GrainId} ({grain.GetType().Name}) must implement IRemindable to register reminders.");
        return activation.Runtime.Reminders.RegisterOrUpdateAsync(activation.GrainId, reminderName, dueTime, period);
    }

    public static Task UnregisterReminder(this IGrainBase grain, IGrainReminder reminder)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        var activation = GrainTimerExtensions.ActivationOf(grain);
        return activation.Runtime.Reminders.UnregisterAsync(activation.GrainId, reminder.ReminderName);
    }

    public static Task<IGrainReminder?> GetReminder(this IGrainBase grain, string reminderName)
    {
        var activation = GrainTimerExtensions.ActivationOf(grain);
        return activation.Runtime.Reminders.GetAsync(activation.GrainId, reminderName);
    }

    public static Task<IReadOnlyList<IGrainReminder>> GetReminders(this IGrainBase grain)
    {
        var activation = GrainTimerExtensions.ActivationOf(grain);
        return activation.Runtime.Reminders.GetAllAsync(activation.GrainId);
    }
}
