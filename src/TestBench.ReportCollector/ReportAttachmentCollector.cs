using System.Xml;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.DataCollection;
using TestBench.Harness.Reporting;

namespace TestBench.ReportCollector;

/// <summary>
/// Attaches the files a run leaves for it (the HTML report and the JSON results) to the test run: they are
/// listed in the TRX file and published with the run by Azure DevOps. The test host learns the folder to leave
/// them in from <see cref="RunAttachments.Variable"/>. Enabled in <c>.runsettings</c> as <c>TestBench report</c>.
/// </summary>
[DataCollectorFriendlyName("TestBench report")]
[DataCollectorTypeUri("datacollector://TestBench/Report/1.0")]
public sealed class ReportAttachmentCollector : DataCollector, ITestExecutionEnvironmentSpecifier
{
    private string directory = "";
    private DataCollectionSink? sink;
    private DataCollectionEvents? events;

    public override void Initialize(XmlElement? configurationElement, DataCollectionEvents events, DataCollectionSink dataSink, DataCollectionLogger logger, DataCollectionEnvironmentContext? environmentContext)
    {
        ArgumentNullException.ThrowIfNull(events);
        directory = Directory.CreateTempSubdirectory("testbench-attachments-").FullName;
        sink = dataSink;
        this.events = events;
        events.SessionEnd += OnSessionEnd;
    }

    public IEnumerable<KeyValuePair<string, string>> GetTestExecutionEnvironmentVariables() =>
        [new(RunAttachments.Variable, directory)];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (events is not null)
            {
                events.SessionEnd -= OnSessionEnd;
            }

            // By now the platform has copied every attachment into the run's results.
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        base.Dispose(disposing);
    }

    private void OnSessionEnd(object? sender, SessionEndEventArgs e)
    {
        WriteReportOfUnendedRun();
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            sink!.SendFileAsync(e.Context, file, deleteFile: true);
        }
    }

    /// <summary>A test host that died before publishing its report left the results file alone (every change is attached
    /// as it is written): the report is rendered from it here, so a killed run still has one.</summary>
    private void WriteReportOfUnendedRun()
    {
        var results = Path.Combine(directory, ResultsFile.FileName);
        var report = Path.Combine(directory, HtmlReport.FileName);
        if (!File.Exists(results) || File.Exists(report))
        {
            return;
        }

        try
        {
            RunReport.WriteFromResults(results, report);
        }
#pragma warning disable CA1031 // The results file is attached all the same; a report that cannot be rendered must not lose it.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            File.WriteAllText(report, $"<!DOCTYPE html><html><body><p>The run did not end and its report could not be rendered from {ResultsFile.FileName}: {System.Net.WebUtility.HtmlEncode(failure.Message)}</p></body></html>");
        }
    }
}
