using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Pipeline.Conformance;

/// <summary>
/// What every <see cref="IWorkQueue"/> must do, run against each implementation (a subclass per queue): an acknowledged
/// (ingested) item is eventually claimed, by one claimer at a time; a claim not completed comes back after its lease with the
/// next attempt number, also past the last attempt so the listener can dead-letter it; a retry waits at least its backoff;
/// the last failed attempt, or a permanent failure, dead-letters the item, visible in the dead letters until retried; a
/// redelivered item is decided once (the processor's idempotent commit); the queue never changes content status. Claim order
/// is not promised, so every comparison is of sets.
/// </summary>
public abstract class WorkQueueConformance
{
    private const int MaxAttempts = 3; // QueueHarness.Settings

    /// <summary>A fresh queue on a fresh database with the given lease.</summary>
    protected abstract Task<QueueHarness> StartAsync(DatabaseProvider provider, int leaseSeconds);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Every_ingested_item_is_claimed_once_across_claimers_and_gone_once_completed(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider, leaseSeconds: 300);
        var ids = await IngestAsync(h, 40);
        var claimed = new List<ClaimedWork>();
        var owners = new[] { "a", "b" };
        var round = 0;
        await UntilAsync(h, async () =>
        {
            claimed.AddRange(await h.Queue.ClaimAsync(owners[round++ % 2], 15, default));
            return claimed.Count >= ids.Count;
        });
        Assert.Equal(ids.Count, claimed.Count); // no item handed to both claimers
        Assert.Equal(ids.Order(), claimed.Select(c => c.ContentVersionId).Order());
        Assert.All(claimed, c => Assert.Equal(1, c.Attempt));

        await h.Queue.CompleteAsync(claimed, default);
        Assert.True(await Eventually.UntilAsync(async () => await h.Queue.DepthAsync(default) == 0));
        await h.PassAsync(TimeSpan.FromSeconds(1));
        Assert.Empty(await h.Queue.ClaimAsync("c", 100, default));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_claim_not_completed_comes_back_after_its_lease_with_the_next_attempt(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider, leaseSeconds: 2);
        var id = Assert.Single(await IngestAsync(h, 1));
        var first = await ClaimOneAsync(h, "crashed");
        Assert.Equal((id, 1), (first.ContentVersionId, first.Attempt));
        await h.PassAsync(TimeSpan.FromSeconds(3)); // the claimer died: its lease runs out
        var again = await ClaimOneAsync(h, "survivor");
        Assert.Equal((id, 2), (again.ContentVersionId, again.Attempt));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deliveries_continue_past_the_last_attempt_so_the_listener_can_dead_letter_the_item(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider, leaseSeconds: 2);
        await IngestAsync(h, 1);
        ClaimedWork last = null!;
        for (var attempt = 1; attempt <= MaxAttempts + 1; attempt++)
        {
            last = await ClaimOneAsync(h, $"dies-{attempt}");
            Assert.Equal(attempt, last.Attempt);
            if (attempt <= MaxAttempts) await h.PassAsync(TimeSpan.FromSeconds(3));
        }
        // What the processor does with such an item: a permanent failure ("gave up after N attempts").
        Assert.Single(await h.Queue.FailAsync([new WorkFailure(last, "gave up", Retryable: false)], default));
        Assert.Equal(1, await h.Queue.DeadLetterCountAsync(default));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_retry_waits_at_least_its_backoff(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider, leaseSeconds: 300);
        await IngestAsync(h, 1);
        var first = await ClaimOneAsync(h, "w");
        var failedAt = h.Now;
        Assert.Empty(await h.Queue.FailAsync([new WorkFailure(first, "receiver timed out", Retryable: true)], default));
        var again = await ClaimOneAsync(h, "w");
        Assert.Equal(2, again.Attempt);
        // Attempt 1's backoff is between half and all of the 1 s base (Backoff: half fixed, half jitter).
        Assert.True(h.Now - failedAt >= TimeSpan.FromMilliseconds(500), $"redelivered after {(h.Now - failedAt).TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_last_failed_attempt_dead_letters_the_item_until_it_is_retried(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider, leaseSeconds: 300);
        var id = Assert.Single(await IngestAsync(h, 1));
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var claimed = await ClaimOneAsync(h, "w");
            Assert.Equal(attempt, claimed.Attempt);
            var dead = await h.Queue.FailAsync([new WorkFailure(claimed, $"receiver timed out ({attempt})", Retryable: true)], default);
            Assert.Equal(attempt == MaxAttempts ? 1 : 0, dead.Count);
        }
        var letter = Assert.Single(await h.Queue.ListDeadLettersAsync(0, 10, default));
        Assert.Equal(("c0", id, MaxAttempts, $"receiver timed out ({MaxAttempts})"), (letter.ContentId, letter.ContentVersionId, letter.Attempts, letter.LastError));
        Assert.True(await Eventually.UntilAsync(async () => await h.Queue.DepthAsync(default) == 0));
        Assert.Equal(ContentStatus.Queued, await StatusAsync(h, id)); // the queue never changes content status
        await h.PassAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(await h.Queue.ClaimAsync("w", 10, default));

        Assert.Equal([id], await h.Queue.RetryDeadLettersAsync(null, default));
        Assert.Equal(0, await h.Queue.DeadLetterCountAsync(default));
        var retried = await ClaimOneAsync(h, "w");
        Assert.Equal((id, 1), (retried.ContentVersionId, retried.Attempt));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_permanent_failure_dead_letters_at_once(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider, leaseSeconds: 300);
        await IngestAsync(h, 1);
        var claimed = await ClaimOneAsync(h, "w");
        Assert.Single(await h.Queue.FailAsync([new WorkFailure(claimed, "unreadable", Retryable: false)], default));
        Assert.Equal("unreadable", Assert.Single(await h.Queue.ListDeadLettersAsync(0, 10, default)).LastError);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_redelivered_item_is_decided_once(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider, leaseSeconds: 2);
        var id = Assert.Single(await IngestAsync(h, 1));
        var slow = await ClaimOneAsync(h, "slow");
        await h.PassAsync(TimeSpan.FromSeconds(3)); // the slow worker's lease runs out
        var fast = await ClaimOneAsync(h, "fast");
        Assert.Equal(id, fast.ContentVersionId);

        var processor = h.Core.Get<PipelineProcessor>();
        var fastOutcome = await processor.ProcessAsync([fast], default);
        var slowOutcome = await processor.ProcessAsync([slow], default); // finishes later: finds it decided
        Assert.Equal([fast, slow], fastOutcome.Completed.Concat(slowOutcome.Completed));
        await h.Queue.CompleteAsync(fastOutcome.Completed, default);
        await h.Queue.CompleteAsync(slowOutcome.Completed, default);

        await using var db = h.Core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.Decisions.CountAsync(d => d.ContentVersionId == id));
        Assert.Equal(ContentStatus.Decided, await StatusAsync(h, id));
        Assert.True(await Eventually.UntilAsync(async () => await h.Queue.DepthAsync(default) == 0));
    }

    private static async Task<List<long>> IngestAsync(QueueHarness h, int count)
    {
        var events = Enumerable.Range(0, count).Select(i => new ContentEvent { Id = $"c{i}", Kind = "text", Text = $"an ordinary caption {i}" }).ToList();
        var outcomes = await h.Core.Get<IngestService>().AcceptManyAsync(events, default);
        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
        await using var db = h.Core.Get<IBulwarkDbFactory>().Create();
        return await db.ContentVersions.Select(v => v.Id).ToListAsync();
    }

    /// <summary>Claims until one item arrives (a broker's relay and redelivery take real time), letting time pass between tries.</summary>
    private static async Task<ClaimedWork> ClaimOneAsync(QueueHarness h, string owner)
    {
        ClaimedWork? got = null;
        await UntilAsync(h, async () =>
        {
            var batch = await h.Queue.ClaimAsync(owner, 10, default);
            Assert.True(batch.Count <= 1, $"expected at most one item, got {batch.Count}");
            got = batch.Count == 1 ? batch[0] : null;
            return got is not null;
        });
        return got!;
    }

    private static async Task UntilAsync(QueueHarness h, Func<Task<bool>> done)
    {
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            if (await done()) return true;
            await h.PassAsync(TimeSpan.FromMilliseconds(100));
            return false;
        }), "the queue never delivered what was expected");
    }

    private static async Task<string> StatusAsync(QueueHarness h, long versionId)
    {
        await using var db = h.Core.Get<IBulwarkDbFactory>().Create();
        return (await db.ContentVersions.FirstAsync(v => v.Id == versionId)).Status;
    }
}

/// <summary>The conformance suite on the database queue (SQLite and PostgreSQL).</summary>
public sealed class DbWorkQueueConformanceTests : WorkQueueConformance
{
    protected override async Task<QueueHarness> StartAsync(DatabaseProvider provider, int leaseSeconds) =>
        new DbQueueHarness(await CoreServices.CreateAsync(provider, QueueHarness.Settings(leaseSeconds)));
}
