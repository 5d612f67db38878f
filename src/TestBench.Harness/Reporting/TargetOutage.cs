namespace TestBench.Harness.Reporting;

/// <summary>A target that stopped answering during the run: the case during which it was found, and the fault.</summary>
/// <param name="Target">The target (<c>local</c>, <c>racetrack</c>…).</param>
/// <param name="FoundDuring">The case that was running, e.g. <c>hello_world › basic test</c>.</param>
/// <param name="Reason">The fault's sentence (server, address, request, what happened, what was tried).</param>
/// <param name="At">When it was found.</param>
public sealed record TargetOutage(string Target, string FoundDuring, string Reason, DateTimeOffset At)
{
    /// <summary>What <see cref="FoundDuring"/> says of a target that could not be set up when the run started.</summary>
    public const string StartOfRun = "the start of the run";

    /// <summary>What happened to the target, for the report: <c>The racetrack target stopped answering during '…': …</c>.</summary>
    public string Headline() => FoundDuring == StartOfRun
        ? $"The {Target} target could not be set up at the start of the run: {Reason}"
        : $"The {Target} target stopped answering during '{FoundDuring}': {Reason}";

    /// <summary>The reason a later case on the target is not run.</summary>
    public string Describe() => FoundDuring == StartOfRun
        ? $"not run: the {Target} target could not be set up at the start of the run ({At:HH:mm:ss} UTC): {Reason} Its cases fail at once; the other targets run as usual."
        : $"not run: the {Target} target stopped answering during '{FoundDuring}' ({At:HH:mm:ss} UTC): {Reason} Its remaining cases fail at once; start it again and rerun them.";
}
