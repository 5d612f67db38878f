namespace TestBench.LocalCluster.Access;

/// <summary>Who a request acts for: a user, and the algorithm when the call comes from inside one.</summary>
/// <param name="User">The user whose key was presented; <c>.my</c> resolves to it.</param>
/// <param name="Algorithm">The calling algorithm as <c>owner/name</c>, for <c>data://.algo/temp/…</c>; <see langword="null"/> outside algorithms.</param>
/// <param name="IsAdmin">Whether the key is the cluster's admin key (web API routes).</param>
public sealed record Caller(string User, string? Algorithm = null, bool IsAdmin = false);
