using CareTwin.Storage.Chains;

namespace CareTwin.Storage.Tests;

/// <summary>
/// The journals' hash chain on the real databases: entries appended through the provider are chained in the store,
/// and a row changed, removed or added by hand with plain SQL (Microsoft.Data.Sqlite, psql) is found by the
/// read-only check as exactly that journal and entry, while the check itself changes nothing.
/// </summary>
public abstract partial class DurableStorageContractTests
{
    private static readonly RecordKey AuditTrail = new("audit", "child/c-0001");
    private static readonly RecordKey ChildJournal = new("child", "c-0001");

    /// <summary>The read-only check, as verify-audit runs it, over the store.</summary>
    protected abstract Task<ChainCheck> CheckChainsAsync(ITestStore store);

    /// <summary>The table of journal entries, as SQL typed by hand names it (SQLite: journal_entry, PostgreSQL: journal).</summary>
    protected abstract string EntriesTable { get; }

    /// <summary>SQL that sets the stored link of one entry by hand (SQLite keeps links in journal_link, PostgreSQL in journal.hash).</summary>
    protected abstract string SetLinkSql(RecordKey record, int version, byte[] hash);

    /// <summary>Every journal entry, its link and every head, as text: what must not change.</summary>
    protected abstract Task<string> DumpJournalsAsync(ITestStore store);

    /// <summary>SQL that appends an entry the way CareTwin did before schema step 6 (no link; on PostgreSQL, moving journal_head too).</summary>
    protected abstract string AppendBeforeTheChainSql(RecordKey record, int version, string payload);

    protected static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    protected static string Where(RecordKey record, int version) =>
        $"grain_type = {Quote(record.Type)} AND grain_key = {Quote(record.Key)} AND version = {version}";

    private static JournalEntry[] Entries(int from, int count, string tag) =>
        Enumerable.Range(from, count).Select(v => new JournalEntry(v, $$"""{"$type":"{{tag}}","n":{{v}},"text":"Zoë’s 😀 \"note\""}""")).ToArray();

    /// <summary>A child's journal and audit trail, written as the grains write them: appends of one and of several entries.</summary>
    private async Task WriteTrailAndJournalAsync(int trailEntries = 5)
    {
        var version = 0;
        foreach (var size in new[] { 1, 2, 3, 1, 2, 3 })
        {
            if (version >= trailEntries) break;
            var count = Math.Min(size, trailEntries - version);
            await Storage.AppendAsync(AuditTrail, version, Entries(version + 1, count, "audit"), None);
            version += count;
        }
        await Storage.AppendAsync(ChildJournal, 0, Entries(1, 3, "raised"), None);
        await Storage.AppendAsync(ChildJournal, 3, Entries(4, 1, "resolved"), None);
    }

    [Fact]
    public async Task Entries_appended_through_the_provider_are_chained_and_every_journal_checks_intact()
    {
        await WriteTrailAndJournalAsync();
        var odd = new RecordKey("twin", "key/with/slashes and spaces ‘quoted’ 😀");
        await Storage.AppendAsync(odd, 0, [new JournalEntry(1, "Zoë, 😀, 中文, line\nbreak\ttab"), new JournalEntry(2, ""), new JournalEntry(3, new string('é', 300_000))], None);
        // Many journals at once share group commits.
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Storage.AppendAsync(new RecordKey("child", $"c-{i:000}x"), 0, Entries(1, 2, "many"), None)));

        var check = await CheckChainsAsync(Store);

        Assert.Empty(check.Report.Breaks);
        Assert.Equal(203, check.Report.Chains);
        Assert.Equal(5 + 4 + 3 + 400, check.Report.Entries);
        Assert.Null(check.Seal);
    }

    [Fact]
    public async Task An_audit_row_edited_by_hand_is_the_first_broken_link_of_its_trail_alone_and_the_check_changes_nothing()
    {
        await WriteTrailAndJournalAsync();
        await ExecuteByHandAsync(Store, $"UPDATE {EntriesTable} SET payload = replace(payload, 'audit', 'audlt') WHERE {Where(AuditTrail, 2)}");
        var before = await DumpJournalsAsync(Store);

        var check = await CheckChainsAsync(Store);

        var broken = Assert.Single(check.Report.Breaks);
        Assert.Equal((AuditTrail, 2, ChainBreakKind.HashMismatch), (broken.Record, broken.Entry, broken.Kind));
        Assert.Equal(2, check.Report.Chains);
        Assert.Equal(before, await DumpJournalsAsync(Store));
        // The store goes on as before: the other journal reads and appends, and stays intact.
        Assert.Equal(4, (await Storage.ReadJournalAsync(ChildJournal, 0, int.MaxValue, None)).Count);
        await Storage.AppendAsync(ChildJournal, 4, Entries(5, 1, "after"), None);
        Assert.Equal([AuditTrail], (await CheckChainsAsync(Store)).Report.Breaks.Select(b => b.Record));
    }

    [Fact]
    public async Task A_journal_row_deleted_from_the_middle_is_a_missing_link_at_that_entry()
    {
        await WriteTrailAndJournalAsync();
        await ExecuteByHandAsync(Store, $"DELETE FROM {EntriesTable} WHERE {Where(ChildJournal, 2)}");

        var broken = Assert.Single((await CheckChainsAsync(Store)).Report.Breaks);

        Assert.Equal((ChildJournal, 2, ChainBreakKind.MissingLink), (broken.Record, broken.Entry, broken.Kind));
        Assert.Equal("entry 2 is missing: the journal goes from entry 1 to entry 3", broken.Detail);
    }

    [Fact]
    public async Task The_newest_audit_row_deleted_is_a_missing_link_found_from_how_far_the_journal_was_written()
    {
        await WriteTrailAndJournalAsync();
        await ExecuteByHandAsync(Store, $"DELETE FROM {EntriesTable} WHERE {Where(AuditTrail, 5)}");

        var broken = Assert.Single((await CheckChainsAsync(Store)).Report.Breaks);

        Assert.Equal((AuditTrail, 5, ChainBreakKind.MissingLink), (broken.Record, broken.Entry, broken.Kind));
    }

    /// <summary>How the check sees an entry inserted by hand after the newest (SQLite: it has no link; PostgreSQL: the trigger links it, but the journal's head was not moved).</summary>
    protected abstract ChainBreakKind EntryInsertedByHand { get; }

    [Fact]
    public async Task An_entry_inserted_by_hand_after_the_newest_is_reported_at_its_number()
    {
        await WriteTrailAndJournalAsync();
        await ExecuteByHandAsync(Store,
            $"INSERT INTO {EntriesTable} (grain_type, grain_key, version, payload) VALUES ({Quote(AuditTrail.Type)}, {Quote(AuditTrail.Key)}, 6, '{{\"$type\":\"audit\"}}')");

        var broken = Assert.Single((await CheckChainsAsync(Store)).Report.Breaks);

        Assert.Equal((AuditTrail, 6, EntryInsertedByHand), (broken.Record, broken.Entry, broken.Kind));
    }

    [Fact]
    public async Task An_entry_inserted_by_hand_into_a_journal_CareTwin_never_wrote_is_reported_at_entry_1()
    {
        await WriteTrailAndJournalAsync();
        var invented = new RecordKey("audit", "child/c-never-read");
        await ExecuteByHandAsync(Store,
            $"INSERT INTO {EntriesTable} (grain_type, grain_key, version, payload) VALUES ({Quote(invented.Type)}, {Quote(invented.Key)}, 1, '{{\"$type\":\"audit\"}}')");

        var check = await CheckChainsAsync(Store);

        var broken = Assert.Single(check.Report.Breaks);
        Assert.Equal((invented, 1, EntryInsertedByHand), (broken.Record, broken.Entry, broken.Kind));
        Assert.Equal(3, check.Report.Chains);
    }

    [Fact]
    public async Task A_row_rewritten_with_a_recomputed_link_breaks_the_link_of_the_entry_after_it()
    {
        await WriteTrailAndJournalAsync();
        var entries = await Storage.ReadJournalAsync(AuditTrail, 0, 2, None);
        var link = JournalChain.Hash(JournalChain.Genesis, AuditTrail, 1, entries[0].Payload);
        const string forged = """{"$type":"audit","n":2,"forged":true}""";
        await ExecuteByHandAsync(Store, $"UPDATE {EntriesTable} SET payload = {Quote(forged)} WHERE {Where(AuditTrail, 2)}");
        await ExecuteByHandAsync(Store, SetLinkSql(AuditTrail, 2, JournalChain.Hash(link, AuditTrail, 2, forged)));

        var broken = Assert.Single((await CheckChainsAsync(Store)).Report.Breaks);

        Assert.Equal((AuditTrail, 3, ChainBreakKind.HashMismatch), (broken.Record, broken.Entry, broken.Kind));
    }

    [Fact]
    public async Task Two_hosts_racing_on_one_journal_leave_one_intact_chain()
    {
        var other = await OpenAsync();
        var version = 0;
        for (var round = 0; round < 10; round++)
        {
            var outcomes = await Task.WhenAll(
                Settled(Storage.AppendAsync(AuditTrail, version, Entries(version + 1, 1, "mine"), None)),
                Settled(other.AppendAsync(AuditTrail, version, Entries(version + 1, 3, "theirs"), None)));
            version += outcomes[0] ? 1 : 3;
        }

        var check = await CheckChainsAsync(Store);

        Assert.Empty(check.Report.Breaks);
        Assert.Equal(version, check.Report.Entries);
    }

    [Fact]
    public async Task Entries_stored_before_the_chain_are_sealed_once_at_upgrade_and_chained_on_from_there()
    {
        var store = await NewStoreAsync();
        foreach (var step in Steps.Steps.Where(s => s.Version < ChainStep)) await ExecuteByHandAsync(store, step.Sql);
        for (var version = 1; version <= 3; version++)
            await ExecuteByHandAsync(store, AppendBeforeTheChainSql(AuditTrail, version, $"old audit {version}"));
        await ExecuteByHandAsync(store, AppendBeforeTheChainSql(ChildJournal, 1, "old event"));
        var before = DateTimeOffset.UtcNow;

        var provider = await OpenAsync(store);
        await provider.AppendAsync(AuditTrail, 3, Entries(4, 2, "new"), None);
        await provider.AppendAsync(ChildJournal, 1, Entries(2, 1, "new"), None);
        var check = await CheckChainsAsync(store);

        Assert.Empty(check.Report.Breaks);
        Assert.Equal(7, check.Report.Entries);
        Assert.Equal(4, check.Seal!.Entries);
        Assert.InRange(check.Seal.SealedAt, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        // Sealed once: a second start neither seals again nor changes the record of it.
        await OpenAsync(store);
        Assert.Equal(check.Seal, (await CheckChainsAsync(store)).Seal);
        Assert.Equal("old audit 2", (await provider.ReadJournalAsync(AuditTrail, 1, 2, None))[0].Payload);
    }

    [Fact]
    public async Task A_store_that_has_not_run_the_chain_step_cannot_be_checked_and_says_so_in_one_line()
    {
        var store = await NewStoreAsync();
        foreach (var step in Steps.Steps.Where(s => s.Version < ChainStep)) await ExecuteByHandAsync(store, step.Sql);

        var error = await Assert.ThrowsAsync<ChainCheckUnavailableException>(() => CheckChainsAsync(store));

        Assert.Contains($"has not run schema step {ChainStep} (journal chains) yet", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private const int ChainStep = 6;

    private static async Task<bool> Settled(Task write)
    {
        try
        {
            await write;
            return true;
        }
        catch (InconsistentStateException)
        {
            return false;
        }
    }
}
