using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>Lifecycle's <c>DeploymentDto</c> and <c>JobDto</c> (racetrack_commons/entities/dto.py), with the fields it sends.</summary>
internal static class LifecycleObjects
{
    private const string DeployedBy = "testbench";

    public static JsonObject Describe(Deployment deployment, RacetrackService racetrack, Uri address) => new()
    {
        ["id"] = deployment.Id,
        ["status"] = deployment.Status,
        ["create_time"] = deployment.CreateTime.ToUnixTimeSeconds(),
        ["update_time"] = deployment.UpdateTime.ToUnixTimeSeconds(),
        ["error"] = deployment.Error,
        ["job"] = deployment.Status == "done" && racetrack.Find(deployment.JobName, deployment.JobVersion) is { } job ? Describe(job, address) : null,
        ["deployed_by"] = DeployedBy,
        ["phase"] = deployment.Phase,
        ["image_name"] = null,
        ["infrastructure_target"] = LifecycleEndpoints.Infrastructure,
        // JSON is YAML: the manifest as it was sent, in a form any YAML reader takes.
        ["manifest_yaml"] = deployment.Manifest.Document.GetRawText(),
        ["job_name"] = deployment.JobName,
        ["job_version"] = deployment.JobVersion,
        ["warnings"] = deployment.Warnings,
    };

    public static JsonObject Describe(RacetrackJob job, Uri address) => new()
    {
        ["name"] = job.Name,
        ["version"] = job.Version,
        ["status"] = job.Status,
        ["create_time"] = job.CreateTime.ToUnixTimeSeconds(),
        ["update_time"] = job.UpdateTime.ToUnixTimeSeconds(),
        ["id"] = $"{job.Name}-{job.Version}",
        ["manifest"] = JsonNode.Parse(job.Manifest.Document.GetRawText()),
        ["manifest_yaml"] = job.Manifest.Document.GetRawText(),
        ["internal_name"] = null,
        ["pub_url"] = new Uri(address, $"pub/job/{job.Name}/{job.Version}").ToString(),
        ["error"] = job.Error,
        ["notice"] = null,
        ["image_tag"] = null,
        ["deployed_by"] = DeployedBy,
        ["last_call_time"] = null,
        ["infrastructure_target"] = LifecycleEndpoints.Infrastructure,
        ["replica_internal_names"] = new JsonArray(),
        ["job_type_version"] = job.Manifest.JobType,
        ["infrastructure_stats"] = new JsonObject(),
    };
}
