namespace TestBench.Harness.Workflows;

/// <summary>
/// Checks the rules that relate several fields of a workflow, or the workflow to the repository:
/// unique algorithm and test names, an entrypoint among the algorithms, and a template folder for every
/// algorithm that has no <c>code_path</c>.
/// </summary>
internal static class WorkflowValidator
{
    public static void Validate(Workflow workflow, string algorithmsDirectory, WorkflowErrorList errors)
    {
        ReportDuplicates(workflow.Algorithms.Select(a => a.Name), "$.algorithms", "name", "algorithm", errors);
        if (workflow.TestInfo is { } testInfo)
        {
            ReportDuplicates(testInfo.Tests.Select(t => t.Name), "$.test_info.tests", "name", "test", errors);
            if (workflow.Entrypoint is null)
            {
                errors.Add("$.test_info.entrypoint",
                    $"entrypoint '{testInfo.Entrypoint}' is not among the algorithms ({string.Join(", ", workflow.Algorithms.Select(a => a.Name))})");
            }
        }

        for (var index = 0; index < workflow.Algorithms.Count; index++)
        {
            var algorithm = workflow.Algorithms[index];
            // A template is an Algorithmia-style algorithm, or a folder that is a Racetrack job (job.yaml) or a Wallaroo
            // orchestration (main.py) already.
            var folder = Path.Combine(algorithmsDirectory, algorithm.Name);
            if (algorithm.CodePath is null && !File.Exists(TemplateSourceFile(algorithmsDirectory, algorithm.Name))
                && !Racetrack.JobFolder.IsJob(folder) && !Wallaroo.OrchestrationPackage.IsOrchestration(folder))
            {
                errors.Add($"$.algorithms[{index}]",
                    $"algorithm '{algorithm.Name}' has no code_path and its template "
                    + $"algorithms/{algorithm.Name}/src/{algorithm.Name}.py (or a Racetrack job's algorithms/{algorithm.Name}/job.yaml, or a Wallaroo orchestration's algorithms/{algorithm.Name}/main.py) does not exist");
            }
        }
    }

    /// <summary>The main source file of an algorithm template.</summary>
    public static string TemplateSourceFile(string algorithmsDirectory, string name) =>
        Path.Combine(algorithmsDirectory, name, "src", name + ".py");

    private static void ReportDuplicates(IEnumerable<string> names, string arrayPath, string field, string what, WorkflowErrorList errors)
    {
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var name in names)
        {
            if (!firstIndex.TryAdd(name, index))
            {
                errors.Add($"{arrayPath}[{index}].{field}",
                    $"duplicate {what} name '{name}' (first used at {arrayPath}[{firstIndex[name]}])");
            }

            index++;
        }
    }
}
