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
