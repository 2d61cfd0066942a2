using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bulwark.Core.Actions;

/// <summary>
/// PostgreSQL hands out identity values at insert time, so two transactions can commit actions out of id order; a cursor reader
/// (the pull feed, the webhook fan-out) that already passed id 6 would never see id 5 committed a moment later. This
/// interceptor makes every transaction that inserts actions take one transaction-scoped advisory lock before its inserts, so
/// action ids are assigned in commit order. It is the audit chain's lock, taken through <see cref="Records.AuditChainLock"/>
/// so that urgent writers get their turn before the pipeline's batches. Actions must therefore be inserted through SaveChanges (as <see cref="ActionOutbox"/>
/// does), not by raw SQL. SQLite needs nothing: it has a single writer.
/// </summary>
internal sealed class ActionOrderingInterceptor : SaveChangesInterceptor
{
    public static readonly ActionOrderingInterceptor Instance = new();
    /// <summary>
    /// The audit chain's lock. One lock for both, because two would deadlock: a transaction that saved actions and then appends
    /// audit entries against one that appended first and saves actions after. Advisory locks are re-entrant per session.
    /// </summary>
    private readonly ConditionalWeakTable<DbContext, IDbContextTransaction> _owned = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && db.ChangeTracker.Entries<ActionRow>().Any(e => e.State == EntityState.Added))
        {
            if (db.Database.CurrentTransaction is null) _owned.AddOrUpdate(db, Tracked(await db.Database.BeginTransactionAsync(ct)));
            await Records.AuditChainLock.AcquireAsync(db, ct);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db && db.ChangeTracker.Entries<ActionRow>().Any(e => e.State == EntityState.Added))
        {
            if (db.Database.CurrentTransaction is null) _owned.AddOrUpdate(db, Tracked(db.Database.BeginTransaction()));
            Records.AuditChainLock.Acquire(db);
        }
        return result;
    }

    private static IDbContextTransaction Tracked(IDbContextTransaction tx)
    {
        Records.AuditChainLock.Track(tx);
        return tx;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && _owned.TryGetValue(db, out var tx))
        {
            _owned.Remove(db);
            try
            {
                await tx.CommitAsync(ct);
                await tx.DisposeAsync();
            }
            finally { Records.AuditChainLock.Ended(tx); }
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } db && _owned.TryGetValue(db, out var tx))
        {
            _owned.Remove(db);
            try
            {
                tx.Commit();
                tx.Dispose();
            }
            finally { Records.AuditChainLock.Ended(tx); }
        }
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is { } db && _owned.TryGetValue(db, out var tx))
        {
            _owned.Remove(db);
            try { await tx.DisposeAsync(); } // rolls back
            finally { Records.AuditChainLock.Ended(tx); }
        }
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } db && _owned.TryGetValue(db, out var tx))
        {
            _owned.Remove(db);
            try { tx.Dispose(); }
            finally { Records.AuditChainLock.Ended(tx); }
        }
    }
}
