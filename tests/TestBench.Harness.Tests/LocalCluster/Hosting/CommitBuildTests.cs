using FluentAssertions;
using TestBench.Harness.Processes;
using TestBench.LocalCluster.Hosting;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary>
/// <see cref="CommitBuild"/> with real git and a real <c>dotnet build</c>, on a throw-away repository whose
/// <c>src/TestBench.LocalCluster</c> is a one-file program (the real servers take a minute to build; the path through
/// git, the build and the cache is the same).
/// </summary>
public sealed class CommitBuildTests : IDisposable
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
        </Project>
        """;

    private readonly string repository = Directory.CreateTempSubdirectory("testbench-commit-build-").FullName;
    private readonly List<string> commits = [];

    public void Dispose()
    {
        foreach (var commit in commits.Where(c => Directory.Exists(Path.Combine(CommitBuild.CacheDirectory, c))))
        {
            Directory.Delete(Path.Combine(CommitBuild.CacheDirectory, commit), recursive: true);
        }

        Directory.Delete(repository, recursive: true);
    }

    [Fact]
    public async Task A_commit_is_built_in_a_worktree_that_is_removed_and_its_build_is_kept_for_the_next_run()
    {
        await CommitAsync("System.Console.WriteLine(\"first\");", "first");
        var first = commits[^1];
        await CommitAsync("System.Console.WriteLine(\"second\");", "second");

        var built = await CommitBuild.BuildAsync(repository, "HEAD~1", "TESTBENCH_BASELINE_COMMIT", CancellationToken.None);
        var again = await CommitBuild.BuildAsync(repository, first, "TESTBENCH_BASELINE_COMMIT", CancellationToken.None);

        built.Commit.Should().Be(first, "HEAD~1 names the first commit");
        built.ToString().Should().Be($"HEAD~1 ({first[..10]})");
        var ran = await ExternalCommand.RunAsync(new CommandSpec { Program = built.Executable }, CancellationToken.None);
        ran.Output.Trim().Should().Be("first", "the build is of that commit's source, not the checkout's");
        again.Directory.Should().Be(built.Directory);
        File.GetLastWriteTimeUtc(again.Executable).Should().Be(File.GetLastWriteTimeUtc(built.Executable), "a commit built once is not built again");
        (await GitAsync("worktree", "list", "--porcelain")).Split('\n').Count(l => l.StartsWith("worktree ", StringComparison.Ordinal)).Should().Be(1, "the worktree is removed after the build");
        Directory.EnumerateDirectories(CommitBuild.CacheDirectory, first + ".building-*").Should().BeEmpty();
        built.Launch("1").Should().Be(new ServerLaunch { Cpus = "1", BuildDirectory = built.Directory });
    }

    [Fact]
    public async Task A_revision_that_names_no_commit_is_refused_naming_the_setting()
    {
        await CommitAsync("return;", "only");

        var build = () => CommitBuild.BuildAsync(repository, "no-such-branch", "TESTBENCH_CANDIDATE_COMMIT", CancellationToken.None);

        (await build.Should().ThrowAsync<InvalidOperationException>()).WithMessage($"TESTBENCH_CANDIDATE_COMMIT is 'no-such-branch', which names no commit of the repository at {repository}");
    }

    [Fact]
    public async Task A_commit_that_does_not_build_says_so_with_the_compilers_words_and_leaves_nothing_in_the_cache()
    {
        await CommitAsync("this is not C#", "broken");

        var build = () => CommitBuild.BuildAsync(repository, "HEAD", "TESTBENCH_CANDIDATE_COMMIT", CancellationToken.None);

        var thrown = await build.Should().ThrowAsync<InvalidOperationException>();
        thrown.WithMessage($"TESTBENCH_CANDIDATE_COMMIT is 'HEAD' ({commits[^1][..10]}); its embedded servers did not build: *error CS*");
        Directory.Exists(Path.Combine(CommitBuild.CacheDirectory, commits[^1])).Should().BeFalse();
        Directory.EnumerateDirectories(CommitBuild.CacheDirectory, commits[^1] + "*").Should().BeEmpty("the worktree and the half-built output are removed");
    }

    private async Task CommitAsync(string program, string message)
    {
        var project = Directory.CreateDirectory(Path.Combine(repository, "src", "TestBench.LocalCluster")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "TestBench.LocalCluster.csproj"), Project);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), program);
        if (commits.Count == 0)
        {
            await GitAsync("init", "--quiet", "--initial-branch", "main");
        }

        await GitAsync("add", "--all");
        await GitAsync("-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "--quiet", "-m", message);
        commits.Add((await GitAsync("rev-parse", "HEAD")).Trim());
    }

    private async Task<string> GitAsync(params string[] arguments)
    {
        var result = await ExternalCommand.RunAsync(new CommandSpec { Program = "git", Arguments = ["-C", repository, .. arguments] }, CancellationToken.None);
        result.Succeeded.Should().BeTrue(result.Combined);
        return result.Output;
    }
}
