using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TestBench.Harness.Algorithmia;

/// <summary>
/// A typed client for one cluster's platform API (spec: algorithmia-api.md), split by area: <see cref="Data"/>,
/// <see cref="Algorithms"/>, <see cref="Calls"/> and <see cref="Environments"/>. Every area shares one connection
/// pool; management requests share one Polly pipeline for transient failures; replies are records read with a
/// source-generated contract, and errors come back as <see cref="AlgorithmiaApiException"/>, never naming the key.
/// </summary>
public sealed class AlgorithmiaClient : IDisposable
{
    private readonly HttpClient http;

    /// <param name="connection">The cluster and its key.</param>
    /// <param name="time">The clock of retries' back-off (tests pass a fake one).</param>
    /// <param name="limits">How hard management requests are tried (default: 4 retries, 2 minutes an attempt).</param>
    public AlgorithmiaClient(ClusterConnection connection, TimeProvider? time = null, Resilience.RetryLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        var handler = CreateHandler(connection);
        http = Resilience.PlatformHttp.CreateClient(connection.Address, handler);
        http.DefaultRequestHeaders.Authorization = connection.BasicUser is { } user
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{connection.ApiKey}")))
            : new AuthenticationHeaderValue("Simple", connection.ApiKey);
        var transport = new ApiTransport(http, connection, time ?? TimeProvider.System, limits);
        Data = new DataApi(transport);
        Algorithms = new AlgorithmsApi(transport);
        Environments = new EnvironmentsApi(transport);
        Calls = new CallsApi(handler, connection.Address, http.DefaultRequestHeaders.Authorization.ToString(), transport.Endpoint);
    }

    public ClusterConnection Connection { get; }

    public DataApi Data { get; }

    public AlgorithmsApi Algorithms { get; }

    public CallsApi Calls { get; }

    public EnvironmentsApi Environments { get; }

    public void Dispose()
    {
        Calls.Dispose();
        http.Dispose();
    }

    private static SocketsHttpHandler CreateHandler(ClusterConnection connection)
    {
        // The default proxy honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY, for large exports run through a proxy.
        var handler = new SocketsHttpHandler { UseProxy = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (connection.CaCertificateFile is { } caFile)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (errors == SslPolicyErrors.None)
                    {
                        return true;
                    }

                    if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            };
        }

        return handler;
    }
}
