using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// Finds versions that are still undecided (<c>queued</c> or <c>processing</c>), were accepted longer ago than a bound, and
/// have no <c>work_items</c> row, and puts them back in the inbox. With the database queue that cannot happen short of a
/// manual deletion; with JetStream it is what a stream lost whole (every replica, or deleted by an operator) leaves behind,
/// since the relay deletes an outbox row once the broker has the message. A version re-enqueued while its message still
/// exists somewhere is decided once all the same: the pipeline does not decide a version twice.
/// </summary>
public sealed class QueueRepair(IBulwarkDbFactory dbs, IWorkInbox inbox, AuditLog audit, TimeProvider clock)
{
    /// <summary>Stranded version ids, oldest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<long>> FindStrandedAsync(TimeSpan olderThan, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await Stranded(db, clock.GetUtcNow() - olderThan).Take(limit).ToListAsync(ct);
    }

    /// <summary>Re-enqueues up to <paramref name="limit"/> stranded versions in one transaction with its audit entry; returns how many.</summary>
    public async Task<int> ReenqueueAsync(TimeSpan olderThan, int limit, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var ids = await Stranded(db, now - olderThan).Take(limit).ToListAsync(ct);
        if (ids.Count == 0) return 0;
        await inbox.AddAsync(db, ids, now, ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "queue.reenqueued", "queue:work",
            After: $"{ids.Count} version(s) accepted before {(now - olderThan):u} and undecided with no work item: {Ids(ids)}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ids.Count;
    }

    private static IQueryable<long> Stranded(BulwarkDbContext db, DateTimeOffset before) =>
        db.ContentVersions.AsNoTracking()
            .Where(v => (v.Status == ContentStatus.Queued || v.Status == ContentStatus.Processing) && v.ReceivedAt < before)
            .Where(v => !db.WorkItems.Any(w => w.ContentVersionId == v.Id))
            .OrderBy(v => v.Id)
            .Select(v => v.Id);

    private static string Ids(IReadOnlyList<long> ids) =>
        ids.Count <= 20 ? string.Join(",", ids) : string.Join(",", ids.Take(20)) + $",… ({ids.Count - 20} more)";
}
