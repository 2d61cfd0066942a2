using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// Dead letters are <c>work_items</c> rows marked dead, whichever queue carried the item, so <c>bulwark deadletters</c> and the
/// admin API read one place. A retried dead letter becomes an inbox row again with fresh attempts: the database queue claims
/// it, a broker queue's relay publishes it anew (under a new message id, <see cref="WorkItem.EnqueuedAt"/> being part of it).
/// </summary>
public sealed class DbDeadLetters(IBulwarkDbFactory dbs, TimeProvider clock)
{
    /// <summary>Records dead letters for items that have no row any more (a broker's messages); in its own transaction.</summary>
    public async Task AddAsync(IReadOnlyList<(long ContentVersionId, int Attempts, string Error)> dead, CancellationToken ct)
    {
        if (dead.Count == 0) return;
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        foreach (var (versionId, attempts, error) in dead)
            db.WorkItems.Add(new WorkItem
            {
                ContentVersionId = versionId, Attempts = attempts, AvailableAt = now.ToUnixTimeMilliseconds(), DeadLettered = true,
                DeadLetteredAt = now, LastError = Clip(error), EnqueuedAt = now,
            });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.WorkItems.LongCountAsync(w => w.DeadLettered, ct);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(long afterId, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var rows = await db.WorkItems.AsNoTracking()
            .Where(w => w.DeadLettered && w.Id > afterId)
            .OrderBy(w => w.Id)
            .Take(limit)
            .Select(w => new DeadLetter(w.Id, w.ContentVersionId, w.Version!.ContentId, w.Version.Version, w.Attempts, w.LastError, w.DeadLetteredAt))
            .ToListAsync(ct);
        // Rows written before paths were redacted on write.
        return rows.Select(d => d.LastError is { } e ? d with { LastError = Security.ServerPaths.Redact(e) } : d).ToList();
    }

    public async Task<IReadOnlyList<long>> RetryAsync(IReadOnlyCollection<long>? workItemIds, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var query = db.WorkItems.Where(w => w.DeadLettered);
        if (workItemIds is not null) query = query.Where(w => workItemIds.Contains(w.Id));
        var rows = await query.ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var row in rows)
        {
            row.DeadLettered = false;
            row.DeadLetteredAt = null;
            row.Attempts = 0;
            row.AvailableAt = now.ToUnixTimeMilliseconds();
            row.EnqueuedAt = now;
            row.LeaseOwner = null;
            row.LeaseUntil = null;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Select(r => r.ContentVersionId).ToList();
    }

    /// <summary>The stored error: server file paths reduced to their file names (admins and the API read it), then clipped.</summary>
    internal static string Clip(string s)
    {
        s = Security.ServerPaths.Redact(s);
        return s.Length <= 2000 ? s : s[..2000];
    }
}
