using FluentAssertions;
using TestBench.Harness.Configuration;
using TestBench.Harness.Judging.Comparison;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Configuration;

public sealed class ComparisonSettingsTests : IDisposable
{
    private readonly TempRepository repository = new();
    private readonly Dictionary<string, string> environment = [];
    private readonly Dictionary<string, string> runSettings = [];

    public void Dispose() => repository.Dispose();

    [Fact]
    public void Without_TESTBENCH_COMPARE_the_run_is_no_comparison()
    {
        CreateSut().Comparison.Should().BeNull();
    }

    [Fact]
    public void Two_embedded_sides_with_the_defaults_run_on_their_kind_only()
    {
        environment["TESTBENCH_COMPARE"] = "Racetrack";

        var settings = CreateSut();

        settings.Targets.Should().Equal(TargetKind.Racetrack);
        var comparison = settings.Comparison!;
        comparison.Kind.Should().Be(TargetKind.Racetrack);
        comparison.CandidateConfigured.Should().BeFalse();
        (comparison.CandidateSlowdown, comparison.WorseIsWarning).Should().Be((1.0, false));
        (comparison.Policy.Threshold, comparison.Policy.Alpha).Should().Be((0.05, 0.01));
        comparison.Policy.InstanceSpread.Should().Be(ComparisonPolicy.EmbeddedTwinsSpread, "two embedded twins differ by instance alone");
        comparison.Instances.Should().Be(ComparisonSettings.EmbeddedTwinsInstances, "each embedded side is started more than once, so the instances' offsets average out");
        comparison.Budget.MaxDuration.Should().Be(TimeSpan.FromMinutes(2));
        comparison.ServerCpus.Should().Be(ComparisonSettings.UpperHalf(Environment.ProcessorCount), "both sides' servers share the upper half of the CPUs");
        settings.ServerCpus.Should().Be(comparison.ServerCpus);
    }

    [Theory]
    [InlineData(1, "0")]
    [InlineData(2, "1")]
    [InlineData(3, "1-2")]
    [InlineData(4, "2-3")]
    [InlineData(16, "8-15")]
    public void Embedded_sides_share_the_upper_half_of_the_CPUs_and_leave_the_rest_to_the_harness(int processors, string expected)
    {
        ComparisonSettings.UpperHalf(processors).Should().Be(expected);
    }

    [Fact]
    public void An_embedded_candidate_is_shaped_by_a_slowdown_and_the_policy_by_the_run_settings()
    {
        runSettings["Compare"] = "local";
        runSettings["CandidateSlowdown"] = "1.1";
        runSettings["CompareThreshold"] = "0.1";
        runSettings["CompareAlpha"] = "0.05";
        runSettings["CompareBudgetSeconds"] = "300";
        runSettings["CompareWorse"] = "warn";
        runSettings["CompareInstanceSpread"] = "0";
        runSettings["CompareInstances"] = "3";

        var comparison = CreateSut().Comparison!;

        comparison.Instances.Should().Be(3);
        (comparison.CandidateSlowdown, comparison.WorseIsWarning).Should().Be((1.1, true));
        (comparison.Policy.Threshold, comparison.Policy.Alpha, comparison.Policy.InstanceSpread).Should().Be((0.1, 0.05, 0.0));
        comparison.Budget.MaxDuration.Should().Be(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Each_embedded_side_can_run_servers_built_from_a_commit_named_by_its_own_variable()
    {
        environment["TESTBENCH_COMPARE"] = "wallaroo";
        environment["TESTBENCH_BASELINE_COMMIT"] = "main";
        runSettings["CandidateCommit"] = "HEAD~1";

        var settings = CreateSut();

        (settings.Comparison!.BaselineCommit, settings.Comparison.CandidateCommit).Should().Be(("main", "HEAD~1"));
        settings.ServersCommit.Should().Be(new CommitSetting("main", "TESTBENCH_BASELINE_COMMIT"), "the run's own targets are the baseline");
        settings.CandidateSide().ServersCommit.Should().Be(new CommitSetting("HEAD~1", "TESTBENCH_CANDIDATE_COMMIT"));
        settings.Comparison.CandidateCleanupCommand("hello_world").Should().BeNull("an embedded candidate's exports go with its servers");
    }

    [Fact]
    public void Two_real_racetracks_are_read_from_the_usual_variables_and_their_candidate_twins_and_both_tokens_are_secrets()
    {
        environment["TESTBENCH_COMPARE"] = "racetrack";
        environment["RACETRACK_LIFECYCLE_URL"] = "https://prod.example.test/lifecycle";
        environment["RACETRACK_AUTH_TOKEN"] = "rt-prod";
        environment["CANDIDATE_RACETRACK_LIFECYCLE_URL"] = "https://next.example.test/lifecycle";
        environment["CANDIDATE_RACETRACK_AUTH_TOKEN"] = "rt-next";

        var settings = CreateSut();

        settings.Racetrack!.LifecycleAddress.Should().Be(new Uri("https://prod.example.test/lifecycle/"));
        settings.Comparison!.CandidateRacetrack!.LifecycleAddress.Should().Be(new Uri("https://next.example.test/lifecycle/"));
        settings.Secrets.Should().Contain(["rt-prod", "rt-next"]);
        settings.ServerCpus.Should().BeNull("configured clusters run where they run");
        settings.Comparison.Policy.InstanceSpread.Should().Be(0, "between two real clusters the instance difference is the answer");
        settings.Comparison.Instances.Should().Be(1, "a configured cluster is one instance");
        settings.Comparison.CandidateCleanupCommand("hello_world").Should().Be(
            "env -u TESTBENCH_COMPARE RUN_CLEANUP=true RACETRACK_LIFECYCLE_URL=\"$CANDIDATE_RACETRACK_LIFECYCLE_URL\" RACETRACK_AUTH_TOKEN=\"$CANDIDATE_RACETRACK_AUTH_TOKEN\" RACETRACK_PUB_URL=\"$CANDIDATE_RACETRACK_PUB_URL\" "
            + "dotnet test tests/TestBench.Benchmarks --settings .runsettings --filter \"Workflow=hello_world&Stage=Cleanup&Target=racetrack\"",
            "the candidate's exports are deleted by the clean-up case run against the candidate alone; its token stays in the shell");
    }

    [Theory]
    [InlineData("racetrack", "CANDIDATE_WALLAROO_API_URL", "https://w.example.test", "TESTBENCH_COMPARE is racetrack but CANDIDATE_WALLAROO_API_URL names a wallaroo candidate; both sides must be one platform kind")]
    [InlineData("wallaroo", "CANDIDATE_WALLAROO_API_URL", "https://w.example.test", "CANDIDATE_WALLAROO_TOKEN is not set")]
    [InlineData("boat", "X", "y", "TESTBENCH_COMPARE / .runsettings Compare is 'boat'; use local, algorithmia, racetrack or wallaroo")]
    [InlineData("local", "CANDIDATE_DESTINATION_API_ADDRESS", "https://c.example.test", "TESTBENCH_COMPARE is local, which compares two embedded clusters; to compare two real Algorithmia-style clusters use TESTBENCH_COMPARE=algorithmia")]
    [InlineData("local", "TESTBENCH_COMPARE_THRESHOLD", "5", "TESTBENCH_COMPARE_THRESHOLD / .runsettings CompareThreshold is '5'; use a fraction above 0 and below 0.5")]
    [InlineData("local", "TESTBENCH_COMPARE_INSTANCE_SPREAD", "-0.1", "TESTBENCH_COMPARE_INSTANCE_SPREAD / .runsettings CompareInstanceSpread is '-0.1'; use a fraction above 0 and below 0.5")]
    [InlineData("local", "TESTBENCH_COMPARE_INSTANCES", "5", "TESTBENCH_COMPARE_INSTANCES / .runsettings CompareInstances is '5'; use 1..4")]
    [InlineData("local", "TESTBENCH_COMPARE_INSTANCES", "two", "TESTBENCH_COMPARE_INSTANCES / .runsettings CompareInstances is 'two'; use 1..4")]
    [InlineData("local", "TESTBENCH_COMPARE_CPUS", "1; rm -rf /", "TESTBENCH_COMPARE_CPUS / .runsettings CompareCpus is '1; rm -rf /'")]
    [InlineData("local", "TESTBENCH_COMPARE_WORSE", "ignore", "TESTBENCH_COMPARE_WORSE / .runsettings CompareWorse is 'ignore'")]
    [InlineData("local", "TESTBENCH_CANDIDATE_SLOWDOWN", "0.5", "TESTBENCH_CANDIDATE_SLOWDOWN / .runsettings CandidateSlowdown is '0.5'; use a factor 1..10")]
    [InlineData("local", "TESTBENCH_CANDIDATE_COMMIT", "--upload-pack=evil", "TESTBENCH_CANDIDATE_COMMIT / .runsettings CandidateCommit is '--upload-pack=evil'; name a commit, branch or tag")]
    [InlineData("local", "TESTBENCH_BASELINE_COMMIT", "main..HEAD", "TESTBENCH_BASELINE_COMMIT / .runsettings BaselineCommit is 'main..HEAD'")]
    [InlineData("algorithmia", "TESTBENCH_BASELINE_COMMIT", "main", "TESTBENCH_BASELINE_COMMIT / .runsettings BaselineCommit builds an embedded side from a commit; this comparison's sides are configured clusters")]
    [InlineData("local", "TESTBENCH_TARGETS", "wallaroo", "TESTBENCH_COMPARE is local but TESTBENCH_TARGETS (or .runsettings Targets) is 'wallaroo'")]
    public void A_comparison_that_cannot_be_made_is_a_settings_error_naming_the_variables(string kind, string variable, string value, string expected)
    {
        environment["TESTBENCH_COMPARE"] = kind;
        environment[variable] = value;

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void A_real_baseline_without_a_candidate_is_one_side_missing()
    {
        environment["TESTBENCH_COMPARE"] = "racetrack";
        environment["RACETRACK_LIFECYCLE_URL"] = "https://prod.example.test/lifecycle";
        environment["RACETRACK_AUTH_TOKEN"] = "rt-prod";

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain(
            "RACETRACK_LIFECYCLE_URL names a real baseline but CANDIDATE_RACETRACK_LIFECYCLE_URL names no candidate; configure both sides, or neither to compare two embedded ones");
    }

    [Fact]
    public void The_same_cluster_on_both_sides_is_refused()
    {
        environment["TESTBENCH_COMPARE"] = "algorithmia";
        environment["DESTINATION_API_ADDRESS"] = "https://api.example.test";
        environment["DESTINATION_API_KEY"] = "simA";
        environment["SOURCE_API_KEY"] = "simS";
        environment["CANDIDATE_DESTINATION_API_ADDRESS"] = "https://API.example.test/";
        environment["CANDIDATE_DESTINATION_API_KEY"] = "simB";

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("DESTINATION_API_ADDRESS and CANDIDATE_DESTINATION_API_ADDRESS both name https://api.example.test/; a comparison needs two different clusters");
    }

    [Fact]
    public void An_embedded_candidates_shape_with_a_configured_candidate_is_refused()
    {
        CompareTwoRealWallaroos();
        environment["TESTBENCH_CANDIDATE_SLOWDOWN"] = "1.2";

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("TESTBENCH_CANDIDATE_SLOWDOWN shapes an embedded candidate; the candidate here is a configured cluster");
    }

    [Fact]
    public void More_than_one_instance_pair_of_configured_clusters_is_refused()
    {
        CompareTwoRealWallaroos();
        runSettings["CompareInstances"] = "2";

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("TESTBENCH_COMPARE_INSTANCES / .runsettings CompareInstances is 2, but the sides are configured clusters, which are one instance pair");
    }

    private void CompareTwoRealWallaroos()
    {
        environment["TESTBENCH_COMPARE"] = "wallaroo";
        environment["WALLAROO_API_URL"] = "https://a.example.test";
        environment["WALLAROO_TOKEN"] = "wl-a";
        environment["WALLAROO_WORKSPACE_ID"] = "1";
        environment["CANDIDATE_WALLAROO_API_URL"] = "https://b.example.test";
        environment["CANDIDATE_WALLAROO_TOKEN"] = "wl-b";
        environment["CANDIDATE_WALLAROO_WORKSPACE_ID"] = "2";
    }

    private TestBenchSettings CreateSut() =>
        TestBenchSettings.From(environment.GetValueOrDefault, runSettings, new RepositoryLayout { Root = repository.Root }, Workflow.DefaultSourceClusterAddress);
}
