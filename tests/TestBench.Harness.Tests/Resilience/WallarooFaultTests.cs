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

    // The API's error shape ({"status", "code", "error"}) with the words of an expired session token.
    protected override string ExpiredKeyReply => """{"status": "error", "code": 401, "error": "Jwt is expired"}""";

    protected override async Task CallAsync(Uri address)
    {
        using var client = new WallarooClient(new WallarooConnection(address, Secret), limits: Limits);
        await client.OrchestrationsAsync(1, CancellationToken.None);
    }
}
