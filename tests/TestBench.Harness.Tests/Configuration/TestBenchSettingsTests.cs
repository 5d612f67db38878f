using FluentAssertions;
using TestBench.Harness.Configuration;
using TestBench.Harness.History;
using TestBench.Harness.Tests.Builders;
using TestBench.Harness.Workflows;
using Xunit;

namespace TestBench.Harness.Tests.Configuration;

public sealed class TestBenchSettingsTests : IDisposable
{
    private readonly TempRepository repository = new();
    private readonly Dictionary<string, string> environment = [];
    private readonly Dictionary<string, string> runSettings = [];

    public void Dispose() => repository.Dispose();

    [Fact]
    public void From_NothingConfigured_IsLocalWithDefaults()
    {
        var settings = CreateSut();

        settings.Targets.Should().Equal(TargetKind.Local, TargetKind.Racetrack, TargetKind.Wallaroo);
        settings.Destination.Should().BeNull();
        settings.Racetrack.Should().BeNull("the embedded Racetrack is used");
        settings.Wallaroo.Should().BeNull("the embedded Wallaroo is used");
        settings.KeepExports.Should().BeFalse();
        settings.BuildTimeout.Should().Be(TimeSpan.FromMinutes(10));
        settings.LocalCallDelay.Should().Be(TimeSpan.Zero);
        settings.LocalSlowdown.Should().Be(1);
        settings.TrialBudget.Should().Be(TimeSpan.FromSeconds(30));
        settings.StrictRatchet.Should().BeFalse();
        settings.ResultsDirectory.Should().Be(Path.Combine(repository.Root, "TestResults"));
    }

    [Fact]
    public void From_NoStoreNamed_KeepsHistoryInASqliteFileBesideTheResults()
    {
        CreateSut().Store.Should().Be(StoreLocation.SqliteFile(Path.Combine(repository.Root, "TestResults", "history", "testbench.db")));
    }

    [Fact]
    public void From_StoreFile_IsReadAgainstTheRepositoryRoot()
    {
        runSettings["StoreFile"] = "shared/history.db";

        CreateSut().Store.Should().Be(StoreLocation.SqliteFile(Path.Combine(repository.Root, "shared", "history.db")));
    }

    [Fact]
    public void From_StoreConnection_NamesThePostgreSqlStoreAndItsPasswordIsASecret()
    {
        environment["TESTBENCH_STORE_FILE"] = "ignored.db";
        environment["TESTBENCH_STORE_CONNECTION"] = "Host=db.example.test;Database=testbench;Username=agent;Password=s3cret-pw";

        var settings = CreateSut();

        settings.Store!.Describe().Should().Be("PostgreSQL database testbench on db.example.test:5432");
        settings.Store.ToString().Should().NotContain("s3cret-pw");
        settings.Secrets.Should().Contain("s3cret-pw");
    }

    [Theory]
    [InlineData("Host=db.example.test;Password=s3cret-pw", "names no Host or no Database")]
    [InlineData("not a connection string; Password=s3cret-pw", "not an Npgsql connection string")]
    public void From_StoreConnectionThatIsNone_IsASettingsErrorNamingTheVariableWithoutItsText(string connection, string reason)
    {
        environment["TESTBENCH_STORE_CONNECTION"] = connection;

        var create = CreateSut;

        create.Should().Throw<ArgumentException>().Which.Message.Should().Contain("TESTBENCH_STORE_CONNECTION").And.Contain(reason).And.NotContain("s3cret-pw");
    }

    [Fact]
    public void From_OriginalToolVariables_ConfigureBothClusters()
    {
        environment["FQDN"] = "cluster.example.test";
        environment["API_KEY"] = "simDESTINATIONKEY0000000000";
        environment["RATCHET_API_KEY"] = "simSOURCEKEY000000000000000";

        var settings = CreateSut();

        settings.Targets.Should().Equal(TargetKind.Algorithmia);
        settings.Destination!.Address.Should().Be(new Uri("https://api.cluster.example.test"));
        settings.Destination.ApiKey.Should().Be("simDESTINATIONKEY0000000000");
        settings.Source!.Address.Should().Be(Workflow.DefaultSourceClusterAddress);
        settings.Source.ToString().Should().NotContain("SOURCEKEY");
    }

    [Fact]
    public void From_EnvironmentVariable_WinsOverRunSettings()
    {
        runSettings["KeepExports"] = "true";
        runSettings["BuildTimeoutMinutes"] = "3";
        runSettings["LocalCallDelayMs"] = "5";
        environment["KEEP_EXPORTS"] = "false";
        environment["TESTBENCH_LOCAL_CALL_DELAY_MS"] = "40";

        var settings = CreateSut();

        settings.KeepExports.Should().BeFalse();
        settings.BuildTimeout.Should().Be(TimeSpan.FromMinutes(3));
        settings.LocalCallDelay.Should().Be(TimeSpan.FromMilliseconds(40));
    }

    [Fact]
    public void From_VerdictSettings_AreRead()
    {
        runSettings["RatchetStrictness"] = "strict";
        runSettings["TrialBudgetSeconds"] = "12";
        environment["TESTBENCH_LOCAL_SLOWDOWN"] = "1.2";

        var settings = CreateSut();

        settings.StrictRatchet.Should().BeTrue();
        settings.TrialBudget.Should().Be(TimeSpan.FromSeconds(12));
        settings.LocalSlowdown.Should().Be(1.2);
    }

    [Fact]
    public void From_BadVerdictSettings_NameTheVariableAndTheAllowedValues()
    {
        runSettings["RatchetStrictness"] = "paranoid";
        environment["TESTBENCH_LOCAL_SLOWDOWN"] = "0.5";
        environment["TESTBENCH_TRIAL_BUDGET_SECONDS"] = "0";

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("TESTBENCH_RATCHET_STRICTNESS / .runsettings RatchetStrictness is 'paranoid'; use default (a regression on a noisy machine is inconclusive) or strict (it fails)")
            .And.Contain("TESTBENCH_LOCAL_SLOWDOWN / .runsettings LocalSlowdown is '0.5'; use a factor 1..10 such as 1.1 (10 % slower)")
            .And.Contain("TESTBENCH_TRIAL_BUDGET_SECONDS / .runsettings TrialBudgetSeconds is '0'");
    }

    [Fact]
    public void SourceFor_WorkflowWithItsOwnSourceAddress_UsesItUnlessSourceApiAddressIsSet()
    {
        environment["FQDN"] = "cluster.example.test";
        environment["API_KEY"] = "simDESTINATIONKEY0000000000";
        environment["RATCHET_API_KEY"] = "simSOURCEKEY000000000000000";
        var workflow = new WorkflowLoader(repository.Root).LoadValid(repository.WithWorkflow("sourced", """
            { "source_info": { "cluster_address": "https://api.source.example.test" },
              "algorithms": [ { "name": "Packed", "code_path": "data://.my/artifacts/packed.tar.gz", "language": "python3", "test_payload": 1 } ] }
            """));

        var fromWorkflow = CreateSut().SourceFor(workflow);
        environment["SOURCE_API_ADDRESS"] = "https://api.given.example.test";
        var fromVariable = CreateSut().SourceFor(workflow);

        fromWorkflow!.Address.Should().Be(new Uri("https://api.source.example.test"));
        fromWorkflow.ApiKey.Should().Be("simSOURCEKEY000000000000000");
        fromVariable!.Address.Should().Be(new Uri("https://api.given.example.test"));
    }

    [Fact]
    public void From_RequireBenchmarksAndTarget_AreReadAndChecked()
    {
        runSettings["RequireBenchmarks"] = "true";
        runSettings["Target"] = "local";
        environment["FQDN"] = "cluster.example.test";

        var settings = CreateSut();
        environment["TESTBENCH_REQUIRE_BENCHMARKS"] = "yes";
        environment["TESTBENCH_TARGET"] = "wallaroo-ish";
        var act = CreateSut;

        settings.RequireBenchmarks.Should().BeTrue();
        settings.Targets.Should().Equal([TargetKind.Local], ".runsettings Target=local wins over FQDN");
        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("TESTBENCH_REQUIRE_BENCHMARKS / .runsettings RequireBenchmarks is 'yes'; use true or false")
            .And.Contain("TESTBENCH_TARGET names 'wallaroo-ish'");
    }

    [Fact]
    public void From_RacetrackVariables_NameARealRacetrack_AndItsTokenIsASecret()
    {
        environment["RACETRACK_LIFECYCLE_URL"] = "https://racetrack.example.test/lifecycle";
        environment["RACETRACK_AUTH_TOKEN"] = "eyJhbGciOiJIUzI1NiJ9.token";

        var settings = CreateSut();

        settings.Targets.Should().Equal([TargetKind.Racetrack], "a configured Racetrack is the only configured destination");
        settings.Racetrack!.LifecycleAddress.Should().Be(new Uri("https://racetrack.example.test/lifecycle/"));
        settings.Racetrack.Pub.Should().BeNull("Pub's address comes from Lifecycle's /api/v1/info unless RACETRACK_PUB_URL names it");
        settings.Racetrack.ToString().Should().NotContain("token");
        settings.Secrets.Should().Contain("eyJhbGciOiJIUzI1NiJ9.token");
    }

    [Fact]
    public void From_RacetrackWithoutToken_OrWithABadAddress_NamesTheVariables()
    {
        environment["RACETRACK_LIFECYCLE_URL"] = "racetrack.example.test";
        environment["RACETRACK_PUB_URL"] = "ftp://racetrack.example.test/pub";

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("RACETRACK_LIFECYCLE_URL is 'racetrack.example.test'; it must be an http(s) address")
            .And.Contain("RACETRACK_PUB_URL is 'ftp://racetrack.example.test/pub'")
            .And.Contain("RACETRACK_AUTH_TOKEN is not set");
    }

    [Fact]
    public void From_WallarooVariables_NameARealWallaroo_AndItsTokenIsASecret()
    {
        environment["WALLAROO_API_URL"] = "https://example.api.wallaroo.test";
        environment["WALLAROO_TOKEN"] = "eyJhbGciOiJSUzI1NiJ9.wallaroo";
        environment["WALLAROO_WORKSPACE_ID"] = "42";

        var settings = CreateSut();

        settings.Targets.Should().Equal([TargetKind.Wallaroo], "a configured Wallaroo is the only configured destination");
        settings.Wallaroo!.ApiAddress.Should().Be(new Uri("https://example.api.wallaroo.test/"));
        settings.Wallaroo.WorkspaceId.Should().Be(42);
        settings.Wallaroo.ToString().Should().Be("Wallaroo at https://example.api.wallaroo.test/");
        settings.Secrets.Should().Contain("eyJhbGciOiJSUzI1NiJ9.wallaroo");
    }

    [Theory]
    [InlineData("example.api.wallaroo.test", null, "x", "WALLAROO_API_URL is 'example.api.wallaroo.test'; it must be an http(s) address")]
    [InlineData("https://example.api.wallaroo.test", null, "1", "WALLAROO_TOKEN is not set")]
    [InlineData("https://example.api.wallaroo.test", "t", null, "WALLAROO_WORKSPACE_ID is ''; the Wallaroo at WALLAROO_API_URL needs the id of the workspace")]
    [InlineData("https://example.api.wallaroo.test", "t", "0", "WALLAROO_WORKSPACE_ID is '0'")]
    [InlineData("https://example.api.wallaroo.test", "t", "ws-1", "WALLAROO_WORKSPACE_ID is 'ws-1'")]
    public void From_WallarooBadOrMissingVariables_NameTheVariable(string url, string? token, string? workspace, string message)
    {
        environment["WALLAROO_API_URL"] = url;
        if (token is not null)
        {
            environment["WALLAROO_TOKEN"] = token;
        }

        if (workspace is not null)
        {
            environment["WALLAROO_WORKSPACE_ID"] = workspace;
        }

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain(message).And.NotContain(token is null ? "WALLAROO_TOKEN is set" : $"'{token}'");
    }

    [Fact]
    public void From_AdminUserAndPassword_AreTheAdminCredentials()
    {
        environment["ADMIN_API_USERNAME"] = "admin";
        environment["ADMIN_API_PASSWORD"] = "secret-password";

        var settings = CreateSut();

        settings.AdminUser.Should().Be("admin");
        settings.AdminApiKey.Should().Be("secret-password");
        settings.Secrets.Should().Contain("secret-password");
    }

    [Fact]
    public void From_SeveralProblems_NamesEveryVariable()
    {
        environment["DESTINATION_API_ADDRESS"] = "ftp://nope";
        environment["KEEP_EXPORTS"] = "maybe";
        environment["ADMIN_API_USERNAME"] = "admin";
        runSettings["BuildTimeoutMinutes"] = "0";
        environment["TESTBENCH_LOCAL_CALL_DELAY_MS"] = "-1";

        var act = CreateSut;

        act.Should().Throw<ArgumentException>().Which.Message.Should()
            .StartWith("TestBenchSettings are invalid: ")
            .And.Contain("KEEP_EXPORTS / .runsettings KeepExports is 'maybe'")
            .And.Contain("BUILD_TIMEOUT_MINUTES / .runsettings BuildTimeoutMinutes is '0'")
            .And.Contain("TESTBENCH_LOCAL_CALL_DELAY_MS / .runsettings LocalCallDelayMs is '-1'")
            .And.Contain("ADMIN_API_USERNAME is set without ADMIN_API_PASSWORD")
            .And.Contain("DESTINATION_API_ADDRESS (or FQDN) is 'ftp://nope'")
            .And.Contain("DESTINATION_API_KEY (or API_KEY) is not set")
            .And.Contain("SOURCE_API_KEY (or RATCHET_API_KEY) is not set");
    }

    [Fact]
    public void RunSettings_RepositoryFile_GivesItsParameters()
    {
        var path = Path.Combine(repository.Root, ".runsettings");
        File.WriteAllText(path, """<RunSettings><TestRunParameters><Parameter name="KeepExports" value="true" /></TestRunParameters></RunSettings>""");

        RunSettingsParameters.Read(path).Should().Contain("KeepExports", "true");
        RunSettingsParameters.Read(Path.Combine(repository.Root, "missing")).Should().BeEmpty();
    }

    private TestBenchSettings CreateSut() =>
        TestBenchSettings.From(environment.GetValueOrDefault, runSettings, new RepositoryLayout { Root = repository.Root }, Workflow.DefaultSourceClusterAddress);
}
