using TestBench.Harness.Configuration;
using TestBench.Harness.Running;
using TestBench.Harness.Workflows;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TestBench.Runner.Cases;

/// <summary>
/// Turns <c>workflows/*.json</c> into xUnit cases (see <see cref="CasePlanner"/>). It never throws: a broken
/// workflow becomes its own failing case, and a problem with discovery itself becomes an error case that says
/// what went wrong, as xUnit's own discoverers do.
/// </summary>
public sealed class WorkflowCaseDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink diagnosticMessageSink;
    private readonly Func<string, string?> getEnvironmentVariable;
    private readonly string startDirectory;

    /// <summary>Called by xUnit.</summary>
    public WorkflowCaseDiscoverer(IMessageSink diagnosticMessageSink)
        : this(diagnosticMessageSink, EnvironmentVariables.Process, AppContext.BaseDirectory)
    {
    }

    /// <summary>For tests: a fake environment and a folder to look for the repository from.</summary>
    internal WorkflowCaseDiscoverer(IMessageSink diagnosticMessageSink, Func<string, string?> getEnvironmentVariable, string startDirectory)
    {
        this.diagnosticMessageSink = diagnosticMessageSink;
        this.getEnvironmentVariable = getEnvironmentVariable;
        this.startDirectory = startDirectory;
    }

    /// <summary>The environment variable the original tool used to pick one workflow.</summary>
    public const string WorkflowNameVariable = "WORKFLOW_NAME";

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        try
        {
            return DiscoverCases(discoveryOptions, testMethod);
        }
#pragma warning disable CA1031 // Discovery must never crash: any failure becomes a visible error case.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return [Error(discoveryOptions, testMethod, $"Workflow discovery failed: {e.Message}")];
        }
    }

    private List<IXunitTestCase> DiscoverCases(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod)
    {
        var layout = RepositoryLayout.Locate(startDirectory, getEnvironmentVariable);
        var onlyName = getEnvironmentVariable(WorkflowNameVariable);
        var files = WorkflowCatalog.Find(layout.WorkflowsDirectory, onlyName);
        if (files.Count == 0)
        {
            var narrowed = string.IsNullOrWhiteSpace(onlyName) ? "" : $" named '{onlyName}' ({WorkflowNameVariable})";
            return [Error(discoveryOptions, testMethod, $"No workflow files{narrowed} in {layout.WorkflowsDirectory}")];
        }

        var runSettings = RunSettingsParameters.Read(getEnvironmentVariable(RunSettingsParameters.Variable) ?? Path.Combine(layout.Root, ".runsettings"));
        var compared = ComparisonSettings.KindAsked(getEnvironmentVariable, runSettings);
        var targets = compared is { } kind ? [kind] : TargetKinds.Choose(getEnvironmentVariable, runSettings);
        var loader = new WorkflowLoader(layout.Root);
        var cases = files
            .Select(loader.Load)
            .SelectMany(loaded => targets.SelectMany(target =>
                (compared is null ? CasePlanner.Plan(loaded) : CasePlanner.PlanComparison(loaded, target.TraitValue()))
                    .Select(planned => new WorkflowCase(planned, target.TraitValue(), namedByTarget: targets.Count > 1))))
            .Select(workflowCase => (IXunitTestCase)new WorkflowTestCase(diagnosticMessageSink, discoveryOptions, testMethod, workflowCase))
            .ToList();

        // Validation makes (workflow, stage, subject) unique; should two cases still collide, xUnit would drop one silently.
        var duplicates = cases.GroupBy(c => c.UniqueID).Where(g => g.Count() > 1).Select(g => g.First().DisplayName).ToArray();
        if (duplicates.Length > 0)
        {
            cases.Add(Error(discoveryOptions, testMethod, $"Generated cases share an ID and would be dropped: {string.Join(", ", duplicates)}"));
        }

        return cases;
    }

    private ExecutionErrorTestCase Error(ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string message) =>
        new(diagnosticMessageSink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, message);
}
