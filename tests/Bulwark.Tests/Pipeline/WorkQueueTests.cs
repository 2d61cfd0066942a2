using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Pipeline;

public class WorkQueueTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Bulwark:Pipeline:LeaseSeconds"] = "30",
        ["Bulwark:Pipeline:MaxAttempts"] = "3",
        ["Bulwark:Pipeline:BackoffBaseMilliseconds"] = "1000",
    };

    private static async Task Ingest(CoreServices core, int count)
    {
        var events = Enumerable.Range(0, count).Select(i => new ContentEvent { Id = $"c{i}", Kind = "text", Text = $"t{i}" }).ToList();
        var outcomes = await core.Get<IngestService>().AcceptManyAsync(events, default);
        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_claim_is_exclusive_until_its_lease_expires(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings);
        await Ingest(core, 10);
        var queue = core.Get<IWorkQueue>();
        var first = await queue.ClaimAsync("a", 6, default);
        var second = await queue.ClaimAsync("b", 100, default);
        Assert.Equal(6, first.Count);
        Assert.Equal(4, second.Count);
        Assert.Empty(first.Select(w => w.ContentVersionId).Intersect(second.Select(w => w.ContentVersionId)));
        Assert.Empty(await queue.ClaimAsync("c", 100, default));

        core.Clock.Advance(TimeSpan.FromSeconds(31)); // worker "a" died: its lease runs out
        await queue.CompleteAsync(second, default);
        var again = await queue.ClaimAsync("c", 100, default);
        Assert.Equal(first.Select(w => w.ContentVersionId).Order(), again.Select(w => w.ContentVersionId).Order());
        Assert.All(again, w => Assert.Equal(2, w.Attempt));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Only_the_holder_of_a_live_lease_can_renew_it(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings);
        await Ingest(core, 2);
        var queue = core.Get<IWorkQueue>();
        var mine = await queue.ClaimAsync("a", 1, default);
        var theirs = await queue.ClaimAsync("b", 1, default);

        core.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await queue.RenewAsync(mine, default));
        core.Clock.Advance(TimeSpan.FromSeconds(20)); // 40 s after the claims: b's lease ran out, a's renewed one did not
        Assert.Equal(theirs.Select(w => w.ContentVersionId), (await queue.ClaimAsync("c", 10, default)).Select(w => w.ContentVersionId).ToList());
        Assert.Equal(0, await queue.RenewAsync(theirs, default)); // b's receipt no longer holds the lease: lost to c
        core.Clock.Advance(TimeSpan.FromSeconds(11)); // a's lease expired too: too late to renew it
        Assert.Equal(0, await queue.RenewAsync(mine, default));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_worker_renews_the_leases_of_a_slow_batch_so_no_second_worker_gets_it(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings);
        await Ingest(core, 1);
        var queue = core.Get<IWorkQueue>();
        var options = new PipelineOptions { Workers = 1, LeaseSeconds = 30, PollMilliseconds = 20, LingerMilliseconds = 0 };
        var slow = new SlowExtractor();
        var processor = new PipelineProcessor(core.Get<IBulwarkDbFactory>(), [slow], core.Get<IPolicyDecider>(), [],
            core.Clock, core.Get<Bulwark.Core.Telemetry.BulwarkMetrics>(), options,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PipelineProcessor>.Instance, core.Get<Bulwark.Core.Actions.Restrictions.RestrictionWriter>());
        using var worker = new PipelineWorker(queue, processor, options, new WorkSignal(), new WorkerStatus(), core.Get<Bulwark.Core.Telemetry.BulwarkMetrics>(),
            new Backoff(options, new Random(1)), new PipelineStatus(core.Get<IBulwarkDbFactory>()), core.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<PipelineWorker>.Instance);
        await worker.StartAsync(default);
        try
        {
            await slow.Entered.Task.WaitAsync(Eventually.Deadline);
            // 45 s of a stage that outlasts the 30 s lease, a second at a time.
            for (var i = 0; i < 45; i++)
            {
                core.Clock.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(50);
            }
            Assert.Empty(await queue.ClaimAsync("other", 10, default));
            slow.Release.SetResult();
            await Eventually.UntilAsync(async () => await queue.DepthAsync(default) == 0);
            await using var db = core.Get<IBulwarkDbFactory>().Create();
            Assert.Equal(1, await db.Decisions.CountAsync());
            Assert.Equal(1, slow.Calls); // processed once, by the first worker
        }
        finally
        {
            slow.Release.TrySetResult();
            await worker.StopAsync(default);
        }
    }

    private sealed class SlowExtractor : ISignalExtractor
    {
        private int _calls;
        public int Calls => _calls;
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Name => "slow";

        public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            Entered.TrySetResult();
            await Release.Task.WaitAsync(ct);
            return StageResult.Success;
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Concurrent_claimers_never_receive_the_same_item(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings);
        await Ingest(core, 300);
        var queue = core.Get<IWorkQueue>();
        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            var mine = new List<long>();
            IReadOnlyList<ClaimedWork> batch;
            while ((batch = await queue.ClaimAsync($"w{i}", 7, default)).Count > 0) mine.AddRange(batch.Select(b => b.ContentVersionId));
            return mine;
        })));
        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(300, all.Count);
        Assert.Equal(300, all.Distinct().Count());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Retryable_failures_back_off_then_dead_letter_after_max_attempts_and_can_be_retried(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings);
        await Ingest(core, 1);
        var queue = core.Get<IWorkQueue>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var claimed = Assert.Single(await queue.ClaimAsync("w", 10, default));
            Assert.Equal(attempt, claimed.Attempt);
            var dead = await queue.FailAsync([new WorkFailure(claimed, "receiver timed out", Retryable: true)], default);
            if (attempt < 3)
            {
                Assert.Empty(dead);
                Assert.Empty(await queue.ClaimAsync("w", 10, default)); // not before the backoff
                core.Clock.Advance(TimeSpan.FromMilliseconds(1000 * Math.Pow(2, attempt - 1)));
            }
            else Assert.Single(dead);
        }
        var letter = Assert.Single(await queue.ListDeadLettersAsync(0, 10, default));
        Assert.Equal("c0", letter.ContentId);
        Assert.Equal("receiver timed out", letter.LastError);
        Assert.Equal(0, await queue.DepthAsync(default));
        Assert.Equal(ContentStatus.Queued, await StatusOf(core, "c0")); // the queue never changes content status

        var versionId = Assert.Single(await queue.RetryDeadLettersAsync(null, default));
        Assert.Equal(letter.ContentVersionId, versionId);
        Assert.Equal(1, Assert.Single(await queue.ClaimAsync("w", 10, default)).Attempt);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_pipeline_marks_a_dead_letter_failed_and_a_retried_one_queued(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings);
        await Ingest(core, 1);
        var queue = core.Get<IWorkQueue>();
        var failure = new WorkFailure(Assert.Single(await queue.ClaimAsync("w", 10, default)), "unreadable", Retryable: false);
        await core.Get<PipelineStatus>().MarkFailedAsync([failure], default);
        Assert.Single(await queue.FailAsync([failure], default));
        Assert.Equal(ContentStatus.Failed, await StatusOf(core, "c0"));

        Assert.Equal(1, await core.Get<DeadLetterRetry>().RetryAsync(null, default));
        Assert.Equal(ContentStatus.Queued, await StatusOf(core, "c0"));
        Assert.Equal(1, Assert.Single(await queue.ClaimAsync("w", 10, default)).Attempt);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_permanent_failure_dead_letters_at_once(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings);
        await Ingest(core, 1);
        var queue = core.Get<IWorkQueue>();
        var claimed = Assert.Single(await queue.ClaimAsync("w", 10, default));
        Assert.Single(await queue.FailAsync([new WorkFailure(claimed, "unreadable", Retryable: false)], default));
        Assert.Equal(1, await queue.DeadLetterCountAsync(default));
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_and_is_capped()
    {
        var backoff = new Backoff(new PipelineOptions { BackoffBaseMilliseconds = 100, BackoffMaxMilliseconds = 1000 }, new Random(7));
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var ceiling = Math.Min(1000, 100 * Math.Pow(2, attempt - 1));
            var d = backoff.Delay(attempt).TotalMilliseconds;
            Assert.InRange(d, ceiling / 2, ceiling);
        }
    }

    internal static async Task<string> StatusOf(CoreServices core, string id)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return (await db.ContentVersions.Where(v => v.ContentId == id).OrderByDescending(v => v.Version).FirstAsync()).Status;
    }
}
