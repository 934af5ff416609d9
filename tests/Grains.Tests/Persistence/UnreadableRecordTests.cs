using CareTwin.Grains.Boards;
using CareTwin.Grains.Tests.Twins;
using CareTwin.Storage;

namespace CareTwin.Grains.Tests.Persistence;

/// <summary>
/// A record the store holds but this version cannot read (a damaged journal row, a state written in an unknown
/// shape) is an error for whoever asks for that twin, at once and naming it, never an empty twin in its place;
/// the other twins keep serving.
/// </summary>
public sealed class UnreadableRecordTests
{
    [Fact]
    public async Task A_child_whose_journal_cannot_be_read_fails_each_call_clearly_and_others_keep_serving()
    {
        await using var host = await TwinHost.StartAsync();
        await host.InHospitalAsync("child-healthy");
        await host.Silo.Storage.AppendAsync(new RecordKey("child", "child-damaged"), 0,
            [new JournalEntry(1, """{"type":"child-registered","provenance":""")], CancellationToken.None);

        var first = await Assert.ThrowsAsync<StateDeserializationException>(() => host.Child("child-damaged").GetJourney());
        var again = await Assert.ThrowsAsync<StateDeserializationException>(() => host.Child("child-damaged").GetJourney());

        Assert.Contains("child/child-damaged", first.Message);
        Assert.Contains("Event 1", again.Message);
        Assert.True((await host.Child("child-healthy").GetJourney())!.IsRegistered);
    }

    [Fact]
    public async Task A_board_whose_state_cannot_be_read_fails_clearly_and_is_not_replaced_by_an_empty_one()
    {
        await using var host = await TwinHost.StartAsync();
        var key = new RecordKey("board", "hospital:unknown-shape");
        await host.Silo.Storage.WriteStateAsync(key, "board", """{"summary":"not the shape this version knows"}""", null, CancellationToken.None);

        // Orleans reports a state provider's failure as its own, with ours inside.
        var failure = await Assert.ThrowsAsync<OrleansException>(() => host.Grains.GetGrain<IBoardGrain>("hospital:unknown-shape").GetSnapshot());

        Assert.Contains("board/hospital:unknown-shape", failure.Message);
        Assert.IsType<StateDeserializationException>(failure.InnerException);
        Assert.Contains("not the shape", (await host.Silo.Storage.ReadStateAsync(key, "board", CancellationToken.None))!.Payload);
    }
}
