using System.Security.Cryptography;
using System.Text;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>
/// Each job family's own identity, as Racetrack gives it (lifecycle/auth/subject.py, docs/permissions.md): a family is an
/// auth subject with one token, handed to its jobs as <c>AUTH_TOKEN</c> for chain calls
/// (job-runner-python-lib racetrack_job_wrapper/call.py sends it as <c>X-Racetrack-Auth</c>), and allowed nothing until
/// an admin grants it a scope; the only scope a family token carries here is <c>call_job</c> on the families granted.
/// It opens no Lifecycle route.
/// </summary>
public sealed class JobFamilyTokens
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, string> tokenOfFamily = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> familyOfTokenHash = new(StringComparer.Ordinal);
    private readonly HashSet<(string Source, string Target)> callGrants = [];

    /// <summary>The family's token, made the first time a job of the family is deployed and kept for its later versions.</summary>
    public string TokenOf(string family)
    {
        lock (sync)
        {
            if (!tokenOfFamily.TryGetValue(family, out var token))
            {
                token = "rtfam" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
                tokenOfFamily[family] = token;
                familyOfTokenHash[Hash(token)] = family;
            }

            return token;
        }
    }

    /// <summary>Whether a job of <paramref name="family"/> was ever deployed.</summary>
    public bool Knows(string family)
    {
        lock (sync)
        {
            return tokenOfFamily.ContainsKey(family);
        }
    }

    /// <summary>The family whose token <paramref name="token"/> is; <see langword="null"/> for any other string.</summary>
    public string? FamilyOf(string token)
    {
        // Looked up by hash: the comparison's timing says nothing about the tokens themselves.
        lock (sync)
        {
            return token.Length > 0 && familyOfTokenHash.TryGetValue(Hash(token), out var family) ? family : null;
        }
    }

    /// <summary>Grants <paramref name="source"/>'s jobs <c>call_job</c> on every job of <paramref name="target"/>, present and future.</summary>
    public void AllowCalls(string source, string target)
    {
        lock (sync)
        {
            callGrants.Add((source, target));
        }
    }

    /// <summary>Whether <paramref name="source"/>'s jobs may call <paramref name="target"/>'s.</summary>
    public bool MayCall(string source, string target)
    {
        lock (sync)
        {
            return callGrants.Contains((source, target));
        }
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
