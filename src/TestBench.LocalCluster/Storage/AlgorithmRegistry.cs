using System.Collections.Concurrent;
using System.Text.Json;

namespace TestBench.LocalCluster.Storage;

/// <summary>
/// Every algorithm of the cluster, kept in memory and written to <c>&lt;data&gt;/algorithms/&lt;owner&gt;/&lt;name&gt;.json</c>
/// (atomically) on every change, so a restarted cluster has them all.
/// </summary>
public sealed class AlgorithmRegistry
{
    private static readonly JsonSerializerOptions FileFormat = new() { WriteIndented = true };

    private readonly string directory;
    private readonly ConcurrentDictionary<string, AlgorithmRecord> algorithms = new(StringComparer.Ordinal);

    public AlgorithmRegistry(string dataDirectory)
    {
        directory = Path.Combine(dataDirectory, "algorithms");
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories))
        {
            var record = JsonSerializer.Deserialize<AlgorithmRecord>(File.ReadAllText(file), FileFormat)
                ?? throw new InvalidDataException($"{file} holds no algorithm.");
            // A build that was running when the cluster stopped will never finish.
            foreach (var build in record.Builds.Where(b => b.Status == BuildRecord.InProgress))
            {
                build.Status = BuildRecord.Failed;
                build.Log += "\n== the cluster stopped during this build\n";
            }

            algorithms[Key(record.Owner, record.Name)] = record;
        }
    }

    public AlgorithmRecord? Find(string owner, string name) => algorithms.GetValueOrDefault(Key(owner, name));

    /// <summary>Adds a new algorithm; <see langword="false"/> when the name is taken.</summary>
    public bool TryAdd(AlgorithmRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!algorithms.TryAdd(Key(record.Owner, record.Name), record))
        {
            return false;
        }

        Save(record);
        return true;
    }

    /// <summary>Changes a record under its lock and saves it.</summary>
    public T Update<T>(AlgorithmRecord record, Func<AlgorithmRecord, T> change)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(change);
        lock (record)
        {
            var result = change(record);
            Save(record);
            return result;
        }
    }

    /// <summary>Reads a record under its lock.</summary>
    public static T Read<T>(AlgorithmRecord record, Func<AlgorithmRecord, T> read)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(read);
        lock (record)
        {
            return read(record);
        }
    }

    public bool Remove(string owner, string name)
    {
        if (!algorithms.TryRemove(Key(owner, name), out _))
        {
            return false;
        }

        File.Delete(FileOf(owner, name));
        return true;
    }

    public IEnumerable<AlgorithmRecord> All() => algorithms.Values;

    private void Save(AlgorithmRecord record)
    {
        var file = FileOf(record.Owner, record.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = file + ".tmp";
        lock (record)
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(record, FileFormat));
        }

        File.Move(temporary, file, overwrite: true);
    }

    private string FileOf(string owner, string name) => Path.Combine(directory, owner, name + ".json");

    private static string Key(string owner, string name) => owner + "/" + name;
}
