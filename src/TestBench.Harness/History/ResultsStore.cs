using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace TestBench.Harness.History;

/// <summary>
/// Every run's results, kept where later runs (and other agents) read them (issue #28): a run is written in one
/// transaction under the store's writer lock, or not at all; the schema is brought up to date when the store is opened.
/// One class for both databases: what differs is the <see cref="StoreDialect"/>.
/// </summary>
public sealed class ResultsStore
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly StoreDialect dialect;
    private readonly TimeProvider time;

    private ResultsStore(StoreLocation location, StoreDialect dialect, TimeProvider time, bool isNew)
    {
        Location = location;
        IsNew = isNew;
        this.dialect = dialect;
        this.time = time;
    }

    public StoreLocation Location { get; }

    /// <summary>Whether opening it created the store (it had no schema before).</summary>
    public bool IsNew { get; }

    /// <summary>Opens the store at <paramref name="location"/>, creating or migrating its schema.</summary>
    /// <exception cref="StoreSchemaTooNewException">A newer TestBench wrote it.</exception>
    /// <exception cref="DbException">The database cannot be reached, read or written.</exception>
    public static async Task<ResultsStore> OpenAsync(StoreLocation location, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(time);
        var dialect = location.Dialect();
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var before = await StoreSchema.MigrateAsync(connection, dialect, time, cancellationToken).ConfigureAwait(false);
        return new ResultsStore(location, dialect, time, isNew: before == 0);
    }

    /// <summary>Writes <paramref name="run"/>, all of it or nothing.</summary>
    /// <returns><see langword="false"/> when a run with its key is stored already (it is left as it was).</returns>
    public async Task<bool> WriteAsync(StoredRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        var stored = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM runs WHERE run_key = @key", cancellationToken, ("key", run.Run.Id)).ConfigureAwait(false);
        if (Convert.ToInt64(stored, CultureInfo.InvariantCulture) > 0)
        {
            return false;
        }

        var runId = Convert.ToInt64(await ScalarAsync(connection, transaction,
            "INSERT INTO runs (run_key, started_at, commit_sha, machine, complete, origin, stored_at) VALUES (@key, @started, @commit, @machine, @complete, @origin, @stored) RETURNING id",
            cancellationToken,
            ("key", run.Run.Id), ("started", StoreTime.Text(run.Run.StartedAt)), ("commit", run.Run.Commit), ("machine", run.Run.Machine), ("complete", run.Complete ? 1 : 0), ("origin", run.Origin), ("stored", StoreTime.Text(time.GetUtcNow()))).ConfigureAwait(false), CultureInfo.InvariantCulture);
        foreach (var (target, address) in run.Run.Targets)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO run_targets (run_id, target, address) VALUES (@run, @target, @address)", cancellationToken, ("run", runId), ("target", target), ("address", address)).ConfigureAwait(false);
        }

        foreach (var (workflow, hash) in run.WorkflowHashes)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO run_workflows (run_id, workflow, sha256) VALUES (@run, @workflow, @hash)", cancellationToken, ("run", runId), ("workflow", workflow), ("hash", hash)).ConfigureAwait(false);
        }

        foreach (var m in run.Measurements)
        {
            var load = m.Load;
            await ExecuteAsync(connection, transaction, """
                INSERT INTO measurements (run_id, workflow, test, target, algorithm, measured_at, calls, errors, throttled, dropped, trials, throughput,
                    p50_seconds, p90_seconds, p95_seconds, p99_seconds, max_seconds, trial_throughputs, histogram, verdict, reasons)
                VALUES (@run, @workflow, @test, @target, @algorithm, @at, @calls, @errors, @throttled, @dropped, @trials, @throughput,
                    @p50, @p90, @p95, @p99, @max, @trial_throughputs, @histogram, @verdict, @reasons)
                """,
                cancellationToken,
                ("run", runId), ("workflow", m.Workflow), ("test", m.Test), ("target", m.Target), ("algorithm", m.Algorithm), ("at", StoreTime.Text(m.At)),
                ("calls", load.Calls), ("errors", load.Errors), ("throttled", load.Throttled), ("dropped", load.Dropped), ("trials", load.Trials), ("throughput", load.Throughput),
                ("p50", load.P50), ("p90", load.P90), ("p95", load.P95), ("p99", load.P99), ("max", load.Max),
                ("trial_throughputs", JsonSerializer.Serialize(load.TrialThroughputs, Json)),
                ("histogram", load.Histogram is { TotalCount: > 0 } histogram ? JsonSerializer.Serialize(histogram, Json) : null),
                ("verdict", m.Judgement?.Verdict.ToString().ToLowerInvariant()),
                ("reasons", JsonSerializer.Serialize(m.Judgement?.Reasons ?? [], Json))).ConfigureAwait(false);
        }

        foreach (var export in run.Exports)
        {
            foreach (var measure in export.Measures)
            {
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO export_measures (run_id, workflow, target, algorithm, measure, value, unit, verdict, reason)
                    VALUES (@run, @workflow, @target, @algorithm, @measure, @value, @unit, @verdict, @reason)
                    """,
                    cancellationToken,
                    ("run", runId), ("workflow", export.Workflow), ("target", export.Target), ("algorithm", export.Algorithm), ("measure", measure.Name),
                    ("value", measure.Value), ("unit", measure.Unit), ("verdict", measure.Verdict.ToString().ToLowerInvariant()), ("reason", measure.Reason)).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>How many runs the store holds.</summary>
    public async Task<long> CountRunsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(await ScalarAsync(connection, null, "SELECT COUNT(*) FROM runs", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>A test's run medians on one target and machine, oldest first, each with its run's commit and the target's address.</summary>
    public async Task<IReadOnlyList<SeriesPoint>> ReadSeriesAsync(SeriesKey series, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.run_key, r.started_at, r.commit_sha, COALESCE(t.address, 'unknown'), m.p50_seconds, m.throughput, m.calls, m.verdict
            FROM measurements m
            JOIN runs r ON r.id = m.run_id
            LEFT JOIN run_targets t ON t.run_id = m.run_id AND t.target = m.target
            WHERE m.workflow = @workflow AND m.test = @test AND m.target = @target AND r.machine = @machine
            ORDER BY r.started_at, r.id
            """;
        command.AddParameter("workflow", series.Workflow).AddParameter("test", series.Test).AddParameter("target", series.Target).AddParameter("machine", series.Machine);
        List<SeriesPoint> points = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            points.Add(new SeriesPoint(
                reader.GetString(0),
                StoreTime.Parse(reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetDouble(4),
                reader.GetDouble(5),
                reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return points;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return command;
    }
}
