using System.Globalization;

namespace TestBench.LocalCluster.Wallaroo;

/// <summary>
/// Timestamps as Wallaroo writes them: ISO 8601 with six fraction digits and an offset, <c>2024-04-17T16:03:50.202818+00:00</c>
/// (WallarooLabs/Wallaroo_Tutorials, orchestration API tutorial); Python's <c>datetime.fromisoformat</c> before 3.11 takes no more digits.
/// </summary>
internal static class WallarooTime
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
