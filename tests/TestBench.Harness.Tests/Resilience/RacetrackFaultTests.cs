using TestBench.Harness.Racetrack;

namespace TestBench.Harness.Tests.Resilience;

/// <summary>The faults of <see cref="PlatformFaultTests"/> met by the Racetrack client listing jobs.</summary>
public sealed class RacetrackFaultTests : PlatformFaultTests
{
    protected override string Platform => "Racetrack";

    protected override string Names => "racetrack target";

    protected override string Request => "GET /api/v1/job";

    protected override string MistypedReply => """[{"name": "adder", "version": 1, "status": "running"}]""";

    protected override string MistypedField => "[0].version";

    // Lifecycle's error shape ({"error", "type"}, lifecycle/server/api.py's exception handlers).
    protected override string ExpiredKeyReply => """{"error": "Unauthenticated: auth token has expired", "type": "UnauthorizedError"}""";

    protected override async Task CallAsync(Uri address)
    {
        using var client = new RacetrackClient(new RacetrackConnection(address, Secret), limits: Limits);
        await client.ListJobsAsync(CancellationToken.None);
    }
}
