using CareTwin.Journey.Children;
using CareTwin.Journey.Decisions;
using CareTwin.Journey.Serialization;
using System.Text.Json;

namespace CareTwin.Journey.Tests.Model;

public class NhsNumberTests
{
    [Theory]
    [InlineData("9434765919", "943 476 5919")]
    [InlineData("943 476 5919", "943 476 5919")]
    [InlineData("943-476-5919", "943 476 5919")]
    [InlineData("  943 476-5919 ", "943 476 5919")]
    [InlineData("9990000018", "999 000 0018")]
    public void Valid_numbers_are_accepted_with_spaces_or_dashes_and_displayed_3_3_4(string input, string formatted)
    {
        Assert.True(NhsNumber.TryParse(input, out var number, out var problem), problem);
        Assert.Equal(formatted, number.Formatted);
        Assert.Equal(formatted.Replace(" ", ""), number.Digits);
    }

    [Fact]
    public void A_remainder_of_zero_gives_check_digit_zero()
    {
        // 999000005: weighted sum 264 = 24 x 11, so 11 - 0 = 11, which becomes 0.
        Assert.True(NhsNumber.TryParse("9990000050", out _, out _));
        Assert.False(NhsNumber.TryParse("9990000051", out _, out _));
    }

    [Fact]
    public void A_wrong_check_digit_is_refused()
    {
        Assert.False(NhsNumber.TryParse("9434765918", out var number, out var problem));
        Assert.Null(number);
        Assert.Contains("check digit", problem);
    }

    [Theory]
    [InlineData("9990000000")]
    [InlineData("9990000140")]
    public void Nine_digits_giving_check_value_10_are_never_valid(string input)
    {
        for (var last = 0; last <= 9; last++)
            Assert.False(NhsNumber.TryParse(input[..9] + last, out _, out _));
        NhsNumber.TryParse(input, out _, out var problem);
        Assert.Contains("10", problem);
    }

    [Theory]
    [InlineData("943476591", "10 digits")]
    [InlineData("94347659190", "10 digits")]
    [InlineData("94347659A9", "digits only")]
    [InlineData("943.476.5919", "digits only")]
    [InlineData("９４３４７６５９１９", "digits only")]
    [InlineData("", "required")]
    [InlineData(null, "required")]
    public void Malformed_input_is_refused_with_a_reason(string? input, string reasonContains)
    {
        Assert.False(NhsNumber.TryParse(input, out _, out var problem));
        Assert.Contains(reasonContains, problem);
    }

    [Fact]
    public void The_number_never_appears_in_ToString_of_the_number_the_command_the_event_or_the_state()
    {
        var driver = new JourneyDriver().Registered();
        var number = NhsNumber.Parse("9434765919");
        var registered = Assert.Single(driver.Journal);
        var command = new RegisterChild(driver.NextOrigin(), "child-2", "943 476 5919", "A", "B", new DateOnly(2020, 1, 1), "h", "r", []);

        foreach (var text in new[] { number.ToString(), registered.ToString(), driver.State.ToString(), driver.State.Child!.ToString(), command.ToString() })
        {
            Assert.DoesNotContain("5919", text);
            Assert.DoesNotContain("943", text);
        }
    }

    [Fact]
    public void Registering_with_an_invalid_number_is_refused_naming_the_field()
    {
        var driver = new JourneyDriver();
        var refusal = driver.Refuse(o => new RegisterChild(o, "child-1", "943 476 5918", "Amelia", "Okonkwo",
            new DateOnly(2021, 3, 14), "royal-thamesbank", "north-thames", []), RefusalKind.InvalidArgument, "nhsNumber");
        Assert.DoesNotContain("5918", refusal.Message);
        Assert.False(driver.State.IsRegistered);
    }

    [Fact]
    public void Stored_as_digits_and_revalidated_when_read()
    {
        Assert.Equal("\"9434765919\"", JourneyJson.Serialize(NhsNumber.Parse("943 476 5919")));
        Assert.Equal(NhsNumber.Parse("9434765919"), JourneyJson.Deserialize<NhsNumber>("\"9434765919\""));
        Assert.Throws<JsonException>(() => JourneyJson.Deserialize<NhsNumber>("\"9434765918\""));
    }
}
