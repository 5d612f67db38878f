using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.History;
using TestBench.Harness.Reporting;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.History;

public sealed class RunHistoryTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("testbench-run-history-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static readonly RunRecord Identity = new()
    {
        Id = "3f2a",
        StartedAt = new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero),
        Commit = "0123456789ab",
        Machine = "machine-a",
        Targets = new Dictionary<string, string> { ["local"] = "embedded" },
    };

    private StoredRun Run()
    {
        var workflows = Directory.CreateDirectory(Path.Combine(root, "workflows")).FullName;
        File.WriteAllText(Path.Combine(workflows, "hello.json"), "{\"tests\": []}");
        return RunHistory.RunOf(Identity, [Measurements.Of("hello", "basic test", new LoadResultBuilder().Build())], [], complete: true, "run", workflows);
    }

    [Fact]
    public void A_stored_run_carries_its_identity_and_each_measured_workflows_file_hash()
    {
        var run = Run();

        run.Run.Should().Be(Identity);
        run.WorkflowHashes.Should().ContainKey("hello").WhoseValue.Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public async Task A_run_reaches_a_new_sqlite_file_and_says_how_many_runs_it_holds()
    {
        var location = StoreLocation.SqliteFile(Path.Combine(root, "history", "testbench.db"));

        var write = await new RunHistory(location, new SecretRedactor([]), TimeProvider.System).RecordAsync(Run(), CancellationToken.None);

        write.Written.Should().BeTrue();
        write.Describe().Should().Be($"history: this run stored in SQLite file {Path.Combine(root, "history", "testbench.db")} (1 run)");
    }

    [Fact]
    public async Task An_unreachable_postgresql_is_reported_without_the_connection_strings_password()
    {
        // A loopback port nothing listens on: bound, then released.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var location = StoreLocation.PostgreSql($"Host=127.0.0.1;Port={port};Database=testbench;Username=agent;Password=hunter2-secret;Timeout=3");

        var write = await new RunHistory(location, new SecretRedactor([]), TimeProvider.System).RecordAsync(Run(), CancellationToken.None);

        write.Written.Should().BeFalse();
        write.Describe().Should().StartWith($"history NOT written to PostgreSQL database testbench on 127.0.0.1:{port}: ").And.NotContain("hunter2-secret");
    }

    [Fact]
    public async Task A_sqlite_file_another_writer_holds_past_the_wait_is_reported_and_costs_nothing_else()
    {
        var path = Path.Combine(root, "history", "testbench.db");
        var location = (SqliteStoreLocation)StoreLocation.SqliteFile(path) with { BusyTimeout = TimeSpan.FromSeconds(1) };
        await ResultsStore.OpenAsync(location, TimeProvider.System, CancellationToken.None);
        await using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        await other.OpenAsync();
        await using var holding = await other.BeginTransactionAsync();

        var write = await new RunHistory(location, new SecretRedactor([]), TimeProvider.System).RecordAsync(Run(), CancellationToken.None);

        write.Written.Should().BeFalse();
        write.Reason.Should().Contain("locked");
    }

    [SkippableFact]
    public async Task A_read_only_postgresql_is_reported_and_left_unwritten()
    {
        await using var store = await TestStore.CreateAsync("postgresql");
        var postgres = (PostgreSqlStoreLocation)store.Location;
        await ResultsStore.OpenAsync(postgres, TimeProvider.System, CancellationToken.None);
        // What a hot standby, or a role limited to reading, answers every write with.
        var readOnly = StoreLocation.PostgreSql(new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Options = "-c default_transaction_read_only=on" }.ConnectionString);

        var write = await new RunHistory(readOnly, new SecretRedactor([]), TimeProvider.System).RecordAsync(Run(), CancellationToken.None);

        write.Written.Should().BeFalse();
        write.Reason.Should().Contain("read-only");
        var unchanged = await ResultsStore.OpenAsync(postgres, TimeProvider.System, CancellationToken.None);
        (await unchanged.CountRunsAsync(CancellationToken.None)).Should().Be(0);
    }

    [Fact]
    public async Task A_store_in_a_folder_that_cannot_be_created_is_reported()
    {
        var blocker = Path.Combine(root, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the store's folder would be");

        var write = await new RunHistory(StoreLocation.SqliteFile(Path.Combine(blocker, "testbench.db")), new SecretRedactor([]), TimeProvider.System).RecordAsync(Run(), CancellationToken.None);

        write.Written.Should().BeFalse();
        write.Reason.Should().NotBeNullOrWhiteSpace();
    }
}
