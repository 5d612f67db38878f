using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Keeps every log line, so tests can check what was reported (and that no secret was).</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => lines.ToArray();

    public string Text => string.Join('\n', lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        lines.Enqueue(formatter(state, exception));
}
