namespace TestBench.Benchmarks;

/// <summary>A case not run because its target was found down earlier in the run; the message says when and why.</summary>
public sealed class TargetDownException(string message) : Exception(message);
