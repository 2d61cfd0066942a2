using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Records;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Pipeline;

public class PipelineProcessorTests
{
    private static async Task<BatchOutcome> RunOnce(CoreServices core)
    {
        var queue = core.Get<IWorkQueue>();
        var batch = await queue.ClaimAsync("test", 100, default);
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(batch, default);
        await queue.CompleteAsync(outcome.Completed, default);
        await queue.FailAsync(outcome.Failed, default);
        return outcome;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_uploaded_file_on_a_hash_list_goes_to_review_with_an_explanation(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var bytes = "synthetic test media"u8.ToArray();
        var stored = await core.Get<IMediaStore>().PutAsync(new MemoryStream(bytes), 1000, default);
        var banks = core.Get<BankService>();
        await banks.CreateAsync("test-bank", null, "tester", default);
        var entry = await banks.AddExactAsync("test-bank", "md5", stored.Md5!, ["perpetrator-produced"], "tester", default);
        var uploads = new Dictionary<string, StoredMedia> { ["f.bin"] = new("f.bin", stored.Sha256!, stored.Size, "video/mp4") };
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "v1", Kind = "video", Media = [new MediaRef { Part = "f.bin" }] }, uploads, default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "nothing here" }, null, default);

        var outcome = await RunOnce(core);
        Assert.Equal(2, outcome.Completed.Count);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var decisions = await db.Decisions.ToDictionaryAsync(d => d.ContentId);
        Assert.Equal((Outcomes.Review, "known-content"), (decisions["v1"].Outcome, decisions["v1"].Queue));
        Assert.Contains($"entry {entry.Id} of bank 'test-bank' labelled perpetrator-produced", decisions["v1"].Explanation);
        Assert.Equal(Outcomes.NoAction, decisions["t1"].Outcome);
        var match = await db.Signals.SingleAsync(s => s.Type == SignalTypes.HashMatch);
        Assert.Equal(("test-bank", 0, $"md5:{stored.Md5}"), (match.Bank, match.Distance!.Value, match.Value));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "content.decided"));
        Assert.Empty(await db.WorkItems.ToListAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_redelivered_item_is_not_decided_twice(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, new() { ["Bulwark:Pipeline:LeaseSeconds"] = "10" });
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "x" }, null, default);
        var queue = core.Get<IWorkQueue>();
        var processor = core.Get<PipelineProcessor>();
        var batch = await queue.ClaimAsync("first", 10, default);
        var outcome = await processor.ProcessAsync(batch, default);
        Assert.Single(outcome.Completed);
        // The worker dies before acknowledging; the lease runs out and another worker gets the item again.
        core.Clock.Advance(TimeSpan.FromSeconds(11));
        var redelivered = await queue.ClaimAsync("second", 10, default);
        Assert.Equal(2, Assert.Single(redelivered).Attempt);
        var second = await processor.ProcessAsync(redelivered, default);
        Assert.Single(second.Completed);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.Decisions.CountAsync());
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "content.decided"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_failing_stage_is_retried_and_its_partial_signals_are_not_kept(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "x" }, null, default);
        var flaky = new FlakyExtractor(failures: 1);
        var processor = new PipelineProcessor(core.Get<IBulwarkDbFactory>(), [flaky], core.Get<IPolicyDecider>(), [],
            core.Clock, core.Get<Bulwark.Core.Telemetry.BulwarkMetrics>(), core.Get<PipelineOptions>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PipelineProcessor>.Instance, core.Get<Bulwark.Core.Actions.Restrictions.RestrictionWriter>());
        var queue = core.Get<IWorkQueue>();

        var first = await processor.ProcessAsync(await queue.ClaimAsync("w", 10, default), default);
        var failure = Assert.Single(first.Failed);
        Assert.True(failure.Retryable);
        Assert.Contains("flaky: upstream unavailable", failure.Error);
        await queue.FailAsync(first.Failed, default);
        core.Clock.Advance(TimeSpan.FromMinutes(1));

        var second = await processor.ProcessAsync(await queue.ClaimAsync("w", 10, default), default);
        Assert.Single(second.Completed);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.Signals.CountAsync()); // only the successful attempt's signal
    }

    private sealed class FlakyExtractor(int failures) : ISignalExtractor
    {
        private int _calls;
        public string Name => "flaky";

        public ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
        {
            context.Signals.Add(new Signal("test.seen", Name, $"call {_calls + 1}"));
            return ValueTask.FromResult(Interlocked.Increment(ref _calls) <= failures ? StageResult.Transient("upstream unavailable") : StageResult.Success);
        }
    }
}
