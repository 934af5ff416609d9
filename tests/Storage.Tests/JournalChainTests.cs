using System.Security.Cryptography;
using System.Text;
using CareTwin.Storage.Chains;
using CareTwin.Testing;

namespace CareTwin.Storage.Tests;

/// <summary>The chain itself: its canonical bytes and hash (pure), and how a sequence of stored entries is judged.</summary>
public sealed class JournalChainTests
{
    private static readonly RecordKey Trail = new("audit", "child/c-0001");
    private static readonly RecordKey Journal = new("child", "c-0001");

    // ---- the hash ------------------------------------------------------------------------------------------

    [Fact]
    public void The_genesis_link_is_the_SHA256_of_its_label_and_the_PostgreSQL_step_uses_the_same()
    {
        Assert.Equal(SHA256.HashData("CareTwin journal chain v1"u8), JournalChain.Genesis.ToArray());
        Assert.Equal("75e1bcd043653f5b22d6d7b837b8f8df17830b6d74327f9d7e86bfec529c1715", Convert.ToHexStringLower(JournalChain.Genesis));
        var step = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "sql", "postgres", "0006_journal_chain.sql"));
        Assert.Contains(@"'\x" + Convert.ToHexStringLower(JournalChain.Genesis) + "'::bytea", step);
    }

    [Fact]
    public void The_canonical_bytes_are_the_link_then_each_field_length_prefixed_big_endian()
    {
        var bytes = JournalChain.CanonicalBytes(JournalChain.Genesis, new RecordKey("ab", "c/é"), 258, "😀");

        Assert.Equal(JournalChain.Genesis.ToArray(), bytes[..32]);
        Assert.Equal(
            "00000002" + "6162" + "00000004" + "632fc3a9" + "00000102" + "00000004" + "f09f9880",
            Convert.ToHexStringLower(bytes[32..]));
    }

    /// <summary>Known answers, computed independently (Python's hashlib over the documented encoding).</summary>
    [Fact]
    public void The_hash_matches_known_answers_for_the_documented_encoding()
    {
        var first = JournalChain.Hash(JournalChain.Genesis, Trail, 1, """{"At":"2026-12-01T09:00:00+00:00","CallerId":"priya"}""");
        var second = JournalChain.Hash(first, Trail, 2, "Zoë 😀");

        Assert.Equal("7ce578deac721ad6da49c311c8051c02a53a78822bfdcaa8603377651cbe0a2f", Convert.ToHexStringLower(first));
        Assert.Equal("beb24eb5f72a1f8aea14294e4880dfc364e5b951de9c12c324284951cf1ee351", Convert.ToHexStringLower(second));
        Assert.Equal(SHA256.HashData(JournalChain.CanonicalBytes(first, Trail, 2, "Zoë 😀")), second);
    }

    [Fact]
    public void Every_field_and_the_link_before_change_the_hash_and_fields_cannot_run_into_each_other()
    {
        var reference = Hex(JournalChain.Genesis, new RecordKey("ab", "c"), 1, "p");
        string[] others =
        [
            Hex(JournalChain.Hash(JournalChain.Genesis, Trail, 1, "x"), new RecordKey("ab", "c"), 1, "p"),
            Hex(JournalChain.Genesis, new RecordKey("a", "bc"), 1, "p"),
            Hex(JournalChain.Genesis, new RecordKey("ab", "cp"), 1, ""),
            Hex(JournalChain.Genesis, new RecordKey("ab", "c"), 2, "p"),
            Hex(JournalChain.Genesis, new RecordKey("ab", "c"), 1, "q"),
            Hex(JournalChain.Genesis, new RecordKey("ab", "c"), 1, "p "),
        ];

        Assert.Equal(others.Length + 1, others.Append(reference).Distinct().Count());
    }

    [Fact]
    public void A_link_that_is_not_32_bytes_or_an_entry_number_below_1_is_refused()
    {
        Assert.Throws<ArgumentException>(() => JournalChain.Hash(new byte[31], Trail, 1, "p"));
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalChain.Hash(JournalChain.Genesis, Trail, 0, "p"));
    }

    [Fact]
    public void A_large_payload_hashes_like_its_canonical_bytes()
    {
        var payload = new string('é', 600_000);

        Assert.Equal(SHA256.HashData(JournalChain.CanonicalBytes(JournalChain.Genesis, Journal, 7, payload)), JournalChain.Hash(JournalChain.Genesis, Journal, 7, payload));
    }

    // ---- the verifier --------------------------------------------------------------------------------------

    /// <summary>A journal as a store holds it: entries 1..count, each with the link the chain gives it.</summary>
    private static List<Row> Chain(RecordKey record, int count)
    {
        var rows = new List<Row>();
        var link = JournalChain.Genesis.ToArray();
        for (var version = 1; version <= count; version++)
        {
            var payload = $"{{\"entry\":{version},\"of\":\"{record}\"}}";
            link = JournalChain.Hash(link, record, version, payload);
            rows.Add(new Row(record, version, payload, link));
        }
        return rows;
    }

    private static ChainReport Verify(IEnumerable<Row> rows, Dictionary<RecordKey, int> heads)
    {
        var verifier = new ChainVerifier(heads);
        foreach (var row in rows) verifier.Add(row.Record, row.Version, row.Payload, row.Hash);
        return verifier.Complete();
    }

    private static Dictionary<RecordKey, int> Heads(params (RecordKey Record, int Version)[] heads) => heads.ToDictionary(h => h.Record, h => h.Version);

    [Fact]
    public void Journals_written_as_chained_are_intact()
    {
        var report = Verify([.. Chain(Trail, 5), .. Chain(Journal, 3)], Heads((Trail, 5), (Journal, 3)));

        Assert.True(report.Intact);
        Assert.Equal(2, report.Chains);
        Assert.Equal(8, report.Entries);
    }

    [Fact]
    public void An_edited_payload_is_a_hash_mismatch_at_that_entry_and_other_journals_stay_intact()
    {
        var trail = Chain(Trail, 5);
        trail[2] = trail[2] with { Payload = trail[2].Payload.Replace("3", "4", StringComparison.Ordinal) };

        var report = Verify([.. trail, .. Chain(Journal, 3)], Heads((Trail, 5), (Journal, 3)));

        var broken = Assert.Single(report.Breaks);
        Assert.Equal((Trail, 3, ChainBreakKind.HashMismatch), (broken.Record, broken.Entry, broken.Kind));
        Assert.Equal(2, report.Chains);
    }

    [Fact]
    public void An_edited_hash_is_a_hash_mismatch_at_that_entry()
    {
        var trail = Chain(Trail, 4);
        trail[1] = trail[1] with { Hash = JournalChain.Hash(JournalChain.Genesis, Trail, 2, "something else") };

        var broken = Assert.Single(Verify(trail, Heads((Trail, 4))).Breaks);

        Assert.Equal((2, ChainBreakKind.HashMismatch), (broken.Entry, broken.Kind));
    }

    [Fact]
    public void An_entry_rewritten_with_a_recomputed_hash_breaks_the_link_of_the_entry_after_it()
    {
        var trail = Chain(Trail, 4);
        var forged = "{\"entry\":2,\"forged\":true}";
        trail[1] = trail[1] with { Payload = forged, Hash = JournalChain.Hash(trail[0].Hash!, Trail, 2, forged) };

        var broken = Assert.Single(Verify(trail, Heads((Trail, 4))).Breaks);

        Assert.Equal((3, ChainBreakKind.HashMismatch), (broken.Entry, broken.Kind));
        Assert.Contains("or entry 2 was rewritten together with its hash", broken.Detail);
    }

    [Fact]
    public void A_deleted_middle_entry_is_a_missing_link_naming_it()
    {
        var trail = Chain(Trail, 5);
        trail.RemoveAt(2);

        var broken = Assert.Single(Verify(trail, Heads((Trail, 5))).Breaks);

        Assert.Equal((3, ChainBreakKind.MissingLink), (broken.Entry, broken.Kind));
        Assert.Equal("entry 3 is missing: the journal goes from entry 2 to entry 4", broken.Detail);
    }

    [Fact]
    public void Deleted_first_entries_are_a_missing_link_at_entry_1()
    {
        var broken = Assert.Single(Verify(Chain(Trail, 5).Skip(2), Heads((Trail, 5))).Breaks);

        Assert.Equal((1, ChainBreakKind.MissingLink), (broken.Entry, broken.Kind));
        Assert.Equal("entries 1–2 are missing: the journal starts at entry 3", broken.Detail);
    }

    [Fact]
    public void Deleted_newest_entries_are_a_missing_link_found_from_the_head()
    {
        var broken = Assert.Single(Verify(Chain(Trail, 3), Heads((Trail, 5))).Breaks);

        Assert.Equal((4, ChainBreakKind.MissingLink), (broken.Entry, broken.Kind));
        Assert.Contains("the newest, are missing", broken.Detail);
    }

    [Fact]
    public void A_journal_emptied_by_hand_is_a_missing_link_at_entry_1()
    {
        var report = Verify(Chain(Journal, 2), Heads((Journal, 2), (Trail, 4)));

        var broken = Assert.Single(report.Breaks);
        Assert.Equal((Trail, 1, ChainBreakKind.MissingLink), (broken.Record, broken.Entry, broken.Kind));
        Assert.Equal(2, report.Chains);
    }

    [Fact]
    public void An_entry_beyond_the_head_was_added_outside_CareTwin_even_when_it_chains()
    {
        var broken = Assert.Single(Verify(Chain(Trail, 4), Heads((Trail, 3))).Breaks);

        Assert.Equal((4, ChainBreakKind.AddedOutsideCareTwin), (broken.Entry, broken.Kind));
    }

    [Fact]
    public void A_second_entry_with_a_stored_number_is_added_outside_CareTwin_and_counted()
    {
        var trail = Chain(Trail, 3);
        trail.Insert(2, trail[1] with { Payload = "forged", Hash = null });

        var report = Verify(trail, Heads((Trail, 3)));

        var broken = Assert.Single(report.Breaks);
        Assert.Equal((2, ChainBreakKind.AddedOutsideCareTwin), (broken.Entry, broken.Kind));
        Assert.Equal(4, report.Entries);
    }

    [Fact]
    public void An_entry_without_a_hash_is_reported_as_missing_its_hash()
    {
        var trail = Chain(Trail, 3);
        trail[1] = trail[1] with { Hash = null };

        var broken = Assert.Single(Verify(trail, Heads((Trail, 3))).Breaks);

        Assert.Equal((2, ChainBreakKind.MissingHash), (broken.Entry, broken.Kind));
    }

    [Fact]
    public void Only_the_first_break_of_a_journal_is_reported_and_every_broken_journal_is()
    {
        var trail = Chain(Trail, 6);
        trail[1] = trail[1] with { Payload = "edited" };
        trail.RemoveAt(4);
        var journal = Chain(Journal, 3);
        journal.RemoveAt(1);

        var report = Verify([.. journal, .. trail], Heads((Trail, 6), (Journal, 3)));

        Assert.Equal([(Journal, 2, ChainBreakKind.MissingLink), (Trail, 2, ChainBreakKind.HashMismatch)],
            report.Breaks.Select(b => (b.Record, b.Entry, b.Kind)));
        Assert.Equal(7, report.Entries);
    }

    [Fact]
    public void Entries_not_read_grouped_by_journal_in_version_order_are_a_programming_error()
    {
        var rows = Chain(Trail, 2);
        var verifier = new ChainVerifier(Heads((Trail, 2)));
        verifier.Add(rows[1].Record, rows[1].Version, rows[1].Payload, rows[1].Hash);
        Assert.Throws<InvalidOperationException>(() => verifier.Add(rows[0].Record, rows[0].Version, rows[0].Payload, rows[0].Hash));

        var regrouped = new ChainVerifier(new Dictionary<RecordKey, int>());
        regrouped.Add(Trail, 1, "a", null);
        regrouped.Add(Journal, 1, "b", null);
        Assert.Throws<InvalidOperationException>(() => regrouped.Add(Trail, 2, "c", null));
    }

    private static string Hex(ReadOnlySpan<byte> previous, RecordKey record, int version, string payload) =>
        Convert.ToHexStringLower(JournalChain.Hash(previous, record, version, payload));

    private sealed record Row(RecordKey Record, int Version, string Payload, byte[]? Hash);
}
