namespace TestBench.Harness.Ratchet;

/// <summary>The content of a bar file: each test's bar, and the calibration baseline of the machine that measured them.</summary>
public sealed record BarDocument(IReadOnlyDictionary<string, Bar> Tests)
{
    public static readonly BarDocument Empty = new(new Dictionary<string, Bar>());

    /// <summary>The noise guard's baseline; <see langword="null"/> in files written before it existed.</summary>
    public CalibrationSample? Calibration { get; init; }
}
