using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TestBench.Harness.History;

/// <summary>What differs between the two databases a store may live in; the schema and the queries are otherwise one.</summary>
internal abstract class StoreDialect
{
    /// <summary>The column type of an auto-numbered primary key.</summary>
    public abstract string IdentityKey { get; }

    /// <summary>Opens a connection to the store.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins the transaction a run is written in (or the schema migrated in), holding off every other writer
    /// of the store until it ends, so two agents writing at once queue instead of interleaving.</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

}

/// <summary>A SQLite file: created with its folder when missing; a writer takes the file's write lock at the start of its
/// transaction (<c>BEGIN IMMEDIATE</c>), and one that finds it taken waits up to <see cref="SqliteStoreLocation.BusyTimeout"/>.</summary>
internal sealed class SqliteDialect(SqliteStoreLocation location) : StoreDialect
{
    public override string IdentityKey => "INTEGER PRIMARY KEY";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(location.Path)!);
        // No pooling: a pooled connection would keep the file open (and locked on some systems) after the run.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = location.Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = (int)Math.Ceiling(location.BusyTimeout.TotalSeconds) }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var pragma = connection.CreateCommand())
        {
            // Foreign keys are off by default in SQLite; the schema's cascades need them.
            pragma.CommandText = "PRAGMA foreign_keys = ON";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Microsoft.Data.Sqlite begins a transaction that is not deferred with BEGIN IMMEDIATE.
        await ((SqliteConnection)connection).BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
}

/// <summary>A PostgreSQL database: a writer's transaction takes a transaction-scoped advisory lock first, so the store's
/// writers (and a migration) run one at a time whatever tables they touch.</summary>
internal sealed class PostgreSqlDialect(PostgreSqlStoreLocation location) : StoreDialect
{
    /// <summary>The advisory lock's key: any number no other application on the database uses ("TB28").</summary>
    private const long WriterLock = 0x5442_3238;

    public override string IdentityKey => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(location.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({WriterLock})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }
}
