using Microsoft.Extensions.Logging;
using TestBench.Harness.Algorithmia;
using Xunit.Abstractions;

namespace TestBench.Benchmarks;

/// <summary>Writes the harness's log lines to a case's test output, with every secret of the run redacted.</summary>
public sealed class TestOutputLogger(ITestOutputHelper output, SecretRedactor redactor) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            output.WriteLine(redactor.Redact($"[{DateTimeOffset.UtcNow:HH:mm:ss.fff}] {logLevel}: {formatter(state, exception)}"));
        }
        catch (InvalidOperationException)
        {
            // The case that started a shared export has finished; its output is closed. The line is dropped.
        }
    }
}
