using System.CommandLine.Parsing;
using System.Globalization;

namespace TestBench.LocalCluster.CommandLine;

/// <summary>
/// Parsers for option values that say what was wrong in the option's own words, as parse errors (never
/// exceptions), so System.CommandLine reports every bad option together with the usage.
/// </summary>
internal static class OptionParsers
{
    public static Func<ArgumentResult, int> WholeNumber(int min, int max) => result =>
        int.TryParse(Token(result), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : Fail(result, $"it must be a whole number from {min} to {max}", 0);

    public static Func<ArgumentResult, double> Number(double min, double max) => result =>
        double.TryParse(Token(result), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : Fail(result, $"it must be a number from {min} to {max}", 0d);

    public static LogLevel LogLevel(ArgumentResult result) =>
        Enum.TryParse<LogLevel>(Token(result), ignoreCase: true, out var level) && Enum.IsDefined(level) && !int.TryParse(Token(result), out _)
            ? level
            : Fail(result, $"allowed: {string.Join(", ", Enum.GetNames<LogLevel>().Select(n => n.ToLowerInvariant()))}", Microsoft.Extensions.Logging.LogLevel.Information);

    /// <summary>Runs a parser that throws <see cref="ArgumentException"/> with a complete message.</summary>
    public static Func<ArgumentResult, T?> From<T>(Func<string, T> parse) => result =>
    {
        try
        {
            return parse(Token(result));
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
            return default;
        }
    };

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static T Fail<T>(ArgumentResult result, string rule, T fallback)
    {
        var option = (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
        result.AddError($"option {option} is '{Token(result)}'; {rule}");
        return fallback;
    }
}
