using Npgsql;
using TestBench.Harness.History;
using Xunit;

namespace TestBench.Harness.Tests.Builders;

/// <summary>
/// An empty results store of one backend for one test: a SQLite file in a new temporary folder, or a schema of its own
/// in the PostgreSQL database <c>TESTBENCH_TEST_POSTGRES</c> names (<c>scripts/start-postgres.sh</c> prints it; CI sets
/// it) — never a fake. Without that variable the PostgreSQL cases are skipped, saying so; with it, a server that does
/// not answer fails them.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    public const string PostgresVariable = "TESTBENCH_TEST_POSTGRES";

    private readonly string? folder;
    private readonly string? schema;
    private readonly string? adminConnection;

    private TestStore(StoreLocation location, string? folder, string? schema, string? adminConnection)
    {
        Location = location;
        this.folder = folder;
        this.schema = schema;
        this.adminConnection = adminConnection;
    }

    public StoreLocation Location { get; }

    /// <summary>The backends every store test runs on.</summary>
    public static TheoryData<string> Backends => ["sqlite", "postgresql"];

    public static async Task<TestStore> CreateAsync(string backend)
    {
        if (backend == "sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("testbench-store-").FullName;
            return new TestStore(StoreLocation.SqliteFile(Path.Combine(folder, "history", "testbench.db")), folder, null, null);
        }

        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        Skip.If(string.IsNullOrWhiteSpace(connection), $"no PostgreSQL named: set {PostgresVariable} (export {PostgresVariable}=\"$(bash scripts/start-postgres.sh)\"; CI does)");
        var schema = $"test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(connection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var own = new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema, Pooling = false }.ConnectionString;
        return new TestStore(StoreLocation.PostgreSql(own), null, schema, connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        if (schema is not null)
        {
            await using var admin = new NpgsqlConnection(adminConnection);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
