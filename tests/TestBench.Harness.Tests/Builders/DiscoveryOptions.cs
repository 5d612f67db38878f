using Xunit.Abstractions;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Discovery options with xUnit's defaults (the runner-utility package that has them is not referenced).</summary>
public sealed class DiscoveryOptions : ITestFrameworkDiscoveryOptions
{
    private readonly Dictionary<string, object?> values = [];

    public TValue GetValue<TValue>(string name) =>
        values.TryGetValue(name, out var value) && value is TValue typed ? typed : default!;

    public void SetValue<TValue>(string name, TValue value) => values[name] = value;
}
