namespace TestBench.Harness.Wallaroo;

/// <summary>One orchestration as <c>orchestration/list</c> lists it.</summary>
/// <param name="Id">Its UUID: what a task runs.</param>
/// <param name="Name">The name given at upload, if any.</param>
/// <param name="Sha">The content hash its tasks are found by.</param>
/// <param name="Status"><c>pending_packaging</c>, <c>packaging</c>, <c>ready</c> or a failure.</param>
public sealed record OrchestrationInfo(string Id, string? Name, string Sha, string Status);
