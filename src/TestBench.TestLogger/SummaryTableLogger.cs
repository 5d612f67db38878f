using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;
using TestBench.Harness.Reporting;

namespace TestBench.TestLogger;

/// <summary>
/// Prints the run's benchmark summary (<see cref="SummaryTable"/>) when the test run completes, read from the
/// results file the <c>TestBench report</c> collector attached to the run. Runs without benchmark results
/// (unit tests only) print nothing. Enabled in <c>.runsettings</c> as logger <c>testbench</c>.
/// </summary>
[FriendlyName(Name)]
[ExtensionUri("logger://TestBench/Summary/1.0")]
public sealed class SummaryTableLogger : ITestLoggerWithParameters
{
    public const string Name = "testbench";

    private readonly TextWriter output;

    public SummaryTableLogger()
        : this(Console.Out)
    {
    }

    internal SummaryTableLogger(TextWriter output) => this.output = output;

    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.TestRunComplete += (_, e) => Print(e.AttachmentSets);
    }

    public void Initialize(TestLoggerEvents events, Dictionary<string, string?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Initialize(events, parameters.GetValueOrDefault(DefaultLoggerParameterNames.TestRunDirectory) ?? "");
    }

    internal void Print(IEnumerable<AttachmentSet>? attachmentSets)
    {
        var files = (attachmentSets ?? []).SelectMany(s => s.Attachments).Select(a => a.Uri.LocalPath).ToArray();
        if (files.FirstOrDefault(f => Path.GetFileName(f) == ResultsFile.FileName) is not { } results)
        {
            return;
        }

        var measurements = ResultsFile.Read(results);
        output.WriteLine();
        output.WriteLine($"TestBench summary: {SummaryTable.Headline(measurements)}");
        foreach (var caveat in SummaryTable.Caveats(measurements))
        {
            output.WriteLine($"warning: {caveat}");
        }

        output.Write(SummaryTable.Render(measurements));
        if (SummaryTable.RenderExports(ResultsFile.ReadExports(results)) is { Length: > 0 } exports)
        {
            output.WriteLine();
            output.Write(exports);
        }

        output.WriteLine($"Results: {results}");
        if (files.FirstOrDefault(f => Path.GetFileName(f) == HtmlReport.FileName) is { } report)
        {
            output.WriteLine($"Report:  {report}");
        }
    }
}
