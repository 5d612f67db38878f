using System.Net;

namespace TestBench.Harness.Algorithmia;

/// <summary>A cluster answered a request with an error; the message names the cluster, the route and the server's words.</summary>
public sealed class AlgorithmiaApiException : Exception
{
    public AlgorithmiaApiException(string cluster, string method, string route, HttpStatusCode status, int? code, string serverMessage)
        : base($"{method} {route} on the {cluster} cluster failed: HTTP {(int)status}{(code is null ? "" : $", error {code}")}: {serverMessage}")
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
