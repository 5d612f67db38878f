using FluentAssertions;
using Microsoft.Data.Sqlite;
using Npgsql;
using TestBench.Harness.History;
using TestBench.Harness.Judging.Ratchet;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.History;

/// <summary>The results store on both of its databases: one test class, each case on SQLite and on PostgreSQL.</summary>
public sealed class ResultsStoreTests
{
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);

    private static Measurement Measured(string test, double p50, DateTimeOffset at, string target = "local") => new()
    {
        Workflow = "hello_world",
        Test = test,
        Target = target,
        Algorithm = "testbench/Hello/0123abcd",
        Load = new LoadResultBuilder().WithLatencies(p50, p50 * 2, p50 * 3).WithThroughput(1 / p50).Build(),
        ResultBytes = 12,
        At = at,
        Judgement = new Judgement { Verdict = RatchetVerdict.Same, Reasons = [$"p50 {p50 * 1000:0.0} ms within the bar"] },
    };

    private static StoredRun Run(string key, DateTimeOffset at, double p50, string machine = "machine-a", string? commit = "0123456789ab", params Measurement[] more) => new()
    {
        Run = new RunRecord { Id = key, StartedAt = at, Commit = commit, Machine = machine, Targets = new Dictionary<string, string> { ["local"] = "embedded" } },
        Complete = true,
        Origin = "run",
        WorkflowHashes = new Dictionary<string, string> { ["hello_world"] = "9f86d081884c7d65" },
        Measurements = [Measured("basic test", p50, at.AddSeconds(10)), .. more],
        Exports = [ExportMeasurement.Of("hello_world", "Hello", [], at)],
    };

    [SkippableTheory]
    [MemberData(nameof(TestStore.Backends), MemberType = typeof(TestStore))]
    public async Task A_new_store_gets_the_latest_schema_and_opening_it_again_changes_nothing(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend);

        var first = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);
        await first.WriteAsync(Run("run-1", Monday, 0.010), CancellationToken.None);
        var again = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);

        (await again.CountRunsAsync(CancellationToken.None)).Should().Be(1, "a second opening neither re-creates nor empties the tables");
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Backends), MemberType = typeof(TestStore))]
    public async Task A_tests_series_holds_each_runs_median_oldest_first_with_its_commit_and_address_on_its_machine_only(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend);
        var results = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);

        await results.WriteAsync(Run("run-2", Monday.AddDays(1), 0.012, commit: "bbbbbbbbbbbb"), CancellationToken.None);
        await results.WriteAsync(Run("run-1", Monday, 0.010, commit: "aaaaaaaaaaaa"), CancellationToken.None);
        await results.WriteAsync(Run("elsewhere", Monday.AddHours(1), 0.500, machine: "machine-b"), CancellationToken.None);
        var series = await results.ReadSeriesAsync(new SeriesKey("hello_world", "basic test", "local", "machine-a"), CancellationToken.None);

        series.Select(p => (p.RunKey, p.Commit, p.Address, p.P50Seconds, p.StartedAt)).Should().Equal(
            ("run-1", "aaaaaaaaaaaa", "embedded", 0.010, Monday),
            ("run-2", "bbbbbbbbbbbb", "embedded", 0.012, Monday.AddDays(1)));
        series.Should().OnlyContain(p => p.Verdict == "same" && p.Calls == 100);
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Backends), MemberType = typeof(TestStore))]
    public async Task The_same_run_stored_twice_is_kept_once(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend);
        var results = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);

        (await results.WriteAsync(Run("run-1", Monday, 0.010), CancellationToken.None)).Should().BeTrue();
        (await results.WriteAsync(Run("run-1", Monday, 0.999), CancellationToken.None)).Should().BeFalse();

        (await results.ReadSeriesAsync(new SeriesKey("hello_world", "basic test", "local", "machine-a"), CancellationToken.None))
            .Should().ContainSingle().Which.P50Seconds.Should().Be(0.010, "the first write stands");
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Backends), MemberType = typeof(TestStore))]
    public async Task A_run_that_fails_half_way_through_its_write_leaves_nothing_of_it(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend);
        var results = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);
        // The same test twice on one target breaks the measurements' uniqueness after the run's row and its first
        // measurement are in.
        var broken = Run("run-1", Monday, 0.010, more: Measured("basic test", 0.011, Monday));

        var write = () => results.WriteAsync(broken, CancellationToken.None);

        await write.Should().ThrowAsync<System.Data.Common.DbException>();
        (await results.CountRunsAsync(CancellationToken.None)).Should().Be(0);
        (await results.WriteAsync(Run("run-2", Monday, 0.010), CancellationToken.None)).Should().BeTrue("the failed write released the store");
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Backends), MemberType = typeof(TestStore))]
    public async Task A_store_written_by_a_newer_schema_is_refused_and_left_as_it_is(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend);
        var results = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);
        await results.WriteAsync(Run("run-1", Monday, 0.010), CancellationToken.None);
        await ExecuteAsync(store.Location, "INSERT INTO schema_versions (version, description, applied_at) VALUES (99, 'from the future', '2027-01-01T00:00:00.0000000Z')");

        var open = () => ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);

        (await open.Should().ThrowAsync<StoreSchemaTooNewException>()).Which.Message.Should().Contain("version 99").And.Contain("newer TestBench");
        (await CountAsync(store.Location, "SELECT COUNT(*) FROM runs")).Should().Be(1);
    }

    [SkippableTheory]
    [MemberData(nameof(TestStore.Backends), MemberType = typeof(TestStore))]
    public async Task Writers_at_the_same_moment_lose_nothing(string backend)
    {
        await using var store = await TestStore.CreateAsync(backend);
        var results = await ResultsStore.OpenAsync(store.Location, TimeProvider.System, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(writer => Task.Run(async () =>
        {
            for (var run = 0; run < 5; run++)
            {
                await results.WriteAsync(Run($"writer-{writer}-run-{run}", Monday.AddMinutes((writer * 10) + run), 0.010 + (writer / 1000.0)), CancellationToken.None);
            }
        })));

        (await results.CountRunsAsync(CancellationToken.None)).Should().Be(30);
        (await CountAsync(store.Location, "SELECT COUNT(*) FROM measurements")).Should().Be(30);
    }

    private static async Task ExecuteAsync(StoreLocation location, string sql)
    {
        await using var connection = Connection(location);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(StoreLocation location, string sql)
    {
        await using var connection = Connection(location);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A plain connection to the store's database, to look at or tamper with it from outside the store.</summary>
    private static System.Data.Common.DbConnection Connection(StoreLocation location) => location switch
    {
        SqliteStoreLocation sqlite => new SqliteConnection($"Data Source={sqlite.Path};Pooling=False"),
        PostgreSqlStoreLocation postgres => new NpgsqlConnection(postgres.ConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(location)),
    };
}
