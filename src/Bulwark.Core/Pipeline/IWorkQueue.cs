namespace Bulwark.Core.Pipeline;

/// <summary>An item handed to a worker. <see cref="Attempt"/> counts this delivery (1 for the first).</summary>
public sealed record ClaimedWork(long WorkItemId, long ContentVersionId, int Attempt);

public sealed record WorkFailure(ClaimedWork Work, string Error, bool Retryable);

public sealed record DeadLetter(long WorkItemId, long ContentVersionId, string ContentId, int Version, int Attempts, string? LastError, DateTimeOffset? DeadLetteredAt);

/// <summary>
/// The durable work queue between ingestion and the pipeline: at-least-once delivery with leases.
/// The database implementation is the inbox written with each acceptance; a broker (NATS JetStream is planned)
/// can implement the same contract, fed by an outbox relay.
/// </summary>
public interface IWorkQueue
{
    /// <summary>Leases up to <paramref name="max"/> ready items to <paramref name="owner"/>.</summary>
    Task<IReadOnlyList<ClaimedWork>> ClaimAsync(string owner, int max, CancellationToken ct);

    /// <summary>
    /// Extends the leases <paramref name="owner"/> still holds on <paramref name="workItemIds"/> by a full lease from now, so
    /// that slow work (video, OCR) is not handed to a second worker while the first is still on it. Returns how many
    /// leases were extended; fewer than asked means some were lost (expired and claimed by another worker, or completed).
    /// </summary>
    Task<int> RenewAsync(string owner, IReadOnlyCollection<long> workItemIds, CancellationToken ct);

    /// <summary>Acknowledges items whose results are committed.</summary>
    Task CompleteAsync(IReadOnlyCollection<long> workItemIds, CancellationToken ct);

    /// <summary>Schedules retries with backoff, or dead-letters items that failed permanently or too often. Returns the dead-lettered ones.</summary>
    Task<IReadOnlyList<ClaimedWork>> FailAsync(IReadOnlyList<WorkFailure> failures, CancellationToken ct);

    /// <summary>Items waiting or in progress (dead letters excluded).</summary>
    Task<long> DepthAsync(CancellationToken ct);

    Task<long> DeadLetterCountAsync(CancellationToken ct);

    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(long afterId, int limit, CancellationToken ct);

    /// <summary>Puts dead letters back in the queue with fresh attempts; all of them when <paramref name="workItemIds"/> is null.</summary>
    Task<int> RetryDeadLettersAsync(IReadOnlyCollection<long>? workItemIds, CancellationToken ct);
}
