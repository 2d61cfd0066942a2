using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Queue.JetStream;

/// <summary>
/// The JetStream queue's numbers: the outbox rows not yet relayed plus the consumer's view of the stream (pending = lag,
/// ack-pending = in flight, redelivered), and the dead letters, which live in the database as with the database queue.
/// </summary>
public sealed class JetStreamQueueGauges(JetStreamBroker broker, IBulwarkDbFactory dbs) : IQueueGauges
{
    public async Task<QueueSnapshot> ReadAsync(CancellationToken ct)
    {
        long outbox, dead;
        await using (var db = dbs.Create())
        {
            outbox = await db.WorkItems.AsNoTracking().LongCountAsync(w => !w.DeadLettered, ct);
            dead = await db.WorkItems.AsNoTracking().LongCountAsync(w => w.DeadLettered, ct);
        }
        await broker.ConsumerAsync(ct); // stream and consumer exist (created on first use)
        var stream = await broker.Context.GetStreamAsync(broker.Options.Stream, cancellationToken: ct);
        var consumer = await broker.Context.GetConsumerAsync(broker.Options.Stream, broker.Options.Consumer, ct);
        var info = consumer.Info;
        return new QueueSnapshot(
            Depth: outbox + (long)stream.Info.State.Messages,
            Lag: outbox + (long)info.NumPending,
            InFlight: info.NumAckPending,
            Redelivered: info.NumRedelivered,
            DeadLetters: dead);
    }
}
