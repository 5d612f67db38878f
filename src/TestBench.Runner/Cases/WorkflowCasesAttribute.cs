using Xunit;
using Xunit.Sdk;

namespace TestBench.Runner.Cases;

/// <summary>
/// Marks the method that runs generated workflow cases. The method takes one <see cref="WorkflowCase"/>;
/// <see cref="WorkflowCaseDiscoverer"/> creates a case per algorithm export and per test entry.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer("TestBench.Runner.Cases.WorkflowCaseDiscoverer", "TestBench.Runner")]
public sealed class WorkflowCasesAttribute : FactAttribute
{
}
