using System.Xml.Linq;

namespace TestBench.Harness.Configuration;

/// <summary>
/// Reads <c>TestRunParameters</c> from a <c>.runsettings</c> file. xUnit v2 does not hand them to tests, so the
/// harness reads the file itself: <c>TESTBENCH_RUNSETTINGS</c> names it, else the repository's <c>.runsettings</c>.
/// </summary>
public static class RunSettingsParameters
{
    public const string Variable = "TESTBENCH_RUNSETTINGS";

    /// <summary>Name → value; empty when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not valid XML; the message names it.</exception>
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        try
        {
            return XDocument.Load(path).Descendants("TestRunParameters").Elements("Parameter")
                .Where(p => p.Attribute("name") is not null)
                .ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")?.Value ?? "", StringComparer.Ordinal);
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidDataException($"{path} is not valid XML: {e.Message}", e);
        }
    }
}
