namespace TestBench.Harness.Running;

/// <summary>The stage a generated case belongs to; its name is the value of the <c>Stage</c> trait.</summary>
public enum CaseStage
{
    /// <summary>The workflow file could not be loaded or failed validation.</summary>
    Load,

    /// <summary>Exporting one algorithm from the source cluster into the destination cluster.</summary>
    Export,

    /// <summary>Running one test entry against the exported entrypoint.</summary>
    Benchmark,

    /// <summary>Deleting every exported algorithm of the workflow (opt-in, like the original tool's delete step).</summary>
    Cleanup,
}
