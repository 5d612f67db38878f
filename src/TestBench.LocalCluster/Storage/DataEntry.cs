namespace TestBench.LocalCluster.Storage;

/// <summary>One item of a folder listing.</summary>
public sealed record DataEntry(string Name, bool IsFolder, long Size, DateTimeOffset LastModified);
