using System.Globalization;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Bulwark.Queue.JetStream;

/// <summary>
/// The work queue on a JetStream work-queue stream. Items reach the stream through <see cref="OutboxRelay"/>; workers share
/// one durable pull consumer. A claim is a delivered message (the receipt); its lease is the consumer's <c>AckWait</c>
/// (the broker's clock, not the workers'), renewed with progress acks; completion is an ack; a retry is a nak with the
/// backoff as its delay; a dead letter is written to <c>work_items</c> (where <c>bulwark deadletters</c> reads) before the
/// message is terminated.
/// </summary>
public sealed class JetStreamWorkQueue(
    JetStreamBroker broker,
    PipelineOptions pipeline,
    Backoff backoff,
    DbDeadLetters deadLetters,
    IBulwarkDbFactory dbs,
    ILogger<JetStreamWorkQueue> log) : IWorkQueue
{
    private sealed class Receipt(INatsJSMsg<string> message) : WorkReceipt
    {
        public INatsJSMsg<string> Message { get; } = message;
    }

    public bool ClaimWaits => true;

    public async Task<IReadOnlyList<ClaimedWork>> ClaimAsync(string owner, int max, CancellationToken ct)
    {
        var consumer = await broker.ConsumerAsync(ct);
        var claimed = new List<ClaimedWork>();
        try
        {
            await TakeAsync(consumer.FetchNoWaitAsync<string>(new NatsJSFetchOpts { MaxMsgs = max }, cancellationToken: ct), claimed);
            if (claimed.Count == 0)
            {
                // Nothing waiting: wait (on the server) for one message, then take whatever else arrived with it.
                var wait = TimeSpan.FromMilliseconds(Math.Max(1000, pipeline.PollMilliseconds));
                await TakeAsync(consumer.FetchAsync<string>(new NatsJSFetchOpts { MaxMsgs = 1, Expires = wait }, cancellationToken: ct), claimed);
                if (claimed.Count > 0 && max > 1)
                    await TakeAsync(consumer.FetchNoWaitAsync<string>(new NatsJSFetchOpts { MaxMsgs = max - 1 }, cancellationToken: ct), claimed);
            }
        }
        catch (NatsException ex)
        {
            // Typically the stream or consumer was deleted: verify (and recreate) both before the next claim.
            broker.Reset(ex);
            log.LogError(ex, "JetStream fetch failed; the stream and consumer will be verified before the next claim");
            throw;
        }
        return claimed;
    }

    private async Task TakeAsync(IAsyncEnumerable<INatsJSMsg<string>> messages, List<ClaimedWork> into)
    {
        await foreach (var m in messages)
        {
            if (m.Data is { } data && long.TryParse(data, NumberStyles.None, CultureInfo.InvariantCulture, out var versionId) && m.Metadata is { } meta)
            {
                into.Add(new ClaimedWork(new Receipt(m), versionId, (int)Math.Min(int.MaxValue, meta.NumDelivered)));
                continue;
            }
            // Not a message the relay wrote: nothing could ever process it.
            log.LogError("JetStream message on {Subject} is not a content version id ('{Data}'); terminated", m.Subject, m.Data);
            await m.AckTerminateAsync();
        }
    }

    public async Task<int> RenewAsync(IReadOnlyCollection<ClaimedWork> work, CancellationToken ct)
    {
        var renewed = 0;
        foreach (var w in work)
        {
            try
            {
                await ((Receipt)w.Receipt).Message.AckProgressAsync(cancellationToken: ct);
                renewed++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { log.LogDebug(ex, "Progress ack failed"); }
        }
        return renewed;
    }

    public async Task CompleteAsync(IReadOnlyCollection<ClaimedWork> work, CancellationToken ct)
    {
        foreach (var w in work) await ((Receipt)w.Receipt).Message.AckAsync(cancellationToken: ct);
    }

    public async Task<IReadOnlyList<ClaimedWork>> FailAsync(IReadOnlyList<WorkFailure> failures, CancellationToken ct)
    {
        var dead = new List<WorkFailure>();
        foreach (var f in failures)
        {
            if (f.IsFinal(pipeline.MaxAttempts)) dead.Add(f);
            else await ((Receipt)f.Work.Receipt).Message.NakAsync(delay: backoff.Delay(f.Work.Attempt), cancellationToken: ct);
        }
        if (dead.Count == 0) return [];
        // Written before the messages are terminated: a crash in between redelivers them (and they are dead-lettered again,
        // a second row for the same version), never loses them.
        await deadLetters.AddAsync(dead.Select(f => (f.Work.ContentVersionId, f.Work.Attempt, f.Error)).ToList(), ct);
        foreach (var f in dead) await ((Receipt)f.Work.Receipt).Message.AckTerminateAsync(cancellationToken: ct);
        return dead.Select(f => f.Work).ToList();
    }

    /// <summary>Outbox rows not yet relayed plus messages in the stream (a work-queue stream drops a message when it is acked).</summary>
    public async Task<long> DepthAsync(CancellationToken ct)
    {
        long outbox;
        await using (var db = dbs.Create()) outbox = await db.WorkItems.LongCountAsync(w => !w.DeadLettered, ct);
        var stream = await broker.Context.GetStreamAsync(broker.Options.Stream, cancellationToken: ct);
        return outbox + (long)stream.Info.State.Messages;
    }

    public Task<bool?> IsInProgressAsync(long contentVersionId, CancellationToken ct) => Task.FromResult<bool?>(null);

    public Task<long> DeadLetterCountAsync(CancellationToken ct) => deadLetters.CountAsync(ct);

    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(long afterId, int limit, CancellationToken ct) => deadLetters.ListAsync(afterId, limit, ct);

    public Task<IReadOnlyList<long>> RetryDeadLettersAsync(IReadOnlyCollection<long>? workItemIds, CancellationToken ct) => deadLetters.RetryAsync(workItemIds, ct);
}
