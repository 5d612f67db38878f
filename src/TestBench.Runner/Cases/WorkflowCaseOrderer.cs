using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestBench.Runner.Cases;

/// <summary>
/// Runs generated cases grouped by workflow (in file-name order), then by target, and within those in file order:
/// exports in dependency order, then the tests. Other cases keep xUnit's order after them.
/// </summary>
public sealed class WorkflowCaseOrderer : ITestCaseOrderer
{
    /// <summary>The type name for <c>[TestCaseOrderer]</c>.</summary>
    public const string TypeName = "TestBench.Runner.Cases.WorkflowCaseOrderer";

    /// <summary>The assembly name for <c>[TestCaseOrderer]</c>.</summary>
    public const string AssemblyName = "TestBench.Runner";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases
            .Select(testCase => (testCase, key: (testCase as WorkflowTestCase)?.Case))
            .OrderBy(pair => pair.key is null)
            .ThenBy(pair => pair.key?.File, StringComparer.Ordinal)
            .ThenBy(pair => pair.key?.Target, StringComparer.Ordinal)
            .ThenBy(pair => pair.key?.Sequence)
            .Select(pair => pair.testCase);
}
