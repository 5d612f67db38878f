using TestBench.Harness.Wallaroo;

namespace TestBench.Harness.Tests.Resilience;

/// <summary>The faults of <see cref="PlatformFaultTests"/> met by the Wallaroo client listing a workspace's orchestrations.</summary>
public sealed class WallarooFaultTests : PlatformFaultTests
{
    protected override string Platform => "Wallaroo";

    protected override string Names => "wallaroo target";

    protected override string Request => "POST /v1/api/orchestration/list";

    protected override string MistypedReply => """[{"id": true, "sha": "5e1c", "name": "adder", "status": "ready"}]""";

    protected override string MistypedField => "[0].id";

    // The error shape the embedded Wallaroo answers (WallarooEndpoints.Error) with words of an expired token; what a real
    // gateway words is not asserted: the case is that the server's words reach the message, and that 401 is not retried.
    protected override string ExpiredKeyReply => """{"status": "error", "code": 401, "error": "Jwt is expired"}""";

    protected override async Task CallAsync(Uri address)
    {
        using var client = new WallarooClient(new WallarooConnection(address, Secret), limits: Limits);
        await client.OrchestrationsAsync(1, CancellationToken.None);
    }
}
