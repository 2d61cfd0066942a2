using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bulwark.Core.Actions;

/// <summary>
/// Tells this process's webhook worker that actions were committed, so it delivers them at once instead of at its next poll
/// (issue 18: an order's removal reached receivers a poll interval late, 500 ms by default). Pulses coalesce: one pending
/// wake stands for any number of commits. The poll stays as the fallback for actions other processes commit.
/// </summary>
public sealed class ActionCommitSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _pulses;

    /// <summary>Commits of actions seen so far (for tests and diagnostics).</summary>
    public long Pulses => Interlocked.Read(ref _pulses);

    public void Pulse()
    {
        Interlocked.Increment(ref _pulses);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Waits until the next pulse (or one already pending) or until <paramref name="timeout"/> has passed on <paramref name="clock"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        if (_wake.Reader.TryRead(out _)) return;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pulse = _wake.Reader.WaitToReadAsync(cts.Token).AsTask();
        var delay = Task.Delay(timeout, clock, cts.Token);
        await Task.WhenAny(pulse, delay);
        await cts.CancelAsync();
        ct.ThrowIfCancellationRequested();
        _wake.Reader.TryRead(out _);
    }
}

/// <summary>
/// Pulses <see cref="ActionCommitSignal"/> after a transaction that inserted actions commits (or after a save that committed
/// by itself). A unit of work that is rolled back, or disposed without committing, leaves at most a spurious wake, never a
/// missed one. Registered on both providers' contexts (StorageRegistration).
/// </summary>
internal sealed class ActionCommitInterceptor(ActionCommitSignal signal) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    private static readonly object Marked = new();
    private readonly ConditionalWeakTable<DbContext, object> _pending = new();

    private void Mark(DbContext? db)
    {
        if (db is not null && db.ChangeTracker.Entries<ActionRow>().Any(e => e.State == EntityState.Added)) _pending.AddOrUpdate(db, Marked);
    }

    private void Saved(DbContext? db)
    {
        // Without a transaction of the caller's the save committed by itself (PostgreSQL's ordering interceptor commits its own
        // transaction before this runs, and that commit already pulsed).
        if (db is not null && db.Database.CurrentTransaction is null && _pending.Remove(db)) signal.Pulse();
    }

    private void Committed(DbContext? db)
    {
        if (db is not null && _pending.Remove(db)) signal.Pulse();
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } db) _pending.Remove(db);
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is { } db) _pending.Remove(db);
        return Task.CompletedTask;
    }
}
