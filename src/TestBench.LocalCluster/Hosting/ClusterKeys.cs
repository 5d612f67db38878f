using System.Text.Json;
using TestBench.LocalCluster.Access;

namespace TestBench.LocalCluster.Hosting;

/// <summary>
/// The keys a cluster uses: those given in the options, else those saved in <c>&lt;data&gt;/keys.json</c> by an
/// earlier start (so a restarted cluster keeps its keys), else new random ones, which are then saved.
/// The file is readable by its owner only.
/// </summary>
internal static class ClusterKeys
{
    private const string AdminEntry = "(admin)";

    public static (Dictionary<string, string> Users, string Admin) Resolve(LocalClusterOptions options)
    {
        var file = Path.Combine(options.DataDirectory, "keys.json");
        var saved = File.Exists(file)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)) ?? []
            : [];
        var users = options.Users.ToDictionary(
            pair => pair.Key,
            pair => pair.Value ?? saved.GetValueOrDefault(pair.Key) ?? ApiKeys.NewKey(),
            StringComparer.Ordinal);
        var admin = options.AdminKey ?? saved.GetValueOrDefault(AdminEntry) ?? ApiKeys.NewKey();

        var all = new Dictionary<string, string>(users) { [AdminEntry] = admin };
        File.WriteAllText(file, JsonSerializer.Serialize(all));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return (users, admin);
    }
}
