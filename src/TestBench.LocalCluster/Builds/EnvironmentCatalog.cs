using System.Collections.Concurrent;
using System.Text.Json;
using TestBench.LocalCluster.Runtime;

namespace TestBench.LocalCluster.Builds;

/// <summary>
/// The environments of <c>environments.json</c>. Every listed environment is <em>available</em>; it is
/// <em>current</em> (installed) only when its interpreter runs here and its probe modules import. A sync of
/// an available environment probes it again and reports a clear failure instead of pretending.
/// </summary>
public sealed class EnvironmentCatalog
{
    private static readonly JsonSerializerOptions FileFormat = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly string defaultPython;
    private readonly ConcurrentDictionary<string, string?> problems = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> syncs = new(StringComparer.Ordinal);

    public EnvironmentCatalog(IReadOnlyList<EnvironmentSpec> environments, string defaultPython)
    {
        ArgumentNullException.ThrowIfNull(environments);
        Available = environments;
        this.defaultPython = defaultPython;
        foreach (var environment in environments)
        {
            problems[environment.Id] = ProbeNow(environment);
        }
    }

    public IReadOnlyList<EnvironmentSpec> Available { get; }

    public IReadOnlyList<EnvironmentSpec> Current => Available.Where(e => problems.GetValueOrDefault(e.Id) is null).ToArray();

    /// <summary>Reads a catalog file: a JSON array of environments in snake_case; unknown fields are errors.</summary>
    public static IReadOnlyList<EnvironmentSpec> ReadFile(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<EnvironmentSpec[]>(File.ReadAllText(path), FileFormat)
                ?? throw new InvalidDataException($"{path}: the file holds null, not a list of environments.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The shipped catalog, then the user's (<paramref name="userFile"/>, when given): a user entry with the id or display
    /// name of a shipped one replaces it, any other is added. Ids and display names must stay unique.
    /// </summary>
    public static IReadOnlyList<EnvironmentSpec> ReadFiles(string shippedFile, string? userFile)
    {
        var shipped = ReadFile(shippedFile);
        if (userFile is null)
        {
            return shipped;
        }

        var added = ReadFile(userFile);
        foreach (var duplicate in added.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => g.Key)
            .Concat(added.GroupBy(e => e.DisplayName).Where(g => g.Count() > 1).Select(g => g.Key)))
        {
            throw new InvalidDataException($"{userFile}: '{duplicate}' is listed more than once");
        }

        return [.. shipped.Where(e => !added.Any(a => a.Id == e.Id || a.DisplayName == e.DisplayName)), .. added];
    }

    public EnvironmentSpec? Find(string id) => Available.FirstOrDefault(e => e.Id == id);

    /// <summary>The environment a new algorithm gets when its settings name none: the first current one for the language.</summary>
    public EnvironmentSpec? DefaultFor(string language) => Current.FirstOrDefault(e => e.Language == language);

    /// <summary>Why the environment cannot build here, or <see langword="null"/> when it can.</summary>
    public string? ProblemWith(string id) => Find(id) is null ? $"no environment has id '{id}'" : problems.GetValueOrDefault(id);

    /// <summary>The interpreter of an environment.</summary>
    public string InterpreterOf(EnvironmentSpec environment) =>
        environment.Interpreter == "default" ? defaultPython : environment.Interpreter;

    /// <summary>Tries to make an available environment current; returns the sync's result text.</summary>
    public string Sync(EnvironmentSpec environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var problem = ProbeNow(environment);
        problems[environment.Id] = problem;
        var hint = environment.InstallHint is null || environment.NotInstallable is not null ? "" : $"; install {environment.InstallHint} on this machine";
        var result = problem is null ? "succeeded" : $"failed: {environment.DisplayName} cannot be installed on this local cluster: {problem}{hint}";
        syncs[environment.Id] = result;
        return result;
    }

    public string? SyncResult(string environmentId) => syncs.GetValueOrDefault(environmentId);

    private string? ProbeNow(EnvironmentSpec environment) =>
        environment.NotInstallable is { } reason ? reason
        : PythonInterpreter.Probe(InterpreterOf(environment), environment.Probe) is { } problem ? $"{InterpreterOf(environment)} {problem}"
        : null;
}
