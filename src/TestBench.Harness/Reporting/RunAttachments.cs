namespace TestBench.Harness.Reporting;

/// <summary>
/// Files a run hands to the test platform as run attachments, so they land in the TRX file and Azure DevOps
/// publishes them with the test run. The <c>TestBench report</c> data collector gives the test host an empty
/// folder in <see cref="Variable"/> and attaches whatever is in it when the session ends.
/// </summary>
public static class RunAttachments
{
    public const string Variable = "TESTBENCH_ATTACHMENTS_DIRECTORY";

    /// <summary>Copies the file into the attachments folder, when the collector provided one.</summary>
    /// <returns>Whether the file will be attached.</returns>
    public static bool Attach(string file, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(Variable) is not { } directory)
        {
            return false;
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{Variable} names '{directory}', which does not exist; the TestBench report collector creates it for each run.");
        }

        // Copied beside the folder's files and moved in, so the collector, which attaches what the folder holds when the
        // session ends (a killed test host's too), never takes half a file.
        var incoming = Directory.CreateDirectory(Path.Combine(directory, ".incoming")).FullName;
        var copy = Path.Combine(incoming, Path.GetFileName(file));
        File.Copy(file, copy, overwrite: true);
        File.Move(copy, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
        return true;
    }
}
