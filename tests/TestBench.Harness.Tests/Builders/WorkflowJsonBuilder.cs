using System.Text.Json.Nodes;

namespace TestBench.Harness.Tests.Builders;

/// <summary>Builds workflow JSON in the original tool's schema: <c>new WorkflowJsonBuilder().WithAlgorithm("X").Build()</c>.</summary>
public sealed class WorkflowJsonBuilder
{
    private readonly JsonArray algorithms = [];
    private readonly JsonArray tests = [];
    private string? entrypoint;
    private bool? runOnly;

    public WorkflowJsonBuilder WithAlgorithm(string name, JsonNode? testPayload = null, params string[] dataFiles)
    {
        algorithms.Add(new JsonObject
        {
            ["name"] = name,
            ["language"] = "python3",
            ["data_files"] = new JsonArray(dataFiles.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            ["test_payload"] = testPayload ?? JsonValue.Create("Algorithmia"),
        });
        return this;
    }

    public WorkflowJsonBuilder WithEntrypoint(string name)
    {
        entrypoint = name;
        return this;
    }

    public WorkflowJsonBuilder WithTest(string name, JsonNode? payload = null, int? timeout = null)
    {
        var test = new JsonObject { ["name"] = name, ["payload"] = payload ?? JsonValue.Create("Algorithmia") };
        if (timeout is not null)
        {
            test["timeout"] = timeout;
        }

        tests.Add(test);
        return this;
    }

    public WorkflowJsonBuilder WithRunOnly(bool value = true)
    {
        runOnly = value;
        return this;
    }

    public string Build()
    {
        var root = new JsonObject();
        if (entrypoint is not null || tests.Count > 0)
        {
            root["test_info"] = new JsonObject { ["entrypoint"] = entrypoint, ["tests"] = tests.DeepClone() };
        }

        root["algorithms"] = algorithms.DeepClone();
        if (runOnly is not null)
        {
            root["run_only"] = runOnly;
        }

        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
