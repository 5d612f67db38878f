using System.Text.Json;
using System.Text.Json.Nodes;

namespace TestBench.Harness.Judging.Approvals;

/// <summary>
/// Checks a call's result against a test's <c>expect</c>: <c>{"exact": …}</c>, <c>{"subset": …}</c>, or
/// <c>"snapshot"</c>. Snapshots are <see cref="ApprovalFiles"/> (Verify's conventions, so the Verify package can
/// replace this class): on a difference, or when there is no verified file, the scrubbed result is the received file.
/// </summary>
public sealed class Approver(string workflowsDirectory)
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public ApprovalResult Check(string workflow, string test, JsonElement expect, JsonNode? result)
    {
        if (expect.ValueKind == JsonValueKind.String && expect.GetString() == "snapshot")
        {
            return Snapshot(workflow, test, result);
        }

        // The workflow reader guarantees exactly one of "exact" or "subset" here.
        var property = expect.EnumerateObject().Single();
        var mismatch = Difference(JsonNode.Parse(property.Value.GetRawText()), result, "$", subset: property.Name == "subset");
        return mismatch is null
            ? new ApprovalResult(true, null)
            : new ApprovalResult(false, $"the result does not match expect.{property.Name}: {mismatch}");
    }

    /// <summary>The snapshot files of a test: <c>&lt;workflow&gt;.&lt;test&gt;.verified.json</c> and its received twin.</summary>
    public ApprovalFiles SnapshotFiles(string workflow, string test) => ApprovalFiles.Snapshot(workflowsDirectory, workflow, test);

    private ApprovalResult Snapshot(string workflow, string test, JsonNode? result)
    {
        var (verified, received) = SnapshotFiles(workflow, test);
        var text = (Scrubbers.Scrub(result)?.ToJsonString(Pretty) ?? "null") + "\n";
        if (File.Exists(verified) && File.ReadAllText(verified).ReplaceLineEndings("\n") == text)
        {
            File.Delete(received);
            return new ApprovalResult(true, null);
        }

        File.WriteAllText(received, text);
        var files = new ApprovalFiles(verified, received);
        var (relativeReceived, relativeVerified) = files.Relative();
        var what = File.Exists(verified) ? "differs from its snapshot" : "has no snapshot";
        return new ApprovalResult(false, $"the result {what}. Compare {relativeReceived} with {relativeVerified}; accept it with: {files.AcceptCommand()}");
    }

    /// <summary>Where <paramref name="actual"/> departs from <paramref name="expected"/>, or <see langword="null"/>.</summary>
    private static string? Difference(JsonNode? expected, JsonNode? actual, string path, bool subset)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                if (actual is not JsonObject actualObject)
                {
                    return $"{path} should be an object, but is {Show(actual)}";
                }

                if (!subset && actualObject.Count != expectedObject.Count)
                {
                    return $"{path} has fields {string.Join(", ", actualObject.Select(p => p.Key))}; expected {string.Join(", ", expectedObject.Select(p => p.Key))}";
                }

                return expectedObject.Select(p => actualObject.ContainsKey(p.Key)
                        ? Difference(p.Value, actualObject[p.Key], $"{path}.{p.Key}", subset)
                        : $"{path}.{p.Key} is missing")
                    .FirstOrDefault(d => d is not null);
            case JsonArray expectedArray:
                if (actual is not JsonArray actualArray || actualArray.Count != expectedArray.Count)
                {
                    return $"{path} should be an array of {expectedArray.Count}, but is {Show(actual)}";
                }

                return expectedArray.Select((item, i) => Difference(item, actualArray[i], $"{path}[{i}]", subset)).FirstOrDefault(d => d is not null);
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : $"{path} should be {Show(expected)}, but is {Show(actual)}";
        }
    }

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 120 ? text[..120] + "…" : text;
    }
}
