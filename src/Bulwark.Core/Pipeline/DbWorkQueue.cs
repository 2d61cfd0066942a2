using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// The work queue as a table (<c>work_items</c>, written by <see cref="DbInbox"/>). Claims are leases (owner, expiry) taken with
/// <see cref="LeaseClaim"/>, so a crashed worker's items return after the lease.
/// </summary>
public sealed class DbWorkQueue(IBulwarkDbFactory dbs, PipelineOptions options, Backoff backoff, TimeProvider clock, DbDeadLetters deadLetters) : IWorkQueue
{
    /// <summary>The row and the lease owner that claimed it: a renewal or acknowledgement names both.</summary>
    private sealed class Receipt(long id, string owner) : WorkReceipt
    {
        public long Id { get; } = id;
        public string Owner { get; } = owner;
    }

    public async Task<IReadOnlyList<ClaimedWork>> ClaimAsync(string owner, int max, CancellationToken ct)
    {
        var claimed = await LeaseClaim.ClaimAsync(dbs, "work_items",
            ready: "dead_lettered = FALSE AND available_at <= @now",
            returning: "id, content_version_id, attempts",
            r => (Id: r.GetInt64(0), VersionId: r.GetInt64(1), Attempts: r.GetInt32(2)),
            owner, clock.GetUtcNow().ToUnixTimeMilliseconds(), options.LeaseSeconds * 1000L, max, ct);
        claimed.Sort((a, b) => a.Id.CompareTo(b.Id));
        var work = new ClaimedWork[claimed.Count];
        for (var i = 0; i < work.Length; i++) work[i] = new ClaimedWork(new Receipt(claimed[i].Id, owner), claimed[i].VersionId, claimed[i].Attempts);
        return work;
    }

    public async Task<int> RenewAsync(IReadOnlyCollection<ClaimedWork> work, CancellationToken ct)
    {
        if (work.Count == 0) return 0;
        await using var db = dbs.Create();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + options.LeaseSeconds * 1000L;
        var renewed = 0;
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        foreach (var byOwner in work.Select(w => (Receipt)w.Receipt).GroupBy(r => r.Owner))
        {
            var owner = byOwner.Key;
            var ids = byOwner.Select(r => r.Id).ToList();
            // Only a lease still held: once it expired another worker may own the row (lease_owner changed) or may yet claim it.
            renewed += await db.WorkItems
                .Where(w => ids.Contains(w.Id) && w.LeaseOwner == owner && w.LeaseUntil != null && w.LeaseUntil >= now)
                .ExecuteUpdateAsync(u => u.SetProperty(w => w.LeaseUntil, until), ct);
        }
        await tx.CommitAsync(ct);
        return renewed;
    }

    public async Task CompleteAsync(IReadOnlyCollection<ClaimedWork> work, CancellationToken ct)
    {
        if (work.Count == 0) return;
        var ids = work.Select(w => ((Receipt)w.Receipt).Id).ToList();
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        await db.WorkItems.Where(w => ids.Contains(w.Id)).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<ClaimedWork>> FailAsync(IReadOnlyList<WorkFailure> failures, CancellationToken ct)
    {
        if (failures.Count == 0) return [];
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var ids = failures.Select(f => ((Receipt)f.Work.Receipt).Id).ToList();
        var rows = await db.WorkItems.Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        var dead = new List<ClaimedWork>();
        foreach (var f in failures)
        {
            if (!rows.TryGetValue(((Receipt)f.Work.Receipt).Id, out var row)) continue;
            row.LastError = DbDeadLetters.Clip(f.Error);
            row.LeaseOwner = null;
            row.LeaseUntil = null;
            if (!f.IsFinal(options.MaxAttempts))
            {
                row.AvailableAt = (now + backoff.Delay(f.Work.Attempt)).ToUnixTimeMilliseconds();
                continue;
            }
            row.DeadLettered = true;
            row.DeadLetteredAt = now;
            dead.Add(f.Work);
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

    public async Task<bool?> IsInProgressAsync(long contentVersionId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.WorkItems.AnyAsync(w => w.ContentVersionId == contentVersionId && w.LeaseUntil != null && w.LeaseUntil > now, ct);
    }

    public Task<long> DeadLetterCountAsync(CancellationToken ct) => deadLetters.CountAsync(ct);

    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(long afterId, int limit, CancellationToken ct) => deadLetters.ListAsync(afterId, limit, ct);

    public Task<IReadOnlyList<long>> RetryDeadLettersAsync(IReadOnlyCollection<long>? workItemIds, CancellationToken ct) => deadLetters.RetryAsync(workItemIds, ct);
}
