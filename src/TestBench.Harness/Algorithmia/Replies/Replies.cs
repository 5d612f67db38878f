namespace TestBench.Harness.Algorithmia.Replies;

// The replies the harness reads, only the fields it reads (spec: algorithmia-api.md). A field the harness
// cannot do without is a non-nullable parameter without a default: a reply without it fails where it comes in
// (see AlgorithmiaJson), naming the route, the field and the status, instead of a null dereference later.
// A field a real cluster may leave out is nullable with a default.

/// <summary>A data listing (<c>GET /v1/data/…</c>); the root listing names the key owner first (§4.5).</summary>
public sealed record DataListing(IReadOnlyList<DataFolder>? Folders = null);

public sealed record DataFolder(string Name);

/// <summary>An algorithm object (§2.3). It names no git repository: see <see cref="GitRemote"/>.</summary>
public sealed record AlgorithmReply(string Name);

/// <summary>A page of builds (<c>{marker, next_link, results: [...]}</c>, newest first); <c>marker</c> is null on the last page.</summary>
public sealed record BuildPage(IReadOnlyList<BuildReply> Results, string? Marker = null);

/// <summary>A build (§2.6): <c>status</c> is <c>in-progress</c>, <c>succeeded</c> or <c>failed</c>.</summary>
public sealed record BuildReply(string BuildId, string CommitSha, string Status);

public sealed record BuildLog(string Logs);

/// <summary>An environment of the web API's <c>current</c> or <c>available</c> list (§5.1).</summary>
public sealed record EnvironmentReply(string Id, string? DisplayName = null, string? EnvironmentSpecificationId = null, EnvironmentLanguage? Language = null);

public sealed record EnvironmentLanguage(string Name);

/// <summary>A sync's state: <c>succeeded</c>, anything containing <c>failed</c>, or still running.</summary>
public sealed record SyncReply(string SyncResult);
