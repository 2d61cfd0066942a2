using System.Globalization;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Bulwark.Queue.JetStream;

/// <summary>
/// Publishes committed inbox rows (<c>work_items</c> not dead-lettered) to the work stream, then deletes them. Rows are claimed
/// with <see cref="LeaseClaim"/>, so several relays (one per API process) take disjoint rows and a crashed relay's rows come
/// back. Each message carries <c>Nats-Msg-Id</c> = row id and its enqueue time, so a row published twice (a crash between
/// the publish and the delete) is dropped by the server inside its duplicate window. While the broker is down, ingest keeps
/// accepting into the table and the relay drains it when the broker returns.
/// </summary>
public sealed class OutboxRelay(
    IBulwarkDbFactory dbs,
    JetStreamBroker broker,
    WorkSignal signal,
    PipelineOptions pipeline,
    Backoff backoff,
    TimeProvider clock,
    ILogger<OutboxRelay> log) : BackgroundService
{
    private const long LeaseMilliseconds = 30_000;
    private readonly string _owner = $"relay:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Rows published so far by this relay (for tests and metrics).</summary>
    public long Relayed => Interlocked.Read(ref _relayed);
    private long _relayed;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var errors = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var count = await RelayOnceAsync(ct);
                errors = 0;
                if (count < broker.Options.RelayBatchSize) await signal.WaitAsync(TimeSpan.FromMilliseconds(pipeline.PollMilliseconds), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                errors++;
                var delay = backoff.Delay(Math.Min(errors, 6));
                log.LogError(ex, "Outbox relay failed (attempt {Count}); the rows stay in the outbox; retrying in {Delay}", errors, delay);
                try { await Task.Delay(delay, clock, ct); } catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>One round: claim, publish, delete what the server stored. Returns how many rows were claimed.</summary>
    public async Task<int> RelayOnceAsync(CancellationToken ct)
    {
        await broker.ConsumerAsync(ct); // the stream must exist before publishing into it
        var rows = await LeaseClaim.ClaimAsync(dbs, "work_items",
            ready: "dead_lettered = FALSE AND available_at <= @now",
            returning: "id, content_version_id, available_at",
            r => (Id: r.GetInt64(0), VersionId: r.GetInt64(1), AvailableAt: r.GetInt64(2)),
            _owner, clock.GetUtcNow().ToUnixTimeMilliseconds(), LeaseMilliseconds, broker.Options.RelayBatchSize, ct);
        if (rows.Count == 0) return 0;
        var js = broker.Context;
        var subject = broker.Options.Subject;
        var published = await Task.WhenAll(rows.Select(async row =>
        {
            try
            {
                var ack = await js.PublishAsync(subject, row.VersionId.ToString(CultureInfo.InvariantCulture),
                    opts: new NatsJSPubOpts { MsgId = $"wi-{row.Id}-{row.AvailableAt}" }, cancellationToken: ct);
                // A duplicate is a success: the server already has this row's message (EnsureSuccess would throw for it).
                if (!ack.Duplicate) ack.EnsureSuccess();
                return row.Id;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // No stream to take it (deleted, or the broker lost it): verify and recreate before the next round.
                broker.Reset(ex);
                log.LogWarning(ex, "Publishing outbox row {Id} failed; it is published again when its lease runs out", row.Id);
                return -1;
            }
        }));
        var done = published.Where(id => id > 0).ToList();
        var failed = rows.Select(r => r.Id).Except(done).ToList();
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            if (done.Count > 0) await db.WorkItems.Where(w => done.Contains(w.Id)).ExecuteDeleteAsync(ct);
            // Unpublished rows are released at once rather than after the lease: the next round (after the backoff) takes them.
            if (failed.Count > 0)
                await db.WorkItems.Where(w => failed.Contains(w.Id))
                    .ExecuteUpdateAsync(u => u.SetProperty(w => w.LeaseOwner, (string?)null).SetProperty(w => w.LeaseUntil, (long?)null), ct);
            await tx.CommitAsync(ct);
        }
        Interlocked.Add(ref _relayed, done.Count);
        if (done.Count < rows.Count) throw new JetStreamUnavailableException($"{rows.Count - done.Count} of {rows.Count} outbox rows could not be published to {broker.Options.Url}");
        return rows.Count;
    }
}
