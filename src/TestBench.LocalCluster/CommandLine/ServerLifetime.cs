namespace TestBench.LocalCluster.CommandLine;

/// <summary>How a stand-in server started from the command line tells about itself and when it stops.</summary>
/// <param name="AnnounceJson">Print the address and token as one JSON line (for the process that started it), not as text.</param>
/// <param name="StopWithInput">Stop when standard input closes (the starting process went away), not only on a signal.</param>
internal sealed record ServerLifetime(bool AnnounceJson, bool StopWithInput);
