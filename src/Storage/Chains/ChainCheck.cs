namespace CareTwin.Storage.Chains;

/// <summary>
/// Entries that were already stored when schema step 6 brought in the chain, chained then as they stood: the chain
/// shows they have not changed since <see cref="SealedAt"/>, and cannot speak for before.
/// </summary>
public sealed record ChainSeal(DateTimeOffset SealedAt, long Entries);

/// <summary>The outcome of checking every journal of one store.</summary>
/// <param name="Store">Which store, e.g. "SQLite /var/lib/caretwin/caretwin.db" (never a password).</param>
public sealed record ChainCheck(string Store, ChainReport Report, ChainSeal? Seal);

/// <summary>The store could not be checked at all: unreachable, missing, not a CareTwin database, or not chained yet. One line.</summary>
public sealed class ChainCheckUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The schema a store must have for its chains to be checked, whichever dialect.</summary>
internal static class ChainSchema
{
    /// <summary>The schema step that brought in the chain (deploy/sql/*/0006_journal_chain.sql).</summary>
    public const int Step = 6;

    /// <summary>The SQLite step that moved entries and links to journal_entry and journal_link (deploy/sql/sqlite/0007_journal_in_arrival_order.sql).</summary>
    public const int SqliteArrivalOrderStep = 7;

    /// <summary>The steps whose tables the check reads: the chain, and on SQLite where entries and links are kept since step 7.</summary>
    private static (int Step, string What)[] StepsRead(string dialect) =>
        dialect == "sqlite" ? [(Step, "journal chains"), (SqliteArrivalOrderStep, "journal entries in arrival order")] : [(Step, "journal chains")];

    /// <summary>Refuses a store this code cannot check: no schema, a newer or unknown one, or one without the chain yet.</summary>
    public static void Require(string dialect, IReadOnlyCollection<int> applied, string store)
    {
        if (applied.Count == 0)
            throw new ChainCheckUnavailableException($"{store} holds no CareTwin schema: nothing to check.");
        try
        {
            SchemaMigrations.Load(dialect).Pending(applied, store);
        }
        catch (InvalidOperationException ex)
        {
            throw new ChainCheckUnavailableException(ex.Message, ex);
        }
        foreach (var (step, what) in StepsRead(dialect))
        {
            if (!applied.Contains(step))
                throw new ChainCheckUnavailableException(
                    $"{store} has not run schema step {step} ({what}) yet: start this CareTwin once, which applies it, then check again.");
        }
    }
}
