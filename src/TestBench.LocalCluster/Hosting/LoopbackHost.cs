using System.Net;
using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.Hosting;

/// <summary>What every embedded server of this assembly shares at start: Kestrel on 127.0.0.1 only, quiet framework
/// logging, a body limit, and the loud warning when code would run unsandboxed.</summary>
internal static class LoopbackHost
{
    /// <summary>A slim web application builder listening on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    public static WebApplicationBuilder CreateBuilder(int port, LogLevel logLevel, long maxRequestBodyBytes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = maxRequestBodyBytes;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Says once per start what isolation algorithm code gets: the sandbox's probe on standard error, or — with no sandbox —
    /// a warning in the log, where it cannot be filtered out.
    /// </summary>
    public static void ReportIsolation(WebApplication app, SandboxChoice sandbox)
    {
        if (sandbox.Warning is { } warning)
        {
#pragma warning disable CA1848, CA2254 // Once per start, and the text is the point.
            app.Logger.LogWarning(warning);
#pragma warning restore CA1848, CA2254
        }
        else
        {
            Console.Error.WriteLine(sandbox.Describe());
        }
    }
}
