namespace TestBench.Harness.Wallaroo;

/// <summary>A Wallaroo route answered an error; the message names the route and carries the server's words.</summary>
public sealed class WallarooApiException(string message, int status) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;
}
