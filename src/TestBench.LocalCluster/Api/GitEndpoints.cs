using System.Text;
using Microsoft.AspNetCore.Http.Features;
using TestBench.Harness.Processes;
using TestBench.LocalCluster.Access;
using TestBench.LocalCluster.Builds;
using TestBench.LocalCluster.Storage;

namespace TestBench.LocalCluster.Api;

/// <summary>
/// Git smart HTTP for algorithm repositories at <c>/git/{owner}/{name}.git</c>, bridged to
/// <c>git http-backend</c> (CGI). Clients authenticate with HTTP Basic <c>user:key</c> (the original tool's
/// <c>https://user:key@git.host/git/user/algo.git</c>); a push starts a build of the new HEAD.
/// </summary>
internal static class GitEndpoints
{
    public static IEndpointRouteBuilder MapGitEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/git/{owner}/{repository}/{**rest}", ["GET", "POST"], ServeAsync);
        return routes;
    }

    private static async Task ServeAsync(HttpContext context, string owner, string repository, string? rest, ApiKeys keys, AlgorithmRegistry registry, GitRepositories git, BuildService builds)
    {
        var caller = keys.Authenticate(context.Request);
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"TestBench local cluster\"";
            await ApiError.Unauthorized($"{context.Request.Method} {context.Request.Path}").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var route = $"{context.Request.Method} {context.Request.Path}";
        var name = repository.EndsWith(".git", StringComparison.Ordinal) ? repository[..^4] : repository;
        if (caller.User != owner)
        {
            await ApiError.Forbidden(route, $"the repository of {owner}/{name}").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (registry.Find(owner, name) is not { } algorithm)
        {
            await ApiError.NotFound(route, $"algorithm {owner}/{name}", ApiError.NoSuchAlgorithm).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var status = await RunBackendAsync(context, git.Root, $"/{owner}/{name}.git/{rest}", caller.User).ConfigureAwait(false);
        if (status == StatusCodes.Status200OK && rest == "git-receive-pack")
        {
            var head = await git.HeadAsync(owner, name, CancellationToken.None).ConfigureAwait(false);
            var known = AlgorithmRegistry.Read(algorithm, a => a.Builds.Any(b => b.CommitSha == head));
            if (!known)
            {
                builds.Start(algorithm, head);
            }
        }
    }

    /// <summary>Runs one CGI request through <c>git http-backend</c>; returns the status it answered.</summary>
    private static async Task<int> RunBackendAsync(HttpContext context, string projectRoot, string pathInfo, string user)
    {
        var request = context.Request;
        var environment = new Dictionary<string, string>
        {
            ["GIT_PROJECT_ROOT"] = projectRoot,
            ["GIT_HTTP_EXPORT_ALL"] = "1",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["PATH_INFO"] = pathInfo,
            ["REQUEST_METHOD"] = request.Method,
            ["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            ["CONTENT_TYPE"] = request.ContentType ?? "",
            ["REMOTE_USER"] = user,
            ["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
        };
        if (request.ContentLength is { } length)
        {
            environment["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            environment["GIT_PROTOCOL"] = protocol;
        }

        using var process = ExternalCommand.Start(new CommandSpec { Program = "git", Arguments = ["http-backend"], IsolateEnvironment = true, Environment = environment });
        var errors = process.StandardError.ReadToEndAsync(context.RequestAborted);
        var upload = CopyBodyAsync(request.Body, process.StandardInput.BaseStream, context.RequestAborted);
        var output = process.StandardOutput.BaseStream;
        var status = StatusCodes.Status200OK;
        foreach (var (name, value) in await ReadCgiHeadersAsync(output, context.RequestAborted).ConfigureAwait(false))
        {
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                status = int.Parse(value.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers.Append(name, value);
            }
        }

        context.Response.StatusCode = status;
        await output.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        await upload.ConfigureAwait(false);
        await process.WaitForExitAsync(context.RequestAborted).ConfigureAwait(false);
        _ = await errors.ConfigureAwait(false);
        return process.ExitCode == 0 ? status : StatusCodes.Status500InternalServerError;
    }

    private static async Task CopyBodyAsync(Stream body, Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            await body.CopyToAsync(stdin, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stdin.Close();
        }
    }

    /// <summary>Reads CGI header lines up to the blank line, byte by byte so no body byte is consumed.</summary>
    private static async Task<List<(string Name, string Value)>> ReadCgiHeadersAsync(Stream output, CancellationToken cancellationToken)
    {
        var headers = new List<(string, string)>();
        var line = new StringBuilder();
        var one = new byte[1];
        while (await output.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 1)
        {
            if (one[0] == '\r')
            {
                continue;
            }

            if (one[0] != '\n')
            {
                line.Append((char)one[0]);
                continue;
            }

            if (line.Length == 0)
            {
                break;
            }

            var text = line.ToString();
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add((text[..colon].Trim(), text[(colon + 1)..].Trim()));
            }

            line.Clear();
        }

        return headers;
    }
}
