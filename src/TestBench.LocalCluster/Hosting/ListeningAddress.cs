using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace TestBench.LocalCluster.Hosting;

/// <summary>Where a started app listens (port 0 means Kestrel chose one), as a base address ending in '/'.</summary>
internal static class ListeningAddress
{
    public static Uri Of(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/') + "/");
}
