using System.Globalization;

namespace TestBench.Harness.Configuration;

/// <summary>The embedded cluster's slowdown hook as a setting: a factor every call's time is multiplied by.</summary>
public static class SlowdownFactor
{
    /// <summary>The smallest factor: no slowdown.</summary>
    public const double None = 1;

    /// <summary>The largest factor the hook takes.</summary>
    public const double Max = 10;

    /// <summary>Reads a factor such as <c>1.1</c> (10 % slower); <see cref="None"/> when unset, and a problem naming
    /// <paramref name="named"/> when it is no number from 1 to 10.</summary>
    public static double Read(string? text, string named, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (text is null)
        {
            return None;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor is >= None and <= Max)
        {
            return factor;
        }

        problems.Add($"{named} is '{text}'; use a factor 1..10 such as 1.1 (10 % slower)");
        return None;
    }
}
