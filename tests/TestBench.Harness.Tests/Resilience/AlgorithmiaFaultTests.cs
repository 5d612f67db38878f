using TestBench.Harness.Algorithmia;

namespace TestBench.Harness.Tests.Resilience;

/// <summary>The faults of <see cref="PlatformFaultTests"/> met by the Algorithmia client reading the root data listing.</summary>
public sealed class AlgorithmiaFaultTests : PlatformFaultTests
{
    protected override string Platform => "Algorithmia";

    protected override string Names => "destination cluster";

    protected override string Request => "GET /v1/data/";

    protected override string MistypedReply => """{"folders": [{"name": 5}]}""";

    protected override string MistypedField => "folders[0].name";

    // The platform's error shape ({"error": {"id", "code", "message"}}, as the embedded cluster's ApiError answers a bad
    // key) with words of an expired key: the case is that the server's words reach the message, and that 401 is not retried.
    protected override string ExpiredKeyReply => """{"error": {"id": "0b7f", "code": 1000, "message": "authorization required: the API key has expired"}}""";

    protected override async Task CallAsync(Uri address)
    {
        using var client = new AlgorithmiaClient(new ClusterConnection("destination", address, Secret), limits: Limits);
        await client.Data.UsernameAsync(CancellationToken.None);
    }
}
