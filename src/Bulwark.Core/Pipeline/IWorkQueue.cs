using Bulwark.Core.Storage;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// What a queue hands out with a claim and wants back to acknowledge, renew or fail it. Opaque: only the queue that issued
/// it reads it (a row id and lease owner for the database queue, a broker message for JetStream).
/// </summary>
public abstract class WorkReceipt;

/// <summary>An item handed to a worker. <see cref="Attempt"/> counts this delivery (1 for the first).</summary>
public sealed record ClaimedWork(WorkReceipt Receipt, long ContentVersionId, int Attempt);

public sealed record WorkFailure(ClaimedWork Work, string Error, bool Retryable)
{
    /// <summary>The listener's rule, the same for every queue: a permanent failure, or a retryable one on its last attempt, is dead-lettered.</summary>
    public bool IsFinal(int maxAttempts) => !Retryable || Work.Attempt >= maxAttempts;
}

public sealed record DeadLetter(long WorkItemId, long ContentVersionId, string ContentId, int Version, int Attempts, string? LastError, DateTimeOffset? DeadLetteredAt);

/// <summary>
/// Where ingest hands an accepted version, inside the transaction that stores it (a transactional outbox): the caller commits,
/// so an acknowledged event always has its inbox entry. The queue takes it from there — the database queue claims the rows
/// directly, a broker queue relays them to the broker.
/// </summary>
public interface IWorkInbox
{
    Task AddAsync(BulwarkDbContext db, IReadOnlyList<long> contentVersionIds, DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// The durable work queue between ingestion and the pipeline: at-least-once delivery with leases. It knows items and
/// receipts, never content status (that belongs to the pipeline). Every implementation passes the same conformance suite
/// (<c>tests/Bulwark.Tests/Pipeline/Conformance/</c>): an added item is eventually claimed, an item not completed comes back
/// (lease expiry), retries wait for their backoff, an item failing <see cref="PipelineOptions.MaxAttempts"/> times is
/// dead-lettered, and claim order is not promised.
/// </summary>
public interface IWorkQueue
{
    /// <summary>Leases up to <paramref name="max"/> ready items to <paramref name="owner"/>.</summary>
    Task<IReadOnlyList<ClaimedWork>> ClaimAsync(string owner, int max, CancellationToken ct);

    /// <summary>
    /// True when <see cref="ClaimAsync"/> itself waits for work to arrive (a broker's long poll), so the worker need not also
    /// wait for the in-process <see cref="WorkSignal"/> after an empty claim.
    /// </summary>
    bool ClaimWaits => false;

    /// <summary>
    /// Extends the leases still held on <paramref name="work"/> by a full lease from now, so that slow work (video, OCR) is not
    /// handed to a second worker while the first is still on it. Returns how many leases were extended; fewer than asked means
    /// some were lost (expired and claimed by another worker, or completed).
    /// </summary>
    Task<int> RenewAsync(IReadOnlyCollection<ClaimedWork> work, CancellationToken ct);

    /// <summary>Acknowledges items whose results are committed.</summary>
    Task CompleteAsync(IReadOnlyCollection<ClaimedWork> work, CancellationToken ct);

    /// <summary>
    /// Schedules retries with backoff, or dead-letters the failures that are final (<see cref="WorkFailure.IsFinal"/>).
    /// Returns the dead-lettered ones.
    /// </summary>
    Task<IReadOnlyList<ClaimedWork>> FailAsync(IReadOnlyList<WorkFailure> failures, CancellationToken ct);

    /// <summary>Items waiting or in progress (dead letters excluded).</summary>
    Task<long> DepthAsync(CancellationToken ct);

    /// <summary>
    /// Whether the version is claimed by a worker right now, when the queue can tell cheaply; null when it cannot (a broker
    /// does not index its messages by version).
    /// </summary>
    Task<bool?> IsInProgressAsync(long contentVersionId, CancellationToken ct);

    Task<long> DeadLetterCountAsync(CancellationToken ct);

    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(long afterId, int limit, CancellationToken ct);

    /// <summary>
    /// Puts dead letters back in the queue with fresh attempts; all of them when <paramref name="workItemIds"/> is null.
    /// Returns the content versions put back (the pipeline resets their status; see <see cref="DeadLetterRetry"/>).
    /// </summary>
    Task<IReadOnlyList<long>> RetryDeadLettersAsync(IReadOnlyCollection<long>? workItemIds, CancellationToken ct);
}
