using System.Text.Json.Nodes;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>An uploaded orchestration: <c>pending_packaging</c> → <c>packaging</c> → <c>ready</c>, or <c>packaging_failed</c>
/// with the reason in <see cref="Error"/>.</summary>
public sealed class Orchestration
{
    public const string PendingPackaging = "pending_packaging";
    public const string Packaging = "packaging";
    public const string Ready = "ready";
    public const string PackagingFailed = "packaging_failed";

    public required string Id { get; init; }

    public required long WorkspaceId { get; init; }

    /// <summary>SHA-256 of the uploaded ZIP, hex.</summary>
    public required string Sha { get; init; }

    public string? Name { get; init; }

    public required string FileName { get; init; }

    /// <summary>The packaging task's id.</summary>
    public required string PackagingTaskId { get; init; }

    public required string Folder { get; init; }

    public string Status { get; set; } = PendingPackaging;

    public string? Error { get; set; }

    /// <summary>Where <c>main.py</c> is, once unpacked.</summary>
    public string? EntrypointFolder { get; set; }

    /// <summary>The virtual environment's interpreter, once packaged.</summary>
    public string? Python { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["workspace_id"] = WorkspaceId,
        ["sha"] = Sha,
        ["name"] = Name,
        ["file_name"] = FileName,
        ["task_id"] = PackagingTaskId,
        ["owner_id"] = WallarooService.OwnerId,
        ["status"] = Status,
        ["error"] = Error,
        ["created_at"] = WallarooTime.Format(CreatedAt),
        ["updated_at"] = WallarooTime.Format(UpdatedAt),
        ["image_path"] = WallarooService.TaskImage + ":" + WallarooService.TaskImageTag,
        ["created_on_version"] = WallarooService.EmulatedVersion,
    };
}
