using System.Text.Json;
using FluentAssertions;
using TestBench.LocalCluster.Racetrack;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Racetrack;

public sealed class JobManifestTests
{
    [Fact]
    public void Parse_FullManifest_ReadsEveryFieldTheJobTypeUses()
    {
        var manifest = JobManifest.Parse(Json("""
            { "name": "adder", "owner_email": "a@b.c", "jobtype": "python3:2.15.1", "git": { "remote": "https://x/y.git" }, "version": "1.2.3",
              "jobtype_extra": { "entrypoint_path": "job/entry.py", "entrypoint_class": "Adder", "requirements_path": "requirements.txt",
                                 "max_concurrency": "2", "max_concurrency_queue": 5 },
              "runtime_env": { "MODE": "fast" } }
            """));

        manifest.Should().BeEquivalentTo(new
        {
            Name = "adder", Version = "1.2.3", EntrypointPath = "job/entry.py", EntrypointClass = "Adder", RequirementsPath = "requirements.txt",
            MaxConcurrency = 2, MaxConcurrencyQueue = 5,
        });
        manifest.RuntimeEnvironment.Should().Equal(new Dictionary<string, string> { ["MODE"] = "fast" });
    }

    [Fact]
    public void Parse_NoVersion_IsTheDefault001()
    {
        JobManifest.Parse(Json("""{ "name": "a", "owner_email": "a@b.c", "jobtype": "python3:latest", "jobtype_extra": { "entrypoint_path": "e.py" } }"""))
            .Version.Should().Be("0.0.1");
    }

    [Fact]
    public void Parse_EveryProblem_IsNamedWithItsField()
    {
        var act = () => JobManifest.Parse(Json("""
            { "name": "Bad_Name", "owner_email": "nobody", "jobtype": "golang:latest", "version": "one", "extra": 1,
              "jobtype_extra": { "entrypoint_path": "../escape.py", "max_concurrency": "many" }, "runtime_env": { "N": 1 } }
            """));

        act.Should().Throw<FormatException>().Which.Message.Should()
            .Contain("manifest.extra is not a job.yaml field")
            .And.Contain("manifest.name 'Bad_Name' must be lower-case")
            .And.Contain("manifest.owner_email 'nobody' is not an e-mail address")
            .And.Contain("manifest.jobtype 'golang:latest' is not supported here")
            .And.Contain("manifest.version 'one' is not a semantic version")
            .And.Contain("path '../escape.py' must stay inside the job folder")
            .And.Contain("manifest.jobtype_extra.max_concurrency must be a whole number")
            .And.Contain("manifest.runtime_env must map names to strings");
    }

    [Fact]
    public void Parse_NoJobTypeExtra_SaysEntrypointPathIsNeeded()
    {
        var act = () => JobManifest.Parse(Json("""{ "name": "a", "owner_email": "a@b.c", "jobtype": "python3:latest" }"""));

        act.Should().Throw<FormatException>().WithMessage("*manifest.jobtype_extra is required*entrypoint_path*");
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
