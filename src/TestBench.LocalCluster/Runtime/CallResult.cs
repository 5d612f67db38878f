using System.Text.Json;

namespace TestBench.LocalCluster.Runtime;

/// <summary>An error reported by an algorithm or by the runtime on its behalf.</summary>
/// <param name="Message">What went wrong.</param>
/// <param name="Stacktrace">The traceback, when there is one.</param>
/// <param name="ErrorType">The platform's error type, such as <c>AlgorithmError</c> or <c>TimeoutError</c>.</param>
public sealed record AlgorithmError(string Message, string? Stacktrace, string ErrorType);

/// <summary>What one call gave: a result with its content type, or an error; plus what the algorithm printed.</summary>
public sealed record CallResult
{
    /// <summary>The result as JSON: a string for text and (base64) binary results, any value for JSON results.</summary>
    public JsonElement? Result { get; init; }

    /// <summary><c>text</c>, <c>json</c> or <c>binary</c> for a result; <see langword="null"/> for an error.</summary>
    public string? ContentType { get; init; }

    /// <summary>The error, when the call failed.</summary>
    public AlgorithmError? Error { get; init; }

    /// <summary>Seconds from handing the input to the runner until its answer (or death) was seen.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>What the algorithm printed to stdout and stderr during this call.</summary>
    public required string Stdout { get; init; }

    public bool Succeeded => Error is null;
}
