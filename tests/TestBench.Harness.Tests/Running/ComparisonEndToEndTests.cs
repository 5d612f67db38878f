using FluentAssertions;
using TestBench.Harness.Algorithmia;
using TestBench.Harness.Configuration;
using TestBench.Harness.Judging.Comparison;
using TestBench.Harness.Measuring;
using TestBench.Harness.Reporting;
using TestBench.Harness.Running;
using TestBench.Harness.Tests.Builders;
using Xunit;

namespace TestBench.Harness.Tests.Running;

/// <summary>
/// A comparison end to end on real embedded clusters (issue #27): one workflow exported to a baseline and to
/// candidates, its test run through the same <see cref="TestComparison"/> the comparison cases use — interleaved blocks
/// of real calls, judged on their paired ratios. The clusters share this process with the other test classes, so the
/// effects asked of it are large and the A/A threshold is wide; power and false alarms on a quiet machine are
/// measured by <c>bench/ab.sh</c> (docs/benchmarks.md).
/// </summary>
public sealed class ComparisonEndToEndTests : IAsyncLifetime
{
    private const string Workflow = """
        { "test_info": { "entrypoint": "Echo", "tests": [ { "name": "steady calls", "payload": "ping", "timeout": 30, "repeat": 10, "warmup": 2 } ] },
          "algorithms": [ { "name": "Echo", "language": "python3", "test_payload": "x" } ] }
        """;

    private static readonly RunIdentity Run = new() { At = DateTimeOffset.UnixEpoch, Commit = "e2e", Machine = MachineFingerprint.Current };
    // A 3 ms delay in every call makes the server's share of it large, so the factor shows end to end.
    private static readonly TimeSpan CallDelay = TimeSpan.FromMilliseconds(3);
    private readonly ExportScenario baseline = new() { CallDelay = CallDelay };
    private readonly List<ExportScenario> started = [];

    public Task InitializeAsync() => baseline.InitializeAsync();

    public Task DisposeAsync() => Task.WhenAll([baseline.DisposeAsync(), .. started.Select(scenario => scenario.DisposeAsync())]);

    [Fact]
    public async Task A_candidate_half_again_as_slow_is_judged_worse_and_every_pair_is_kept()
    {
        var measurement = await CompareAsync(new ExportScenario { CallDelay = CallDelay, Slowdown = 1.5 }, new ComparisonPolicy());

        measurement.Verdict.Should().Be(ComparisonVerdict.Worse, measurement.Sentence);
        measurement.Ratio.Should().BeInRange(1.2, 2.0, "the hook holds each call half as long again as the server took, queueing included");
        measurement.RatioLow.Should().BeGreaterThan(1);
        measurement.Pairs.Should().HaveCountGreaterThanOrEqualTo(5);
        measurement.Pairs.Should().OnlyContain(p => p.BaselineCalls >= 10 && p.CandidateCalls >= 10 && p.CandidateMedianMs > p.BaselineMedianMs);
        measurement.Pairs.Select(p => p.BaselineFirst).Distinct().Should().HaveCount(2, "each pair's order is drawn");
        measurement.Sentence.Should().StartWith("worse: ratio 1.");
    }

    [Fact]
    public async Task Two_instance_pairs_of_one_build_take_the_pairs_in_turn_and_are_not_judged_different()
    {
        var measurement = await CompareAsync(
            [(baseline, new ExportScenario { CallDelay = CallDelay }), (new ExportScenario { CallDelay = CallDelay }, new ExportScenario { CallDelay = CallDelay })],
            new ComparisonPolicy { Threshold = 0.25, InstanceSpread = ComparisonPolicy.EmbeddedTwinsSpread });

        measurement.Verdict.Should().NotBe(ComparisonVerdict.Worse, measurement.Sentence).And.NotBe(ComparisonVerdict.Better, measurement.Sentence);
        measurement.Ratio.Should().BeInRange(0.8, 1.25);
        measurement.Pairs.Select(p => p.Instance).Should().Equal(measurement.Pairs.Select((_, index) => (index + 1) % 2), "after the warm-up pair (instance pair 0) the pairs alternate, starting with instance pair 1");
        measurement.Sentence.Should().Contain("over 2 instance pairs");
    }

    private Task<ComparisonMeasurement> CompareAsync(ExportScenario candidate, ComparisonPolicy policy) => CompareAsync([(baseline, candidate)], policy);

    private async Task<ComparisonMeasurement> CompareAsync(IReadOnlyList<(ExportScenario Baseline, ExportScenario Candidate)> instances, ComparisonPolicy policy)
    {
        var pairs = new List<InstancePair>();
        Harness.Workflows.Workflow? workflow = null;
        foreach (var (baselineScenario, candidateScenario) in instances)
        {
            var sides = new List<ComparedSide>();
            foreach (var scenario in new[] { baselineScenario, candidateScenario })
            {
                if (scenario != baseline)
                {
                    started.Add(scenario);
                    await scenario.InitializeAsync();
                }

                scenario.Repository.WithTemplate("Echo");
                workflow = scenario.Workflow("echo", Workflow);
                var exported = await scenario.Export(workflow).ExportAsync("Echo", new ListLogger(), CancellationToken.None);
                sides.Add(new ComparedSide(new AlgorithmiaBenchmarkCalls(scenario.Target.Destination.Calls), exported));
            }

            pairs.Add(new InstancePair(sides[0], sides[1]));
        }

        var settings = new ComparisonSettings { Kind = TargetKind.Local, Policy = policy, Budget = new ComparisonBudget { WarmupPairs = 1, MaxDuration = TimeSpan.FromSeconds(30) } };
        return await new TestComparison(settings, baseline.Target.Redactor, TimeProvider.System, seed: 7)
            .RunAsync("echo", workflow!.TestInfo!.Tests[0], pairs, Run, CancellationToken.None);
    }
}
