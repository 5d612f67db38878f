using System.Security.Cryptography;
using System.Text;

namespace TestBench.LocalCluster.Racetrack;

/// <summary>The embedded Racetrack's one token, checked in constant time against <c>X-Racetrack-Auth</c>.</summary>
public sealed class RacetrackAuth(string token)
{
    public const string Header = "X-Racetrack-Auth";

    private readonly byte[] expected = Encoding.UTF8.GetBytes(token);

    /// <summary>A new random token.</summary>
    public static string NewToken() => "rt" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public bool Allows(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var given = request.Headers[Header].ToString();
        if (given.Length == 0)
        {
            given = request.Headers["X-Racetrack-User-Auth"].ToString();
        }

        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
    }
}
