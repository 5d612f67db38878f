namespace TestBench.Harness.Workflows;

/// <summary>
/// How a workflow names an algorithm's environment. The original tool's README variants use
/// <c>language</c> (a short name such as <c>python3</c>), <c>environment</c>, or <c>environment_name</c>
/// (an exact environment display name such as <c>Python 3.7</c>); at least one is present.
/// </summary>
public sealed record EnvironmentSelector
{
    /// <summary><c>language</c>, e.g. <c>python3</c>.</summary>
    public string? Language { get; init; }

    /// <summary><c>environment</c>, e.g. <c>anaconda3-gpu</c>.</summary>
    public string? Environment { get; init; }

    /// <summary><c>environment_name</c>: an environment display name, matched exactly.</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>The most specific name given: display name, then environment, then language.</summary>
    public string Describe() => EnvironmentName ?? Environment ?? Language ?? "(none)";
}
