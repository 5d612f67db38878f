namespace TestBench.Harness.Algorithmia.Replies;

/// <summary>The body of <c>POST /v1/algorithms/{owner}</c> (§2.2).</summary>
public sealed record CreateAlgorithmRequest(string Name, AlgorithmDetails Details, AlgorithmSettings Settings);

public sealed record AlgorithmDetails(string Label);

public sealed record AlgorithmSettings(string SourceVisibility, string License, string AlgorithmEnvironment, string NetworkAccess, bool PipelineEnabled);

/// <summary>The body of <c>POST /v1/algorithms/{owner}/{name}/versions</c> (§2.4).</summary>
public sealed record PublishRequest(PublishSettings Settings, VersionInfo VersionInfo, AlgorithmDetails Details);

public sealed record PublishSettings(string AlgorithmCallability);

public sealed record VersionInfo(string VersionType, string ReleaseNotes, string SampleInput);

/// <summary>The body of <c>POST /v1/data/{folder}</c>: a new folder.</summary>
public sealed record CreateFolderRequest(string Name);
