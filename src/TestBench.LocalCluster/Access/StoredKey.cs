using System.Security.Cryptography;
using System.Text;

namespace TestBench.LocalCluster.Access;

/// <summary>
/// An API key as it is kept at rest: a random salt and the HMAC-SHA256 of the key under it. Keys are 104 random
/// bits, so one keyed hash is enough (a slow password hash would cost every request and add nothing).
/// </summary>
public sealed record StoredKey(byte[] Salt, byte[] Hash)
{
    private const int SaltBytes = 16;

    /// <summary>The stored form of <paramref name="key"/>, under a new salt.</summary>
    public static StoredKey Of(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new StoredKey(salt, HashOf(salt, key));
    }

    /// <summary>Whether <paramref name="key"/> is the key this was made from (compared in constant time).</summary>
    public bool Matches(string key) => CryptographicOperations.FixedTimeEquals(HashOf(Salt, key), Hash);

    private static byte[] HashOf(byte[] salt, string key) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(key));
}
