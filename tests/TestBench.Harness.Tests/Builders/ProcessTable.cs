namespace TestBench.Harness.Tests.Builders;

/// <summary>Reads <c>/proc</c>: which processes a process started, and how many files it has open.</summary>
public static class ProcessTable
{
    public static IReadOnlyList<int> ChildrenOf(int parentId) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, System.Globalization.CultureInfo.InvariantCulture))
            .Where(pid => ParentOf(pid) == parentId)
            .ToArray();

    /// <summary>Whether a live process runs <paramref name="program"/> with exactly these arguments.</summary>
    public static bool AnyRunning(string program, params string[] arguments)
    {
        var wanted = string.Join('\0', [program, .. arguments]) + "\0";
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!name.All(char.IsAsciiDigit))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")) == wanted && IsAlive(int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // The process ended while it was read.
            }
        }

        return false;
    }

    public static int OpenFileCount(int processId) => Directory.GetFiles($"/proc/{processId}/fd").Length;

    public static bool IsAlive(int processId) => File.Exists($"/proc/{processId}/stat") && !IsZombie(processId);

    private static int? ParentOf(int pid)
    {
        try
        {
            // Fields after the parenthesised command: state, ppid, ...
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
