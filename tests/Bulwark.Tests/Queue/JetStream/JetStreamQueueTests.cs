using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Queue.JetStream;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.Pipeline.Conformance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.JetStream;

namespace Bulwark.Tests.Queue.JetStream;

/// <summary>What the JetStream queue does beyond the conformance suite: the outbox, duplicates, a broker that is away or lacks JetStream.</summary>
public class JetStreamQueueTests
{
    private static async Task<List<long>> IngestAsync(QueueHarness h, int count, string prefix = "e")
    {
        var events = Enumerable.Range(0, count).Select(i => new Bulwark.Core.Ingest.ContentEvent { Id = $"{prefix}{i}", Kind = "text", Text = $"caption {i}" }).ToList();
        var outcomes = await h.Core.Get<Bulwark.Core.Ingest.IngestService>().AcceptManyAsync(events, default);
        Assert.All(outcomes, o => Assert.Equal(Bulwark.Core.Ingest.IngestStatus.Accepted, o.Status));
        await using var db = h.Core.Get<IBulwarkDbFactory>().Create();
        return await db.ContentVersions.Where(v => v.ContentId.StartsWith(prefix)).Select(v => v.Id).ToListAsync();
    }

    private static async Task<List<long>> ClaimAllAsync(QueueHarness h, int count)
    {
        var claimed = new List<ClaimedWork>();
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            claimed.AddRange(await h.Queue.ClaimAsync("w", 100, default));
            return claimed.Count >= count;
        }), $"claimed {claimed.Count} of {count}");
        await h.Queue.CompleteAsync(claimed, default);
        return claimed.Select(c => c.ContentVersionId).ToList();
    }

    [Fact]
    public async Task Ingest_accepts_while_the_broker_is_down_and_the_relay_drains_the_outbox_when_it_returns()
    {
        JetStreamHarness.RequireNats();
        using var server = new NatsServerProcess();
        await using var h = await JetStreamHarness.StartAsync(DatabaseProvider.Sqlite, QueueHarness.Settings(300), JetStreamHarness.UniqueOptions(server.Url));
        var ids = await IngestAsync(h, 25); // acknowledged with no broker at all: they wait in the outbox
        await using (var db = h.Core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(25, await db.WorkItems.CountAsync(w => !w.DeadLettered));

        await server.StartAsync();
        Assert.Equal(ids.Order(), (await ClaimAllAsync(h, 25)).Order());
        // Relayed rows are deleted after the publish is acknowledged, so a worker may claim a message before its row is gone.
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            await using var db = h.Core.Get<IBulwarkDbFactory>().Create();
            return await db.WorkItems.CountAsync() == 0;
        }), "the relayed rows were not deleted");
    }

    [Fact]
    public async Task A_row_published_again_after_a_relay_crash_is_one_message_and_the_duplicate_counts_as_relayed()
    {
        await using var h = await JetStreamHarness.StartAsync(DatabaseProvider.Sqlite, QueueHarness.Settings(300), startRelay: false);
        await IngestAsync(h, 1);
        Bulwark.Core.Storage.WorkItem row;
        await using (var db = h.Core.Get<IBulwarkDbFactory>().Create()) row = await db.WorkItems.AsNoTracking().SingleAsync();
        Assert.Equal(1, await h.Relay.RelayOnceAsync(default));

        // A relay that crashed after the server stored the message and before deleting the row: the row is still there.
        await using (var db = h.Core.Get<IBulwarkDbFactory>().Create())
        {
            row.LeaseOwner = null;
            row.LeaseUntil = null;
            db.WorkItems.Add(row);
            await db.SaveChangesAsync();
        }
        Assert.Equal(1, await h.Relay.RelayOnceAsync(default)); // the server answers "duplicate": no error, the row goes
        await using (var db = h.Core.Get<IBulwarkDbFactory>().Create()) Assert.Equal(0, await db.WorkItems.CountAsync());
        var stream = await h.Broker.Context.GetStreamAsync(h.Broker.Options.Stream);
        Assert.Equal(1L, stream.Info.State.Messages);
        Assert.Equal(row.ContentVersionId, Assert.Single(await h.Queue.ClaimAsync("w", 10, default)).ContentVersionId);
    }

    [Fact]
    public async Task A_server_without_JetStream_is_refused_with_an_error_that_says_so()
    {
        JetStreamHarness.RequireNats();
        using var server = new NatsServerProcess(jetStream: false);
        await server.StartAsync();
        await using var broker = new JetStreamBroker(JetStreamHarness.UniqueOptions(server.Url), new PipelineOptions(), NullLogger<JetStreamBroker>.Instance);
        var error = await Assert.ThrowsAsync<JetStreamUnavailableException>(async () => await broker.ConsumerAsync(default));
        Assert.Contains(server.Url, error.Message);
        Assert.Contains("JetStream enabled", error.Message);
    }

    [Fact]
    public async Task A_stream_deleted_under_running_workers_is_recreated_and_new_work_flows_again()
    {
        await using var h = await JetStreamHarness.StartAsync(DatabaseProvider.Sqlite, QueueHarness.Settings(300));
        Assert.Single(await ClaimAllAsync(h, (await IngestAsync(h, 1, "before")).Count));
        await h.Broker.Context.DeleteStreamAsync(h.Broker.Options.Stream);
        var after = await IngestAsync(h, 3, "after");
        // The relay's publish finds no stream (no responders) or the worker's fetch fails: either resets the broker, which
        // verifies and recreates stream and consumer; the outbox rows are still there and are relayed then.
        var claimed = new List<long>();
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            try
            {
                var batch = await h.Queue.ClaimAsync("w", 10, default);
                await h.Queue.CompleteAsync(batch, default);
                claimed.AddRange(batch.Select(b => b.ContentVersionId));
            }
            catch (Exception ex) when (ex is JetStreamUnavailableException or NATS.Client.Core.NatsException) { }
            return claimed.Count >= after.Count;
        }));
        Assert.Equal(after.Order(), claimed.Order());
    }

    [Fact]
    public async Task A_message_for_a_version_that_no_longer_exists_is_completed_without_effect()
    {
        await using var h = await JetStreamHarness.StartAsync(DatabaseProvider.Sqlite, QueueHarness.Settings(300));
        await h.Broker.ConsumerAsync(default);
        (await h.Broker.Context.PublishAsync(h.Broker.Options.Subject, "987654")).EnsureSuccess();
        var claimed = new List<ClaimedWork>();
        Assert.True(await Eventually.UntilAsync(async () => { claimed.AddRange(await h.Queue.ClaimAsync("w", 10, default)); return claimed.Count > 0; }));
        var outcome = await h.Core.Get<PipelineProcessor>().ProcessAsync(claimed, default);
        Assert.Equal(claimed, outcome.Completed);
        await h.Queue.CompleteAsync(outcome.Completed, default);
        Assert.True(await Eventually.UntilAsync(async () => await h.Queue.DepthAsync(default) == 0));
    }
}
