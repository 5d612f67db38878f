namespace TestBench.Harness.Export;

/// <summary>
/// An export cannot even be attempted here (for example the environment is neither installed nor
/// installable on the target). The benchmark reports such cases as skipped, with <see cref="Exception.Message"/>
/// as the reason, never as passed.
/// </summary>
public sealed class PrerequisiteMissingException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Whether this export was not attempted because an earlier algorithm of the workflow could not be.</summary>
    public bool IsBlocked { get; private init; }

    /// <summary>An algorithm after <paramref name="cause"/>'s in the workflow, which cannot be exported without it.</summary>
    public static PrerequisiteMissingException Blocked(PrerequisiteMissingException cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        return new PrerequisiteMissingException(cause.IsBlocked ? cause.Message : $"blocked by an earlier algorithm of the workflow: {cause.Message}", cause) { IsBlocked = true };
    }
}
