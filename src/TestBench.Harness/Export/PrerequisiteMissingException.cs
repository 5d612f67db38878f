namespace TestBench.Harness.Export;

/// <summary>
/// An export cannot even be attempted here (for example the environment is neither installed nor
/// installable on the target). The benchmark reports such cases as skipped, with <see cref="Exception.Message"/>
/// as the reason, never as passed.
/// </summary>
public sealed class PrerequisiteMissingException(string message) : Exception(message);
