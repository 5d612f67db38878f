using System.Net;

namespace TestBench.Harness.Algorithmia;

/// <summary>A cluster answered a request with an error; the message names the cluster, the route and the server's words.</summary>
public sealed class AlgorithmiaApiException : Exception
{
    /// <param name="cluster">What the cluster is called, e.g. <c>destination</c>.</param>
    /// <param name="method">The request's method.</param>
    /// <param name="route">The request's path.</param>
    /// <param name="status">The answer's status.</param>
    /// <param name="code">The platform's error code, when the body had one.</param>
    /// <param name="serverMessage">The server's words (or what its body was).</param>
    /// <param name="address">The cluster's address, for the message.</param>
    /// <param name="attempts">How often the request was sent, for the message.</param>
    public AlgorithmiaApiException(string cluster, string method, string route, HttpStatusCode status, int? code, string serverMessage, Uri? address = null, Resilience.Attempts? attempts = null)
        : base($"{method} {route} on the {cluster} cluster{(address is null ? "" : $" at {address}")} failed: HTTP {(int)status}{(code is null ? "" : $", error {code}")}: {serverMessage}{(attempts is { } tried ? $" ({tried})" : "")}")
    {
        Cluster = cluster;
        Method = method;
        Route = route;
        Status = status;
        Code = code;
        ServerMessage = serverMessage;
    }

    public string Cluster { get; }

    public string Method { get; }

    public string Route { get; }

    public HttpStatusCode Status { get; }

    /// <summary>The platform's error code (e.g. 1007), when the body had one.</summary>
    public int? Code { get; }

    public string ServerMessage { get; }
}
