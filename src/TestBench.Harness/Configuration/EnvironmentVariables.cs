namespace TestBench.Harness.Configuration;

/// <summary>Reading the process environment the way pipelines fill it.</summary>
public static class EnvironmentVariables
{
    /// <summary>
    /// Wraps a lookup so that empty values and Azure DevOps macros left unexpanded (<c>$(NAME)</c>, what a
    /// pipeline passes when the variable is not defined) read as unset.
    /// </summary>
    public static Func<string, string?> Effective(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        return name => lookup(name) is { } value && value.Trim() is { Length: > 0 } trimmed && !(trimmed.StartsWith("$(", StringComparison.Ordinal) && trimmed.EndsWith(')'))
            ? value
            : null;
    }

    /// <summary>This process's environment, read through <see cref="Effective"/>.</summary>
    public static Func<string, string?> Process { get; } = Effective(Environment.GetEnvironmentVariable);
}
