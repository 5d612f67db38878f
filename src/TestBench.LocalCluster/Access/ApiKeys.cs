using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace TestBench.LocalCluster.Access;

/// <summary>
/// The cluster's API keys: one per user, an admin key, and short-lived keys handed to running algorithms
/// (bound to the algorithm, so <c>data://.algo/temp/…</c> resolves). Accepts the header forms real clients
/// send: <c>Simple &lt;key&gt;</c>, a bare key, <c>Bearer &lt;key&gt;</c>, and HTTP Basic (<c>user:key</c>) for git.
/// User and admin keys are checked against their <see cref="StoredKey"/>s; a key that matched once is remembered
/// (in memory only) so later requests cost a dictionary lookup.
/// </summary>
public sealed partial class ApiKeys
{
    private readonly ConcurrentDictionary<string, Caller> callers = new(StringComparer.Ordinal);
    private readonly (StoredKey Key, Caller Caller)[] stored;

    public ApiKeys(ClusterKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Users = keys.Users.Keys.ToHashSet(StringComparer.Ordinal);
        stored = [.. keys.Users.Select(pair => (pair.Value, new Caller(pair.Key))), (keys.Admin, new Caller("admin", IsAdmin: true))];
        foreach (var (user, key) in keys.ShownUserKeys)
        {
            callers[key] = new Caller(user);
        }

        if (keys.ShownAdminKey is { } admin)
        {
            callers[admin] = new Caller("admin", IsAdmin: true);
        }
    }

    /// <summary>Keys held in memory only, as tests and a cluster started with given keys use them.</summary>
    public ApiKeys(IReadOnlyDictionary<string, string> userKeys, string adminKey)
        : this(new ClusterKeySet(
            userKeys.ToDictionary(pair => pair.Key, pair => StoredKey.Of(pair.Value), StringComparer.Ordinal),
            StoredKey.Of(adminKey),
            userKeys,
            adminKey))
    {
    }

    /// <summary>The cluster's users.</summary>
    public IReadOnlySet<string> Users { get; }

    /// <summary>A new random key in the platform's style (<c>sim</c> + 26 characters).</summary>
    public static string NewKey() => "sim" + Convert.ToHexString(RandomNumberGenerator.GetBytes(13)).ToLowerInvariant();

    /// <summary>Issues a key for code running as <paramref name="algorithm"/> on behalf of its owner.</summary>
    public string IssueAlgorithmKey(string owner, string algorithm)
    {
        var key = NewKey();
        callers[key] = new Caller(owner, $"{owner}/{algorithm}");
        return key;
    }

    public void Revoke(string key) => callers.TryRemove(key, out _);

    /// <summary>
    /// <paramref name="text"/> with every key this cluster knows, and anything shaped like a platform key, masked:
    /// for text from outside (a request path) that is about to be logged.
    /// </summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = KeyShaped().Replace(text, "sim***");
        foreach (var key in callers.Keys)
        {
            if (masked.Contains(key, StringComparison.Ordinal))
            {
                masked = masked.Replace(key, "***", StringComparison.Ordinal);
            }
        }

        return masked;
    }

    [System.Text.RegularExpressions.GeneratedRegex("sim[0-9a-zA-Z]{20,}")]
    private static partial System.Text.RegularExpressions.Regex KeyShaped();

    /// <summary>The caller a request's Authorization header names, or <see langword="null"/>.</summary>
    public Caller? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0)
        {
            return null;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? "" : header[..space];
        var value = space < 0 ? header : header[(space + 1)..].Trim();
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return FromBasic(value);
        }

        return Find(value);
    }

    private Caller? Find(string key)
    {
        if (callers.TryGetValue(key, out var known))
        {
            return known;
        }

        foreach (var (storedKey, caller) in stored)
        {
            if (storedKey.Matches(key))
            {
                callers[key] = caller;
                return caller;
            }
        }

        return null;
    }

    private Caller? FromBasic(string encoded)
    {
        try
        {
            var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || Find(pair[(colon + 1)..]) is not { } caller)
            {
                return null;
            }

            // The user in the URL must be the key's owner.
            return caller.User == pair[..colon] ? caller : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
