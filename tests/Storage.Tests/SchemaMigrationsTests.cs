namespace CareTwin.Storage.Tests;

/// <summary>
/// Which schema steps a start runs, from the steps a database lists as run; numbers may have gaps while steps are
/// written on separate branches. (The providers run these against real databases: DurableStorageContractTests.)
/// </summary>
public sealed class SchemaMigrationsTests
{
    private static readonly SchemaMigrations WithAGap = new("sqlite", [Step(4), Step(1), Step(2)]);

    [Fact]
    public void A_start_runs_every_step_the_database_does_not_list_in_number_order()
    {
        Assert.Equal([1, 2, 4], WithAGap.Pending([], "test.db").Select(s => s.Version));
        Assert.Equal([2], WithAGap.Pending([1, 4], "test.db").Select(s => s.Version));
        Assert.Empty(WithAGap.Pending([1, 2, 4], "test.db"));
        Assert.Equal(4, WithAGap.Latest);
    }

    [Fact]
    public void A_database_that_ran_a_step_this_build_does_not_have_is_refused_naming_the_step()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WithAGap.Pending([1, 2, 3], "test.db"));

        Assert.Contains("has run schema step 3, which this CareTwin does not have (it has 1, 2, 4)", error.Message);
    }

    [Fact]
    public void A_database_left_without_a_step_after_migrating_fails_naming_the_step()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WithAGap.Verify([1, 4], "test.db"));

        Assert.Contains("0002_step.sql", error.Message);
    }

    [Fact]
    public void Two_steps_with_one_number_are_a_packaging_mistake_refused_at_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SchemaMigrations("sqlite", [Step(1), Step(2), Step(2)]));

        Assert.Contains("without repeats", error.Message);
    }

    private static Migration Step(int version) => new(version, $"{version:0000}_step.sql", "SELECT 1;");
}
