using System.Data.Common;
using System.Globalization;

namespace TestBench.Harness.History;

/// <summary>
/// The store's schema, one for SQLite and PostgreSQL, as numbered migrations applied in order at start, each recorded in
/// <c>schema_versions</c>. A store whose recorded version is above <see cref="Latest"/> was written by a newer TestBench:
/// it is left alone (<see cref="StoreSchemaTooNewException"/>). Times are ISO 8601 UTC text, which sorts as time in both.
/// Hand-written rather than DbUp's: the migrations must run under the store's writer lock (two agents starting at once)
/// and refuse a newer schema, neither of which DbUp's journal does.
/// </summary>
internal static class StoreSchema
{
    /// <summary>A numbered change of the schema; <c>{id}</c> stands for the dialect's auto-numbered key.</summary>
    public sealed record Migration(int Version, string Description, string Sql);

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "runs with their targets and workflow files; measurements and export measures per run", """
            CREATE TABLE runs (
                id {id},
                run_key TEXT NOT NULL UNIQUE,
                started_at TEXT NOT NULL,
                commit_sha TEXT,
                machine TEXT NOT NULL,
                complete INTEGER NOT NULL,
                origin TEXT NOT NULL,
                stored_at TEXT NOT NULL
            );
            CREATE TABLE run_targets (
                run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                target TEXT NOT NULL,
                address TEXT NOT NULL,
                PRIMARY KEY (run_id, target)
            );
            CREATE TABLE run_workflows (
                run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                workflow TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                PRIMARY KEY (run_id, workflow)
            );
            CREATE TABLE measurements (
                id {id},
                run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                workflow TEXT NOT NULL,
                test TEXT NOT NULL,
                target TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                measured_at TEXT NOT NULL,
                calls BIGINT NOT NULL,
                errors BIGINT NOT NULL,
                throttled BIGINT NOT NULL,
                dropped BIGINT NOT NULL,
                trials INTEGER NOT NULL,
                throughput DOUBLE PRECISION NOT NULL,
                p50_seconds DOUBLE PRECISION NOT NULL,
                p90_seconds DOUBLE PRECISION NOT NULL,
                p95_seconds DOUBLE PRECISION NOT NULL,
                p99_seconds DOUBLE PRECISION NOT NULL,
                max_seconds DOUBLE PRECISION NOT NULL,
                trial_throughputs TEXT NOT NULL,
                histogram TEXT,
                verdict TEXT,
                reasons TEXT NOT NULL,
                UNIQUE (run_id, workflow, test, target)
            );
            CREATE INDEX measurements_series ON measurements (workflow, test, target);
            CREATE TABLE export_measures (
                run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                workflow TEXT NOT NULL,
                target TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                measure TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                unit TEXT NOT NULL,
                verdict TEXT NOT NULL,
                reason TEXT NOT NULL,
                PRIMARY KEY (run_id, workflow, target, algorithm, measure)
            )
            """),
    ];

    /// <summary>The newest schema this build knows.</summary>
    public static int Latest => Migrations[^1].Version;

    /// <summary>Brings the store's schema up to <see cref="Latest"/> under the writer lock; nothing when it is there.</summary>
    /// <returns>The version the store was at before.</returns>
    /// <exception cref="StoreSchemaTooNewException">The store is at a newer version than this build knows.</exception>
    public static async Task<int> MigrateAsync(DbConnection connection, StoreDialect dialect, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_versions (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)", cancellationToken).ConfigureAwait(false);
        var found = await CurrentAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (found > Latest)
        {
            throw new StoreSchemaTooNewException(found, Latest);
        }

        foreach (var migration in Migrations.Where(m => m.Version > found))
        {
            await ExecuteAsync(connection, transaction, migration.Sql.Replace("{id}", dialect.IdentityKey, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_versions (version, description, applied_at) VALUES (@version, @description, @at)";
            record.AddParameter("version", migration.Version).AddParameter("description", migration.Description).AddParameter("at", StoreTime.Text(time.GetUtcNow()));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    private static async Task<int> CurrentAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT MAX(version) FROM schema_versions";
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The store was written by a newer TestBench, whose schema this one does not know; it is left as it is.</summary>
public sealed class StoreSchemaTooNewException(int found, int known)
    : Exception($"the store's schema is version {found}, newer than the {known} this TestBench knows: it was written by a newer TestBench, so this run leaves it alone (update this checkout, or name another store)")
{
    public int Found { get; } = found;

    public int Known { get; } = known;
}

/// <summary>Times as the store keeps them: ISO 8601 in UTC with seven decimals, so text order is time order.</summary>
internal static class StoreTime
{
    public static string Text(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>Adds named parameters the same way on both databases.</summary>
internal static class StoreCommands
{
    public static DbCommand AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
