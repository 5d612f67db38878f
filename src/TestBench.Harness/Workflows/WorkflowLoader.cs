using System.Text.Json;

namespace TestBench.Harness.Workflows;

/// <summary>
/// Loads workflow files and reports every problem as data (<see cref="WorkflowError"/>); it never throws for
/// a bad file, so one broken workflow cannot hide the others.
/// </summary>
public sealed class WorkflowLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly string repositoryRoot;
    private readonly string algorithmsDirectory;

    /// <param name="repositoryRoot">The folder holding <c>workflows/</c> and <c>algorithms/</c>; file names in
    /// messages are shown relative to it.</param>
    public WorkflowLoader(string repositoryRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repositoryRoot);
        this.repositoryRoot = Path.GetFullPath(repositoryRoot);
        algorithmsDirectory = Path.Combine(this.repositoryRoot, "algorithms");
    }

    /// <summary>Reads, parses and validates one workflow file.</summary>
    public WorkflowLoadResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path, repositoryRoot);
        var file = DisplayPath(fullPath);
        var name = Path.GetFileNameWithoutExtension(fullPath);
        var errors = new WorkflowErrorList(file);

        var workflow = Parse(fullPath, errors) is { } document ? Build(document, name, errors) : null;
        return new WorkflowLoadResult
        {
            Name = name,
            File = file,
            Workflow = errors.Count == 0 ? workflow : null,
            Errors = errors.ToList(),
        };
    }

    /// <summary>Loads a file that must be valid; throws <see cref="WorkflowException"/> listing every problem.</summary>
    public Workflow LoadValid(string path)
    {
        var result = Load(path);
        return result.Workflow ?? throw new WorkflowException(result);
    }

    private Workflow? Build(JsonDocument document, string name, WorkflowErrorList errors)
    {
        using (document)
        {
            var workflow = WorkflowReader.Read(document.RootElement, name, errors);
            if (workflow is not null)
            {
                WorkflowValidator.Validate(workflow, algorithmsDirectory, errors);
            }

            return workflow;
        }
    }

    private static JsonDocument? Parse(string fullPath, WorkflowErrorList errors)
    {
        try
        {
            using var stream = File.OpenRead(fullPath);
            return JsonDocument.Parse(stream, DocumentOptions);
        }
        catch (JsonException e)
        {
            errors.Add(e.Path ?? "$", $"malformed JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add("$", $"cannot read the file: {e.Message}");
        }

        return null;
    }

    // System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …" to its messages; those are reported separately.
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (end < 0)
        {
            end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        return (end < 0 ? message : message[..end]).TrimEnd();
    }

    private string DisplayPath(string fullPath)
    {
        var relative = Path.GetRelativePath(repositoryRoot, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? fullPath
            : relative.Replace('\\', '/');
    }
}
