using System.Text.RegularExpressions;

namespace TestBench.Harness.Workflows;

/// <summary>The platform's rule for algorithm names: a letter, then letters, digits or underscores.</summary>
public static partial class AlgorithmName
{
    /// <summary>Whether the platform accepts <paramref name="name"/> as an algorithm name.</summary>
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "must start with a letter and contain only letters, digits and underscores";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
