using System.Text.Json;

namespace TestBench.Harness.Workflows;

/// <summary>One entry of a workflow's <c>algorithms</c> list.</summary>
public sealed record AlgorithmSpec
{
    /// <summary>The template name: letters, digits and underscores, starting with a letter.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// <c>code_path</c> (alias <c>code</c>): a <c>data://</c> URI of a tar.gz holding <c>src/</c> and
    /// <c>requirements.txt</c> on the source cluster. <see langword="null"/> means the template in
    /// <c>algorithms/&lt;Name&gt;/</c> is used.
    /// </summary>
    public string? CodePath { get; init; }

    /// <summary>The environment the algorithm needs, as the workflow names it.</summary>
    public required EnvironmentSelector Environment { get; init; }

    /// <summary><c>data_files</c>: <c>data://</c> URIs copied into the exported algorithm's collection.</summary>
    public required IReadOnlyList<string> DataFiles { get; init; }

    /// <summary><c>test_payload</c>: the input of the smoke call made right after the build.</summary>
    public required JsonElement TestPayload { get; init; }
}
