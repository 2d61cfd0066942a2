using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Actions;

/// <summary>
/// The webhook worker wakes when this process commits actions (issue 18): with a poll interval of a minute on a fake clock that
/// never moves, a delivery that arrives at all arrived through the wake, not through a poll.
/// </summary>
public class WebhookWakeTests
{
    private const string Secret = "test-secret-0123456789abcdefghij";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Actions_committed_while_the_worker_waits_are_delivered_without_waiting_for_a_poll(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, new()
        {
            ["Bulwark:Webhooks:AllowedInternal:0"] = "127.0.0.1",
            ["Bulwark:Webhooks:PollMilliseconds"] = "60000",
        });
        await using var receiver = await TestReceiver.StartAsync();
        await core.Get<WebhookService>().CreateAsync(new NewWebhook("platform", receiver.Url + "/hook", Secret, null, IncludeHistory: true), "test", default);
        var worker = ActivatorUtilities.CreateInstance<WebhookWorker>(core.Services);
        await worker.StartAsync(default);
        try
        {
            var outbox = core.Get<IActionOutbox>();
            var dbs = core.Get<IBulwarkDbFactory>();
            PlatformAction Action(int i) => new("content.remove", "content", $"video-{i}", "VE-GLORIFY", i, $"decision-{i}-content.remove");
            async Task<bool> Delivered(int count) => await Eventually.UntilAsync(() => receiver.Received.Count >= count);

            // The first round finds it whatever the timing; afterwards the worker waits (10 ms or a minute on a clock that
            // never moves), so each later delivery needs the wake.
            await using (var db = dbs.Create())
            {
                outbox.Enqueue(db, Action(1));
                await db.SaveChangesAsync();
            }
            Assert.True(await Delivered(1));

            // A save that commits by itself…
            await using (var db = dbs.Create())
            {
                outbox.Enqueue(db, Action(2));
                await db.SaveChangesAsync();
            }
            Assert.True(await Delivered(2), "an action saved without a transaction was not delivered: the worker was not woken");

            // …and a write transaction, the way the restriction writer and the pipeline commit.
            await using (var db = dbs.Create())
            {
                await using var tx = await dbs.BeginWriteAsync(db, default);
                outbox.Enqueue(db, Action(3));
                await db.SaveChangesAsync();
                await tx.CommitAsync(default);
            }
            Assert.True(await Delivered(3), "an action committed in a write transaction was not delivered: the worker was not woken");

            Assert.Equal(["decision-1-content.remove", "decision-2-content.remove", "decision-3-content.remove"],
                receiver.Received.Select(r => r.Headers[WebhookSignature.IdempotencyKeyHeader]).Order());
        }
        finally
        {
            await worker.StopAsync(default);
            worker.Dispose();
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Only_a_committed_transaction_with_actions_pulses(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var signal = core.Get<ActionCommitSignal>();
        var dbs = core.Get<IBulwarkDbFactory>();
        var before = signal.Pulses;

        // Rolled back: nothing was committed, nothing to wake for.
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, default);
            core.Get<IActionOutbox>().Enqueue(db, new PlatformAction("content.remove", "content", "video-rolled-back", null, null, "rolled-back"));
            await db.SaveChangesAsync();
            Assert.Equal(before, signal.Pulses); // saved inside the transaction, not yet committed
        }
        Assert.Equal(before, signal.Pulses);

        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, default);
            core.Get<IActionOutbox>().Enqueue(db, new PlatformAction("content.remove", "content", "video-committed", null, null, "committed"));
            await db.SaveChangesAsync();
            await tx.CommitAsync(default);
        }
        Assert.Equal(before + 1, signal.Pulses);
    }

    [Fact]
    public async Task A_pulse_before_the_wait_is_not_lost_and_without_one_the_wait_ends_with_the_poll_interval()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var signal = new ActionCommitSignal();
        signal.Pulse();
        signal.Pulse(); // coalesced with the first
        await signal.WaitAsync(TimeSpan.FromMinutes(1), clock, default); // returns at once: the pulse was pending

        var waiting = signal.WaitAsync(TimeSpan.FromMinutes(1), clock, default);
        Assert.False(waiting.IsCompleted); // the second pulse did not stay pending
        clock.Advance(TimeSpan.FromMinutes(1));
        await waiting; // the poll interval passed on the injected clock

        var woken = signal.WaitAsync(TimeSpan.FromMinutes(1), clock, default);
        signal.Pulse();
        await woken;
    }
}
