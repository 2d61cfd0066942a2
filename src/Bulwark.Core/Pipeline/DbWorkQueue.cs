using System.Data.Common;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bulwark.Core.Pipeline;

/// <summary>The work queue as a table. Claims are leases (owner, expiry) so a crashed worker's items return after the lease.</summary>
public sealed class DbWorkQueue(IBulwarkDbFactory dbs, PipelineOptions options, Backoff backoff, TimeProvider clock) : IWorkQueue
{
    public async Task<IReadOnlyList<ClaimedWork>> ClaimAsync(string owner, int max, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // PostgreSQL: SKIP LOCKED lets concurrent workers claim disjoint rows without waiting on each other.
        // SQLite: the statement runs under the database's single write lock, which serialises claims anyway.
        var skipLocked = db.Provider == DatabaseProvider.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = $"""
            UPDATE work_items SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1
            WHERE id IN (SELECT id FROM work_items
                         WHERE dead_lettered = FALSE AND available_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                         ORDER BY id LIMIT @max{skipLocked})
            RETURNING id, content_version_id, attempts
            """;
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        cmd.CommandText = sql;
        Add(cmd, "owner", owner);
        Add(cmd, "until", now + options.LeaseSeconds * 1000L);
        Add(cmd, "now", now);
        Add(cmd, "max", max);
        var claimed = new List<ClaimedWork>(max);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                claimed.Add(new ClaimedWork(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2)));
        await tx.CommitAsync(ct);
        claimed.Sort((a, b) => a.WorkItemId.CompareTo(b.WorkItemId));
        return claimed;
    }

    public async Task<int> RenewAsync(string owner, IReadOnlyCollection<long> workItemIds, CancellationToken ct)
    {
        if (workItemIds.Count == 0) return 0;
        await using var db = dbs.Create();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + options.LeaseSeconds * 1000L;
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        // Only a lease still held: once it expired another worker may own the row (lease_owner changed) or may yet claim it.
        var renewed = await db.WorkItems
            .Where(w => workItemIds.Contains(w.Id) && w.LeaseOwner == owner && w.LeaseUntil != null && w.LeaseUntil >= now)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.LeaseUntil, until), ct);
        await tx.CommitAsync(ct);
        return renewed;
    }

    public async Task CompleteAsync(IReadOnlyCollection<long> workItemIds, CancellationToken ct)
    {
        if (workItemIds.Count == 0) return;
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        await db.WorkItems.Where(w => workItemIds.Contains(w.Id)).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<ClaimedWork>> FailAsync(IReadOnlyList<WorkFailure> failures, CancellationToken ct)
    {
        if (failures.Count == 0) return [];
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var ids = failures.Select(f => f.Work.WorkItemId).ToList();
        var rows = await db.WorkItems.Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        var dead = new List<ClaimedWork>();
        foreach (var f in failures)
        {
            if (!rows.TryGetValue(f.Work.WorkItemId, out var row)) continue;
            row.LastError = Clip(f.Error);
            row.LeaseOwner = null;
            row.LeaseUntil = null;
            if (f.Retryable && f.Work.Attempt < options.MaxAttempts)
            {
                row.AvailableAt = (now + backoff.Delay(f.Work.Attempt)).ToUnixTimeMilliseconds();
                continue;
            }
            row.DeadLettered = true;
            row.DeadLetteredAt = now;
            dead.Add(f.Work);
        }
        if (dead.Count > 0)
        {
            var versionIds = dead.Select(d => d.ContentVersionId).ToList();
            var versions = await db.ContentVersions.Where(v => versionIds.Contains(v.Id) && v.Status != ContentStatus.Decided).ToListAsync(ct);
            var errors = failures.ToDictionary(f => f.Work.ContentVersionId, f => f.Error);
            foreach (var v in versions)
            {
                v.Status = ContentStatus.Failed;
                v.Error = Clip(errors[v.Id]);
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return dead;
    }

    public async Task<long> DepthAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.WorkItems.LongCountAsync(w => !w.DeadLettered, ct);
    }

    public async Task<long> DeadLetterCountAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.WorkItems.LongCountAsync(w => w.DeadLettered, ct);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(long afterId, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.WorkItems.AsNoTracking()
            .Where(w => w.DeadLettered && w.Id > afterId)
            .OrderBy(w => w.Id)
            .Take(limit)
            .Select(w => new DeadLetter(w.Id, w.ContentVersionId, w.Version!.ContentId, w.Version.Version, w.Attempts, w.LastError, w.DeadLetteredAt))
            .ToListAsync(ct);
    }

    public async Task<int> RetryDeadLettersAsync(IReadOnlyCollection<long>? workItemIds, CancellationToken ct)
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
            row.LeaseOwner = null;
            row.LeaseUntil = null;
        }
        var versionIds = rows.Select(r => r.ContentVersionId).ToList();
        await db.ContentVersions.Where(v => versionIds.Contains(v.Id) && v.Status == ContentStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, ContentStatus.Queued).SetProperty(v => v.Error, (string?)null), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private static string Clip(string s) => s.Length <= 2000 ? s : s[..2000];
}
