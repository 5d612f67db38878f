using Microsoft.Extensions.Logging;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Hands one <see cref="ListLogger"/> to every category, so a test reads everything a server logged.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ListLogger Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void Dispose()
    {
    }
}
