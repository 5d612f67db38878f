using FluentAssertions;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;
using Microsoft.VisualStudio.TestPlatform.ObjectModel.DataCollection;
using TestBench.Harness.Reporting;
using TestBench.ReportCollector;
using Xunit;

namespace TestBench.Harness.Tests.TestPlatform;

/// <summary>The collector through the platform's abstract event and sink types, as the data collector host drives it.</summary>
public sealed class ReportAttachmentCollectorTests : IDisposable
{
    private readonly Events events = new();
    private readonly Sink sink = new();
    private readonly ReportAttachmentCollector collector = new();

    public ReportAttachmentCollectorTests() =>
        collector.Initialize(null, events, sink, null!, null);

    public void Dispose() => collector.Dispose();

    [Fact]
    public void SessionEnd_FilesLeftInTheFolder_AreSentAndGivenToThePlatform()
    {
        var folder = Folder();
        File.WriteAllText(Path.Combine(folder, "testbench-report.html"), "<html/>");
        File.WriteAllText(Path.Combine(folder, "testbench-results.json"), "{}");

        events.EndSession();

        sink.Sent.Select(Path.GetFileName).Should().Equal("testbench-report.html", "testbench-results.json");
    }

    [Fact]
    public void SessionEnd_ResultsOfARunThatDiedWithoutItsReport_RendersTheReportFromThemAndSendsBoth()
    {
        var folder = Folder();
        // What a killed test host leaves: the results file as its last change attached it, the case it died in unfinished.
        var results = new ResultsFile(Path.Combine(folder, "host"), name => name == RunAttachments.Variable ? folder : null);
        results.Start(new CaseRecord { Name = "hello_world › 200 calls", Workflow = "hello_world", Stage = "benchmark", Target = "local", StartedAt = DateTimeOffset.UnixEpoch });

        events.EndSession();

        sink.Sent.Select(Path.GetFileName).Should().Equal("testbench-report.html", "testbench-results.json");
        var report = File.ReadAllText(sink.Sent[0]);
        report.Should().Contain("This run did not end").And.Contain("hello_world › 200 calls").And.Contain("unfinished");
    }

    [Fact]
    public void Dispose_AfterTheSession_RemovesTheFolder()
    {
        var folder = Folder();
        events.EndSession();

        collector.Dispose();

        Directory.Exists(folder).Should().BeFalse();
    }

    [Fact]
    public void SessionEnd_NothingLeft_SendsNothing()
    {
        events.EndSession();

        sink.Sent.Should().BeEmpty();
    }

    private string Folder()
    {
        var variable = collector.GetTestExecutionEnvironmentVariables().Should().ContainSingle().Which;
        variable.Key.Should().Be(RunAttachments.Variable);
        Directory.Exists(variable.Value).Should().BeTrue();
        return variable.Value;
    }

    private sealed class Events : DataCollectionEvents
    {
        public override event EventHandler<SessionStartEventArgs>? SessionStart;

        public override event EventHandler<SessionEndEventArgs>? SessionEnd;

        public override event EventHandler<TestCaseStartEventArgs>? TestCaseStart;

        public override event EventHandler<TestCaseEndEventArgs>? TestCaseEnd;

        public override event EventHandler<TestHostLaunchedEventArgs>? TestHostLaunched;

        public void EndSession() => SessionEnd?.Invoke(this, new SessionEndEventArgs(new DataCollectionContext(new TestCase("session", new Uri("executor://testbench"), "tests.dll"))));

        // The collector listens only to SessionEnd; the others exist because the base type declares them.
        public void Unused() => (SessionStart, TestCaseStart, TestCaseEnd, TestHostLaunched) = (null, null, null, null);
    }

    private sealed class Sink : DataCollectionSink
    {
        public List<string> Sent { get; } = [];

        public override event System.ComponentModel.AsyncCompletedEventHandler? SendFileCompleted;

        public override void SendFileAsync(FileTransferInformation fileTransferInformation)
        {
            Sent.Add(fileTransferInformation.Path);
            SendFileCompleted?.Invoke(this, new System.ComponentModel.AsyncCompletedEventArgs(null, false, null));
        }
    }
}
