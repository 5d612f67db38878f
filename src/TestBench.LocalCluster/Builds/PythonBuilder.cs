using System.Globalization;
using System.Text;
using TestBench.Harness.Processes;
using TestBench.LocalCluster.Isolation;

namespace TestBench.LocalCluster.Builds;

/// <summary>
/// The Python LangPack's build step for an algorithm directory (<c>src/&lt;Name&gt;.py</c>,
/// <c>requirements.txt</c>): a virtual environment from the environment's interpreter with
/// <c>--system-site-packages</c> with the LangPack's client installed in it as the distribution <c>algorithmia</c>
/// (so <c>algorithmia&gt;=1.0.0,&lt;2.0</c> is satisfied offline), <c>pip install -r requirements.txt</c> when it lists
/// anything (offline this succeeds when the system already satisfies it), then the algorithm's own
/// <c>src/&lt;Name&gt;_test.py</c>. A failing step ends the build with <see cref="BuildResult.Succeeded"/> false and its
/// output in the log; it never throws for the algorithm's faults. Failing algorithm tests are a warning unless
/// <paramref name="failOnAlgorithmTests"/>: the platform built algorithms whose tests could not even import (the
/// original tool's <c>hello_world_test.py</c>), so it did not fail builds on them (docs/architecture.md).
/// </summary>
public sealed class PythonBuilder(TimeProvider time, Sandbox? sandbox = null, bool failOnAlgorithmTests = false, IReadOnlyDictionary<string, string>? buildVariables = null)
{
    /// <summary>The version the LangPack's client is installed as: a 1.x release, as the official client's pins expect.</summary>
    public const string ClientVersion = "1.99.0+testbench";

    /// <summary>The LangPack folder: its <c>Algorithmia</c> module is importable in the test step, as it is at run time.</summary>
    private static readonly string LangPackDirectory = Path.Combine(AppContext.BaseDirectory, "LangPacks", "python3");

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The base interpreter of the build under way: its installation is what the steps' sandbox shows.</summary>
    private string? baseInterpreter;

    /// <summary>Builds <paramref name="algorithmDirectory"/>, creating the virtual environment in <paramref name="environmentDirectory"/>.</summary>
    public async Task<BuildResult> BuildAsync(string algorithmName, string algorithmDirectory, string environmentDirectory, string interpreter, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var log = new StringBuilder();
        var python = Path.Combine(environmentDirectory, "bin", "python");
        baseInterpreter = interpreter;
        var succeeded = await RunStepsAsync(algorithmName, algorithmDirectory, environmentDirectory, interpreter, python, log, cancellationToken).ConfigureAwait(false);
        log.Append(succeeded ? "== build succeeded" : "== build failed").Append('\n');
        return new BuildResult { Succeeded = succeeded, Log = log.ToString(), Python = python, DurationSeconds = time.GetElapsedTime(started).TotalSeconds };
    }

    private async Task<bool> RunStepsAsync(string name, string directory, string environment, string interpreter, string python, StringBuilder log, CancellationToken cancellationToken)
    {
        var source = Path.Combine(directory, "src", name + ".py");
        if (!File.Exists(source))
        {
            log.Append(CultureInfo.InvariantCulture, $"== src/{name}.py is missing: the algorithm's main file must be src/<algorithm name>.py\n");
            return false;
        }

        // The runner imports src.<name>, and tests import relatively: src/ must be a package.
        var package = Path.Combine(directory, "src", "__init__.py");
        if (!File.Exists(package))
        {
            await File.WriteAllTextAsync(package, "", cancellationToken).ConfigureAwait(false);
        }

        if (!await PrepareEnvironmentAsync(directory, Path.Combine(directory, "requirements.txt"), environment, interpreter, python, log, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var tests = Path.Combine(directory, "src", name + "_test.py");
        if (!File.Exists(tests))
        {
            log.Append(CultureInfo.InvariantCulture, $"== src/{name}_test.py not found: no tests run\n");
            return true;
        }

        if (await RunAsync(log, directory, environment, python, cancellationToken, "-m", "unittest", "-v", $"src.{name}_test").ConfigureAwait(false))
        {
            return true;
        }

        if (failOnAlgorithmTests)
        {
            log.Append(CultureInfo.InvariantCulture, $"== src/{name}_test.py failed, and this cluster fails builds on algorithm tests\n");
            return false;
        }

        log.Append(CultureInfo.InvariantCulture, $"== warning: src/{name}_test.py failed; the build goes on, as the platform's did (cluster option --fail-on-algorithm-tests makes this fatal)\n");
        return true;
    }

    /// <summary>
    /// Copies the LangPack's <c>Algorithmia</c> package into the virtual environment with the metadata of an installed
    /// distribution (<c>algorithmia</c> <see cref="ClientVersion"/>), so that pip sees requirements on it as satisfied.
    /// </summary>
    private static void InstallClient(string environment, StringBuilder log)
    {
        var sitePackages = Directory.GetDirectories(Path.Combine(environment, "lib"), "python*").Select(d => Path.Combine(d, "site-packages")).Single(Directory.Exists);
        var package = Path.Combine(sitePackages, "Algorithmia");
        Directory.CreateDirectory(package);
        var files = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(LangPackDirectory, "Algorithmia"), "*.py"))
        {
            File.Copy(file, Path.Combine(package, Path.GetFileName(file)), overwrite: true);
            files.Add($"Algorithmia/{Path.GetFileName(file)}");
        }

        var distribution = Path.Combine(sitePackages, $"algorithmia-{ClientVersion}.dist-info");
        Directory.CreateDirectory(distribution);
        File.WriteAllText(Path.Combine(distribution, "METADATA"), $"Metadata-Version: 2.1\nName: algorithmia\nVersion: {ClientVersion}\nSummary: The TestBench LangPack's Algorithmia client\n");
        File.WriteAllText(Path.Combine(distribution, "INSTALLER"), "testbench\n");
        File.WriteAllText(Path.Combine(distribution, "top_level.txt"), "Algorithmia\n");
        var dist = Path.GetFileName(distribution);
        File.WriteAllLines(Path.Combine(distribution, "RECORD"), [.. files.Select(f => f + ",,"), $"{dist}/METADATA,,", $"{dist}/INSTALLER,,", $"{dist}/top_level.txt,,", $"{dist}/RECORD,,"]);
        log.Append(CultureInfo.InvariantCulture, $"== installed the LangPack's client as algorithmia {ClientVersion}\n");
    }

    /// <summary>
    /// Builds a Racetrack job folder: the virtual environment (with the client installed) and its requirements file,
    /// when it names one; no algorithm layout or tests.
    /// </summary>
    public async Task<BuildResult> BuildJobAsync(string jobDirectory, string? requirementsPath, string environmentDirectory, string interpreter, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var log = new StringBuilder();
        var python = Path.Combine(environmentDirectory, "bin", "python");
        baseInterpreter = interpreter;
        var requirements = requirementsPath is null ? null : Path.Combine(jobDirectory, requirementsPath);
        var succeeded = requirements is null || File.Exists(requirements)
            ? await PrepareEnvironmentAsync(jobDirectory, requirements, environmentDirectory, interpreter, python, log, cancellationToken).ConfigureAwait(false)
            : Missing(log, $"requirements_path {requirementsPath} is not in the job folder");
        log.Append(succeeded ? "== build succeeded" : "== build failed").Append('\n');
        return new BuildResult { Succeeded = succeeded, Log = log.ToString(), Python = python, DurationSeconds = time.GetElapsedTime(started).TotalSeconds };
    }

    /// <summary>Runs <paramref name="python"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/> as build steps
    /// run (sandboxed, no server secrets); the step's output goes to <paramref name="log"/>.</summary>
    public Task<CommandResult?> RunStepAsync(StringBuilder log, string workingDirectory, string environment, string python, string interpreter, CancellationToken cancellationToken, params string[] arguments)
    {
        baseInterpreter = interpreter;
        return RunCommandAsync(log, workingDirectory, environment, python, cancellationToken, arguments);
    }

    private static bool Missing(StringBuilder log, string problem)
    {
        log.Append("== ").Append(problem).Append('\n');
        return false;
    }

    private async Task<bool> PrepareEnvironmentAsync(string directory, string? requirements, string environment, string interpreter, string python, StringBuilder log, CancellationToken cancellationToken)
    {
        if (Directory.Exists(environment))
        {
            Directory.Delete(environment, recursive: true);
        }

        if (!await RunAsync(log, directory, environment, interpreter, cancellationToken, "-m", "venv", "--system-site-packages", "--without-pip", environment).ConfigureAwait(false))
        {
            return false;
        }

        InstallClient(environment, log);
        if (requirements is not null && HasRequirements(requirements))
        {
            return await RunAsync(log, directory, environment, python, cancellationToken, "-m", "pip", "install", "--no-input", "--disable-pip-version-check", "-r", requirements).ConfigureAwait(false);
        }

        log.Append("== requirements.txt lists nothing: pip skipped\n");
        return true;
    }

    private static bool HasRequirements(string path) =>
        File.Exists(path) && File.ReadLines(path).Any(line => line.Trim() is { Length: > 0 } t && !t.StartsWith('#'));

    private async Task<bool> RunAsync(StringBuilder log, string workingDirectory, string environment, string program, CancellationToken cancellationToken, params string[] arguments) =>
        (await RunCommandAsync(log, workingDirectory, environment, program, cancellationToken, arguments).ConfigureAwait(false))?.Succeeded == true;

    private async Task<CommandResult?> RunCommandAsync(StringBuilder log, string workingDirectory, string environment, string program, CancellationToken cancellationToken, params string[] arguments)
    {
        var step = new CommandSpec
        {
            Program = program,
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
            // Builds see no server secrets either: a fixed, minimal environment over the build's own variables.
            IsolateEnvironment = true,
            Environment = new Dictionary<string, string>(buildVariables ?? new Dictionary<string, string>())
            {
                ["HOME"] = workingDirectory,
                ["PYTHONDONTWRITEBYTECODE"] = "1",
                ["PIP_NO_INPUT"] = "1",
                ["PYTHONPATH"] = LangPackDirectory,
            },
            Timeout = StepTimeout,
        };
        log.Append(CultureInfo.InvariantCulture, $"== {step}\n");
        // In a sandbox a step writes only the algorithm's folder and the virtual environment's (beside it in a build).
        var spec = sandbox is null
            ? step
            : sandbox.Wrap(step, readOnly: [LangPackDirectory, .. Sandbox.InterpreterFolders(baseInterpreter ?? program)], writable: [workingDirectory, Path.GetDirectoryName(Path.GetFullPath(environment))!]);
        CommandResult result;
        try
        {
            result = await ExternalCommand.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            log.Append(e.Message).Append('\n');
            return null;
        }

        log.Append(result.Combined);
        log.Append(result.TimedOut
            ? $"== stopped: the step took longer than {StepTimeout.TotalMinutes} minutes\n"
            : string.Create(CultureInfo.InvariantCulture, $"== exit code {result.ExitCode}\n"));
        return result;
    }
}
