using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Pipeline;

/// <summary>Bound from <c>Bulwark:Pipeline</c>.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Bulwark:Pipeline";

    /// <summary>Run the in-process workers (turn off for an API-only node).</summary>
    public bool WorkersEnabled { get; set; } = true;

    /// <summary>
    /// Concurrent claim loops in this process. Two let one loop load and run stages while the other commits (measured: the
    /// drain of 60,000 text events on SQLite took 8.3 s with one loop, 5.9 s with two); more rarely helps on SQLite.
    /// </summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 2;

    /// <summary>Items claimed at once; their results commit in one transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Items of one batch processed concurrently (media fetches overlap).</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 8;

    /// <summary>How long a claim is held before another worker may take the item over (a crashed worker's items come back after this).</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    [Range(1, 60_000)]
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>
    /// After a claim that did not fill a batch, wait this long before claiming again so that a trickle of events is processed
    /// in batches rather than one write transaction per event. Adds at most this much to the time to decision.
    /// </summary>
    [Range(0, 10_000)]
    public int LingerMilliseconds { get; set; } = 25;

    /// <summary>Attempts (including the first) before an item is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    [Range(1, 3_600_000)]
    public int BackoffBaseMilliseconds { get; set; } = 1000;

    [Range(1, 86_400_000)]
    public int BackoffMaxMilliseconds { get; set; } = 300_000;
}
