using System.Text.Json;
using System.Text.Json.Nodes;
using CareTwin.Journey.Journal;
using CareTwin.Journey.Serialization;

namespace CareTwin.Journey.Tests.Model;

public class IdempotencyKeySetTests
{
    private static UInt128 Key(int i) => IdempotencyKey.Of("epr.royal-thamesbank", $"booking-{i}");

    [Fact]
    public void Holds_exactly_the_keys_added_in_any_order_past_many_merges()
    {
        var keys = Enumerable.Range(0, 3_000).Select(Key).ToArray();
        var set = IdempotencyKeySet.Empty;
        foreach (var key in keys.Where((_, i) => i % 2 == 0))
            set = set.Add(key);

        Assert.Equal(1_500, set.Count);
        Assert.All(keys.Select((key, i) => (key, i)), k => Assert.Equal(k.i % 2 == 0, set.Contains(k.key)));
        Assert.Same(set, set.Add(keys[0]));
        Assert.Same(set, set.Add(keys[2_998]));
    }

    [Fact]
    public void Adding_leaves_the_set_it_was_added_to_unchanged()
    {
        var before = IdempotencyKeySet.Empty.Add(Key(1));
        var after = before.Add(Key(2));

        Assert.False(before.Contains(Key(2)));
        Assert.True(after.Contains(Key(1)) && after.Contains(Key(2)));
    }

    [Fact]
    public void A_key_is_the_digest_of_source_line_feed_external_id_and_tells_the_parts_apart()
    {
        Assert.Equal(IdempotencyKey.OfText("caretwin.web\nchange-1"), IdempotencyKey.Of("caretwin.web", "change-1"));
        Assert.NotEqual(IdempotencyKey.Of("caretwin.web", "change-1"), IdempotencyKey.Of("caretwin.we", "bchange-1"));
        Assert.NotEqual(IdempotencyKey.Of("caretwin.web", "change-1"), IdempotencyKey.Of("epr", "change-1"));
        var longId = new string('x', 1_000);
        Assert.Equal(IdempotencyKey.OfText("caretwin.web\n" + longId), IdempotencyKey.Of("caretwin.web", longId));
    }

    [Fact]
    public void Round_trips_as_sorted_digests_whatever_order_the_keys_came_in()
    {
        var set = Enumerable.Range(0, 100).Select(Key).Aggregate(IdempotencyKeySet.Empty, (s, k) => s.Add(k));
        var json = JourneyJson.Serialize(set);

        var back = JourneyJson.Deserialize<IdempotencyKeySet>(json);

        Assert.StartsWith("\"sha256-128:", json);
        Assert.Equal(2 + "sha256-128:".Length + 2_134, json.Length); // 1,600 bytes of digests in unpadded base64url
        Assert.Equal(json, JourneyJson.Serialize(Enumerable.Range(0, 100).Reverse().Select(Key).Aggregate(IdempotencyKeySet.Empty, (s, k) => s.Add(k))));
        Assert.Equal(json, JourneyJson.Serialize(back));
        Assert.Equal(set, back);
        Assert.NotEqual(set, back.Add(Key(100)));
        Assert.All(Enumerable.Range(0, 100), i => Assert.True(back.Contains(Key(i))));
        Assert.Equal("\"sha256-128:\"", JourneyJson.Serialize(IdempotencyKeySet.Empty));
        Assert.Equal(0, JourneyJson.Deserialize<IdempotencyKeySet>("\"sha256-128:\"").Count);
    }

    [Fact]
    public void The_older_form_an_array_of_key_strings_is_read_by_hashing_each()
    {
        var set = JourneyJson.Deserialize<IdempotencyKeySet>("""["caretwin.web\nchange-2","epr\nadm-1","caretwin.web\nchange-2"]""");

        Assert.Equal(2, set.Count);
        Assert.True(set.Contains(IdempotencyKey.Of("caretwin.web", "change-2")));
        Assert.True(set.Contains(IdempotencyKey.Of("epr", "adm-1")));
        Assert.False(set.Contains(IdempotencyKey.Of("epr", "adm-2")));
    }

    [Theory]
    [InlineData("\"md5:AAAA\"")]
    [InlineData("\"sha256-128:AAAA\"")]
    [InlineData("\"sha256-128:not base64!\"")]
    [InlineData("[\"epr\\nadm-1\", 42]")]
    [InlineData("42")]
    public void Malformed_applied_keys_fail_loudly(string json) =>
        Assert.Throws<JsonException>(() => JourneyJson.Deserialize<IdempotencyKeySet>(json));

    [Fact]
    public void Digests_out_of_order_fail_loudly()
    {
        var json = JourneyJson.Serialize(IdempotencyKeySet.Empty.Add(Key(1)).Add(Key(2)));
        var encoded = JsonNode.Parse(json)!.GetValue<string>()["sha256-128:".Length..];
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(encoded);
        var swapped = bytes[16..].Concat(bytes[..16]).ToArray();

        Assert.Throws<JsonException>(() => JourneyJson.Deserialize<IdempotencyKeySet>($"\"sha256-128:{System.Buffers.Text.Base64Url.EncodeToString(swapped)}\""));
    }
}
