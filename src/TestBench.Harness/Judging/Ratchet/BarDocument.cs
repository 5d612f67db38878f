using TestBench.Harness.Measuring;
namespace TestBench.Harness.Judging.Ratchet;

/// <summary>The content of a bar file: each test's bar, each export measure's bar, and the calibration baseline of the
/// machine that measured them.</summary>
public sealed record BarDocument(IReadOnlyDictionary<string, Bar> Tests)
{
    public static readonly BarDocument Empty = new(new Dictionary<string, Bar>());

    /// <summary>The noise guard's baseline; <see langword="null"/> in files written before it existed.</summary>
    public CalibrationSample? Calibration { get; init; }

    /// <summary>Export measures' bars by algorithm (template name), then measure; <see langword="null"/> in files written before them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, ExportBar>>? Exports { get; init; }
}
