using TestBench.Harness.Algorithmia;
using TestBench.Harness.Approvals;
using TestBench.Harness.Export;
using TestBench.Harness.Ratchet;
using TestBench.Harness.Workflows;

namespace TestBench.Harness.Benchmark;

/// <summary>
/// Runs one workflow test against its exported entrypoint: the calls (with warm-up, repeats and callers),
/// then the result's expectation and the test's bar. Judging is left to the caller; this only measures and
/// compares, so the benchmark cases and the tests of the ratchet run the very same steps.
/// </summary>
public sealed class TestBenchmark(AlgorithmiaClient destination, SecretRedactor redactor, Approver approver)
{
    public async Task<BenchmarkOutcome> RunAsync(string workflow, WorkflowTest test, ExportedAlgorithm entrypoint, RatchetBook bars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(entrypoint);
        ArgumentNullException.ThrowIfNull(bars);
        var payload = PayloadTemplate.Render(test.Payload, entrypoint.ExportedName);
        CallResponse? last = null;
        var load = await LoadRunner.RunAsync(
            async token => last = await destination.CallAsync(entrypoint.Owner, entrypoint.ExportedName, entrypoint.GitHash, payload, test.TimeoutSeconds, token).ConfigureAwait(false),
            test.Repeat,
            test.Concurrency,
            test.Warmup,
            cancellationToken).ConfigureAwait(false);
        var succeeded = load.Errors == 0 && load.Calls > 0;

        // A bar is only ever proposed from calls that all succeeded; failed calls are judged by the success assertion.
        var (ratchet, note) = succeeded ? bars.Check(test.Name, load) : (null, null);
        var approval = succeeded && test.Expect is { } expect ? approver.Check(workflow, test.Name, expect, last?.Body?["result"]) : null;
        var measurement = new Measurement
        {
            Workflow = workflow,
            Test = test.Name,
            Algorithm = $"{entrypoint.Owner}/{entrypoint.ExportedName}/{entrypoint.GitHash}",
            Load = load with { FirstError = load.FirstError is { } error ? redactor.Redact(error) : null },
            PlatformSeconds = last?.PlatformSeconds,
            ContentType = last?.ContentType,
            ResultBytes = last?.ResponseBytes ?? 0,
            Verdict = ratchet?.Verdict,
            At = DateTimeOffset.UtcNow,
        };
        return new BenchmarkOutcome(measurement, approval, ratchet, note);
    }
}

/// <summary>What one test's run measured, and how it compared with its expectation and its bar
/// (both <see langword="null"/> when a call failed).</summary>
public sealed record BenchmarkOutcome(Measurement Measurement, ApprovalResult? Approval, RatchetOutcome? Ratchet, string? RatchetNote);
