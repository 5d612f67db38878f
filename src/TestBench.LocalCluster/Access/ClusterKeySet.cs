namespace TestBench.LocalCluster.Access;

/// <summary>
/// The keys a cluster accepts (stored form) and those it can show (plain): a key given or issued at this start is
/// both; a key kept from an earlier start is stored only, so this process can check it but never show it.
/// </summary>
public sealed record ClusterKeySet(
    IReadOnlyDictionary<string, StoredKey> Users,
    StoredKey Admin,
    IReadOnlyDictionary<string, string> ShownUserKeys,
    string? ShownAdminKey)
{
    /// <summary>Users whose key was kept from an earlier start.</summary>
    public IReadOnlyList<string> KeptUsers => [.. Users.Keys.Where(user => !ShownUserKeys.ContainsKey(user)).Order(StringComparer.Ordinal)];

    /// <summary>Whether the admin key was kept from an earlier start.</summary>
    public bool AdminKept => ShownAdminKey is null;

    /// <summary>What was kept, for a message: <c>user alice, the admin</c>; empty when nothing was.</summary>
    public string DescribeKept() =>
        string.Join(", ", KeptUsers.Select(user => $"user {user}").Concat(AdminKept ? ["the admin"] : []));

    /// <summary>
    /// The keys for a start on <paramref name="dataDirectory"/>: a key given in <paramref name="givenUserKeys"/> (or
    /// <paramref name="givenAdminKey"/>) replaces the saved one; a user without one keeps the saved key, else gets a new
    /// random one. The key file is rewritten to hold exactly these users.
    /// </summary>
    public static ClusterKeySet Resolve(string dataDirectory, IReadOnlyDictionary<string, string?> givenUserKeys, string? givenAdminKey)
    {
        var saved = KeyFile.Read(dataDirectory);
        var stored = new Dictionary<string, StoredKey>(StringComparer.Ordinal);
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (user, given) in givenUserKeys)
        {
            (stored[user], var plain) = Choose(given ?? saved.PlainUserKeys.GetValueOrDefault(user), saved.Users.GetValueOrDefault(user));
            if (plain is not null)
            {
                shown[user] = plain;
            }
        }

        var (admin, adminPlain) = Choose(givenAdminKey ?? saved.PlainAdminKey, saved.Admin);
        KeyFile.Write(dataDirectory, stored, admin);
        return new ClusterKeySet(stored, admin, shown, adminPlain);
    }

    private static (StoredKey Stored, string? Plain) Choose(string? given, StoredKey? saved)
    {
        if (given is null && saved is not null)
        {
            return (saved, null);
        }

        var key = given ?? ApiKeys.NewKey();
        return (StoredKey.Of(key), key);
    }
}
