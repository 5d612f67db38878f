using Npgsql;

namespace TestBench.Harness.History;

/// <summary>
/// Where a run's results are kept for later runs (issue #28): a SQLite file by default, or the team's PostgreSQL when a
/// connection string names one. The connection string is a secret (it may carry a password): <see cref="Describe"/>
/// names the server and database only, and <see cref="Secrets"/> tells the redactor what to hide.
/// </summary>
public abstract record StoreLocation
{
    /// <summary>The store as the summary and errors name it, with no secret in it.</summary>
    public abstract string Describe();

    /// <summary>What a redactor must hide when this store's errors are reported.</summary>
    public abstract IEnumerable<string?> Secrets { get; }

    /// <summary>How to talk to the database this location names.</summary>
    internal abstract StoreDialect Dialect();

    /// <summary>The PostgreSQL connection string's variable: environment only, since it is a secret.</summary>
    public const string ConnectionVariable = "TESTBENCH_STORE_CONNECTION";

    /// <summary>The SQLite file's variable (<c>.runsettings</c> <c>StoreFile</c>).</summary>
    public const string FileVariable = "TESTBENCH_STORE_FILE";

    /// <summary>
    /// The store a run's settings name: the PostgreSQL database of <paramref name="connection"/> when given, else the SQLite
    /// <paramref name="file"/> (relative to <paramref name="root"/>), else <c>history/testbench.db</c> in the results folder.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is none; the message names its variable, not its text.</exception>
    public static StoreLocation FromSettings(string? connection, string? file, string root, string resultsDirectory)
    {
        if (connection is null)
        {
            return SqliteFile(file is null ? System.IO.Path.Combine(resultsDirectory, "history", "testbench.db") : System.IO.Path.GetFullPath(file, root));
        }

        try
        {
            return PostgreSql(connection);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{ConnectionVariable} (a PostgreSQL connection string for the results store): {e.Message}", e);
        }
    }

    /// <summary>A SQLite file, created with its folder on first use.</summary>
    public static StoreLocation SqliteFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new SqliteStoreLocation(System.IO.Path.GetFullPath(path));
    }

    /// <summary>A PostgreSQL database named by an Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</summary>
    /// <exception cref="ArgumentException">The string is no connection string, or names no host or database.</exception>
    public static StoreLocation PostgreSql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Npgsql's message quotes the string, password and all.
            throw new ArgumentException("it is not an Npgsql connection string (Host=…;Port=5432;Database=…;Username=…;Password=…)");
        }

        if (string.IsNullOrWhiteSpace(builder.Host) || string.IsNullOrWhiteSpace(builder.Database))
        {
            throw new ArgumentException("it names no Host or no Database (Host=…;Port=5432;Database=…;Username=…;Password=…)");
        }

        return new PostgreSqlStoreLocation(builder.ConnectionString, $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}", builder.Password);
    }
}

/// <summary>A SQLite file.</summary>
public sealed record SqliteStoreLocation(string Path) : StoreLocation
{
    /// <summary>How long a writer waits for another's transaction to end before it gives up. <value>30 seconds.</value></summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public override string Describe() => $"SQLite file {Path}";

    public override IEnumerable<string?> Secrets => [];

    internal override StoreDialect Dialect() => new SqliteDialect(this);
}

/// <summary>A PostgreSQL database; <see cref="ToString"/> shows no part of the connection string.</summary>
public sealed record PostgreSqlStoreLocation(string ConnectionString, string Description, string? Password) : StoreLocation
{
    public override string Describe() => Description;

    public override IEnumerable<string?> Secrets => [ConnectionString, Password];

    internal override StoreDialect Dialect() => new PostgreSqlDialect(this);

    public override string ToString() => Description;
}
