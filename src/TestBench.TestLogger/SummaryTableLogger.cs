using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.Client;
using TestBench.Harness.Reporting;
using TestBench.Harness.Running;

namespace TestBench.TestLogger;

/// <summary>
/// Prints the run's benchmark summary (<see cref="SummaryTable"/>) when the test run completes, read from the
/// results file the <c>TestBench report</c> collector attached to the run. Its first line says how many export and
/// benchmark cases ran and why the others were skipped (from the cases' <c>Stage</c> traits and skip messages), so a
/// run that measured nothing cannot pass for a green benchmark. Runs without workflow cases (unit tests only) print
/// nothing. Enabled in <c>.runsettings</c> as logger <c>testbench</c>.
/// </summary>
[FriendlyName(Name)]
[ExtensionUri("logger://TestBench/Summary/1.0")]
public sealed class SummaryTableLogger : ITestLoggerWithParameters
{
    public const string Name = "testbench";

    private readonly TextWriter output;
    private readonly CaseTally cases = new();

    public SummaryTableLogger()
        : this(Console.Out)
    {
    }

    internal SummaryTableLogger(TextWriter output) => this.output = output;

    public void Initialize(TestLoggerEvents events, string testRunDirectory)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.TestResult += (_, e) => Count(e.Result);
        events.TestRunComplete += (_, e) => Print(e.AttachmentSets);
    }

    internal void Count(TestResult result)
    {
        var stage = result.TestCase.Traits.FirstOrDefault(t => t.Name == "Stage")?.Value;
        if (Enum.TryParse<CaseStage>(stage, out var parsed))
        {
            cases.Add(parsed, result.Outcome == TestOutcome.Skipped, result.ErrorMessage);
        }
    }

    public void Initialize(TestLoggerEvents events, Dictionary<string, string?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Initialize(events, parameters.GetValueOrDefault(DefaultLoggerParameterNames.TestRunDirectory) ?? "");
    }

    internal void Print(IEnumerable<AttachmentSet>? attachmentSets)
    {
        var files = (attachmentSets ?? []).SelectMany(s => s.Attachments).Select(a => a.Uri.LocalPath).ToArray();
        var skipped = cases.Describe();
        var results = files.FirstOrDefault(f => Path.GetFileName(f) == ResultsFile.FileName);
        if (results is null && skipped is null)
        {
            return;
        }

        output.WriteLine();
        // A run that could not reach its history says so first: its later runs will judge without it.
        var history = results is null ? null : ResultsFile.ReadHistory(results);
        var headed = false;
        if (history is { Written: false })
        {
            output.WriteLine($"TestBench summary: {history.Describe()}");
            headed = true;
        }

        if (skipped is not null)
        {
            output.WriteLine($"{(headed ? "" : "TestBench summary: ")}{skipped}");
            headed = true;
            if (cases.NothingMeasured)
            {
                output.WriteLine("warning: no export or benchmark case ran; with RequireBenchmarks=true (TESTBENCH_REQUIRE_BENCHMARKS) this fails the run");
            }
        }

        if (results is null)
        {
            return;
        }

        var measurements = ResultsFile.Read(results);
        output.WriteLine($"{(headed ? "" : "TestBench summary: ")}{SummaryTable.Headline(measurements)}");
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

        if (SummaryTable.RenderComparisons(ResultsFile.ReadComparisons(results)) is { Length: > 0 } comparisons)
        {
            output.WriteLine();
            output.Write(comparisons);
        }

        if (history is { Written: true })
        {
            output.WriteLine(history.Describe());
        }

        output.WriteLine($"Results: {results}");
        if (files.FirstOrDefault(f => Path.GetFileName(f) == HtmlReport.FileName) is { } report)
        {
            output.WriteLine($"Report:  {report}");
        }
    }
}
