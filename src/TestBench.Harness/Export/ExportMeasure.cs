namespace TestBench.Harness.Export;

/// <summary>
/// One thing an export measured about the destination: a step's duration, the data copy's speed, or how long the
/// first calls took. Named the same in every run, so runs compare measure by measure.
/// </summary>
/// <param name="Name">What was measured: <c>build</c>, <c>data copy speed</c>, <c>cold start</c>…</param>
/// <param name="Value">The value, in <paramref name="Unit"/>.</param>
/// <param name="Unit"><c>s</c>, <c>ms</c> or <c>MB/s</c>.</param>
/// <param name="HigherIsBetter">True for speeds, false for durations.</param>
public sealed record ExportMeasure(string Name, double Value, string Unit, bool HigherIsBetter)
{
    public const string DataCopy = "data copy";
    public const string DataCopySpeed = "data copy speed";
    public const string SourcePush = "source push";
    public const string Build = "build";
    public const string SmokeCall = "test payload call";
    public const string ColdStart = "cold start";
    public const string Publish = "publish";
    public const string FirstPublishedCall = "first published call";
    public const string Deploy = "deploy";
    public const string ReadyWait = "ready wait";
    public const string InputExampleCall = "input example call";
    public const string Upload = "upload";
    public const string Packaging = "packaging";
    public const string SmokeRun = "test payload run";
    public const string TaskStart = "task start";

    public static ExportMeasure Seconds(string name, TimeSpan duration) => new(name, Math.Round(duration.TotalSeconds, 3), "s", HigherIsBetter: false);

    public static ExportMeasure Milliseconds(string name, double seconds) => new(name, Math.Round(seconds * 1000, 3), "ms", HigherIsBetter: false);

    public override string ToString() => FormattableString.Invariant($"{Name} {Value:0.###} {Unit}");
}
