using System.Diagnostics;
using System.Net;
using FluentAssertions;
using TestBench.Harness.Tests.Builders;
using TestBench.LocalCluster.Hosting;
using TestBench.LocalCluster.Runtime;
using Xunit;

namespace TestBench.Harness.Tests.LocalCluster.Hosting;

/// <summary>The cluster as the benchmark starts it: its own process, from the executable beside this assembly.</summary>
public sealed class LocalClusterProcessTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("testbench-process-test-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public async Task StartAsync_WithCpus_TheServerRunsConfinedToThem()
    {
        var last = (Environment.ProcessorCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var cluster = await LocalClusterProcess.StartAsync(Path.Combine(data, "c"), ["testbench"], new RuntimeOptions(), CancellationToken.None, launch: new ServerLaunch { Cpus = last });

        var status = await File.ReadAllLinesAsync($"/proc/{cluster.ProcessId}/status");

        status.Should().Contain($"Cpus_allowed_list:\t{last}", "taskset ran the server itself, under its own process id");
    }

    [Fact]
    public async Task StartAsync_ServesWithTheAnnouncedKeyAndStopsWhenDisposed()
    {
        var cluster = await LocalClusterProcess.StartAsync(Path.Combine(data, "c"), ["testbench"], new RuntimeOptions { Slowdown = 1.5 }, CancellationToken.None);
        var processId = cluster.ProcessId;
        try
        {
            using var http = new HttpClient { BaseAddress = cluster.Address };
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/data/testbench") { Headers = { { "Authorization", $"Simple {cluster.UserKeys["testbench"]}" } } };
            using var response = await http.SendAsync(request);

            cluster.Address.IsLoopback.Should().BeTrue();
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            cluster.Build.Optimized.Should().BeTrue("the measured cluster is compiled optimized in every configuration");
            ProcessTable.IsAlive(processId).Should().BeTrue();
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        ProcessTable.IsAlive(processId).Should().BeFalse();
    }

    [Fact]
    public async Task StartAsync_UserEnvironmentsFile_AddsItsEnvironmentsToTheShippedOnes()
    {
        var file = Path.Combine(data, "mine.json");
        await File.WriteAllTextAsync(file, """
            [ { "id": "python39-mine", "environment_specification_id": "spec-mine", "display_name": "Python 3.9 (mine)", "language": "python3", "interpreter": "default" } ]
            """);
        await using var cluster = await LocalClusterProcess.StartAsync(Path.Combine(data, "c"), ["testbench"], new RuntimeOptions(), CancellationToken.None, file);
        using var http = new HttpClient { BaseAddress = cluster.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "webapi/v1/algorithm-environments/environments/current") { Headers = { { "Authorization", $"Simple {cluster.AdminKey}" } } };

        var listing = await (await http.SendAsync(request)).Content.ReadAsStringAsync();

        listing.Should().Contain("Python 3.9 (mine)").And.Contain("Python 3.7", "the shipped environments stay");
    }

    [Fact]
    public async Task StartAsync_ClusterThatCannotStart_SaysSoWithItsErrorOutput()
    {
        var file = Path.Combine(data, "not-a-folder");
        await File.WriteAllTextAsync(file, "");

        var start = () => LocalClusterProcess.StartAsync(file, ["testbench"], new RuntimeOptions(), CancellationToken.None);

        (await start.Should().ThrowAsync<InvalidOperationException>())
            .Which.Message.Should().StartWith("the embedded cluster exited with code").And.Contain("its last error output:");
    }

    [Fact]
    public async Task StopWithInput_TheStartingProcessGoesAway_ClusterStops()
    {
        // The cluster's input is a pipe held by this test; closing it once the cluster has announced itself is what
        // a killed test host's end of the pipe does. (A shell's "sleep 1 | cluster" raced a slow start on a busy machine.)
        var executable = Path.Combine(AppContext.BaseDirectory, "TestBench.LocalCluster");
        var info = new ProcessStartInfo(executable) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "cluster", "--data", Path.Combine(data, "c"), "--user", "testbench", "--announce", "json", "--stop-with-input", "--log-level", "warning" })
        {
            info.ArgumentList.Add(argument);
        }

        using var cluster = Process.Start(info)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var announcement = await cluster.StandardOutput.ReadLineAsync(deadline.Token);

        cluster.StandardInput.Close();
        await cluster.WaitForExitAsync(deadline.Token);

        ClusterAnnouncement.Parse(announcement!).Address.IsLoopback.Should().BeTrue();
        cluster.ExitCode.Should().Be(0, "the cluster stopped gracefully once its input closed");
    }
}
