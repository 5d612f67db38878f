namespace TestBench.Harness.Resilience;

/// <summary>When a request may be sent again after a failure.</summary>
public enum Replay
{
    /// <summary>It is idempotent (a read, a delete, a kill): after any transient failure.</summary>
    Safe,

    /// <summary>It changes something (a deployment, an upload, a task run): only when the server cannot have seen it
    /// (a refused connection, a name that did not resolve) or answered 429, so nothing is ever done twice.</summary>
    OnlyIfNeverSent,

    /// <summary>It is a benchmark call: never sent again, its failure is what was measured.</summary>
    Never,
}
