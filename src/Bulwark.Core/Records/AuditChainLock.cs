using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bulwark.Core.Records;

/// <summary>
/// The lock that orders the audit chain and action ids on PostgreSQL (one transaction-scoped advisory lock, taken before a
/// transaction's first audit append or action insert), with turns for urgent writers (issue 18). A removal order's commit
/// used to queue behind every pipeline batch commit already waiting for the lock; now it waits only for the batches that
/// already hold or requested it:
/// <list type="bullet">
/// <item>In this process, transactions ask for the lock through a gate (<see cref="WriteGate"/>) held until they end, served
/// urgent first (<see cref="WritePriority"/>), so a batch never queues at the database ahead of a waiting order.</item>
/// <item>Across processes, an urgent writer holds a second advisory lock ("urgent pending") in shared mode from before it
/// enters the gate until it ends. Every other writer, before entering the gate, waits until no urgent writer holds it (an
/// exclusive request in a savepoint that is rolled back at once, so it holds nothing afterwards). A batch of another
/// process that asked for the chain lock before the order arrived still goes first: at most one per process.</item>
/// </list>
/// Correctness never rests on the gate: mutual exclusion and commit order come from the chain lock alone. The gate is a
/// priority hint, and a writer stops waiting at it after <see cref="Turns.Patience"/>, so that a cycle through
/// the gate (a holder waiting for a row that a gate waiter locked) becomes one the database's deadlock detector sees.
/// SQLite needs none of this: its single writer is ordered by <see cref="WriteGate"/> already.
/// </summary>
internal static class AuditChainLock
{
    /// <summary>The chain lock (any constant works; "Bulwark").</summary>
    internal const long Key = 0x42756C7761726B;
    /// <summary>Held in shared mode by urgent writers from before they ask for <see cref="Key"/> until they end.</summary>
    internal const long UrgentKey = Key + 1;

    /// <summary>An urgent writer says it is pending (held until it ends); waits only while an ordinary check is queued.</summary>
    private static readonly string AnnounceSql = $"SELECT pg_advisory_xact_lock_shared({UrgentKey})";
    /// <summary>An ordinary writer waits until no urgent writer is pending, and holds nothing afterwards.</summary>
    private static readonly string YieldSql =
        $"SAVEPOINT bulwark_audit_turn; SELECT pg_advisory_xact_lock({UrgentKey}); ROLLBACK TO SAVEPOINT bulwark_audit_turn; " +
        "RELEASE SAVEPOINT bulwark_audit_turn";
    private static readonly string LockSql = $"SELECT pg_advisory_xact_lock({Key})";

    /// <summary>Transactions whose end is reported (<see cref="Ended"/>), and the gate each holds once it has the lock.</summary>
    private static readonly ConditionalWeakTable<IDbContextTransaction, Holding> Tracked = new();
    private static readonly ConditionalWeakTable<IDbContextTransaction, object> Held = new();
    private static readonly object HeldMark = new();
    private static readonly ConcurrentDictionary<string, Turns> ByDatabase = new();

    /// <summary>The turns of one database (by connection string) in this process.</summary>
    internal static Turns For(string connectionString) => ByDatabase.GetOrAdd(connectionString, _ => new Turns());

    /// <summary>
    /// Called by whoever begins <paramref name="tx"/> and promises to call <see cref="Ended"/> when it ends: the gate is then
    /// kept until the transaction ends. Others' transactions keep it only until they have the lock.
    /// </summary>
    internal static void Track(IDbContextTransaction tx) => Tracked.AddOrUpdate(tx, new Holding());

    /// <summary>The transaction committed, rolled back or was disposed: passes the gate on if it held it.</summary>
    internal static void Ended(IDbContextTransaction tx)
    {
        if (!Tracked.TryGetValue(tx, out var holding)) return;
        Tracked.Remove(tx);
        Interlocked.Exchange(ref holding.Gate, null)?.Release();
    }

    /// <summary>
    /// Takes the chain lock for the current transaction of <paramref name="db"/> (re-entrant; PostgreSQL only). First the
    /// cross-process step (announce, or yield to announced urgent writers), then this process's gate, then the lock: the
    /// gate is entered holding nothing another writer's cross-process step waits for.
    /// </summary>
    internal static async Task AcquireAsync(DbContext db, CancellationToken ct)
    {
        var tx = db.Database.CurrentTransaction ?? throw new InvalidOperationException("The audit chain lock is taken inside a transaction.");
        if (Held.TryGetValue(tx, out _)) return;
        var urgent = WritePriority.IsUrgent;
        await db.Database.ExecuteSqlRawAsync(urgent ? AnnounceSql : YieldSql, ct);
        var gate = await For(db.Database.GetConnectionString() ?? "").EnterAsync(urgent, ct);
        var kept = false;
        try
        {
            await db.Database.ExecuteSqlRawAsync(LockSql, ct);
            Held.AddOrUpdate(tx, HeldMark);
            kept = gate is not null && Keep(tx, gate);
        }
        finally
        {
            if (!kept) gate?.Release();
        }
    }

    /// <summary>The synchronous form, for synchronous SaveChanges.</summary>
    internal static void Acquire(DbContext db)
    {
        var tx = db.Database.CurrentTransaction ?? throw new InvalidOperationException("The audit chain lock is taken inside a transaction.");
        if (Held.TryGetValue(tx, out _)) return;
        var urgent = WritePriority.IsUrgent;
        db.Database.ExecuteSqlRaw(urgent ? AnnounceSql : YieldSql);
        var gate = For(db.Database.GetConnectionString() ?? "").EnterAsync(urgent, default).GetAwaiter().GetResult();
        var kept = false;
        try
        {
            db.Database.ExecuteSqlRaw(LockSql);
            Held.AddOrUpdate(tx, HeldMark);
            kept = gate is not null && Keep(tx, gate);
        }
        finally
        {
            if (!kept) gate?.Release();
        }
    }

    private static bool Keep(IDbContextTransaction tx, WriteGate gate)
    {
        if (!Tracked.TryGetValue(tx, out var holding)) return false;
        return Interlocked.CompareExchange(ref holding.Gate, gate, null) is null;
    }

    private sealed class Holding
    {
        public WriteGate? Gate;
    }

    /// <summary>One database's gate in this process.</summary>
    internal sealed class Turns
    {
        internal readonly WriteGate Gate = new();

        /// <summary>How long a writer waits at the gate before asking the database directly.</summary>
        internal TimeSpan Patience { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Waits for a turn; returns the gate to release, or null when the writer's patience ran out.</summary>
        internal async Task<WriteGate?> EnterAsync(bool urgent, CancellationToken ct)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
            patience.CancelAfter(Patience);
            try
            {
                await Gate.WaitAsync(urgent, patience.Token);
                return Gate;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null; // the database's own queue (and deadlock detector) decides
            }
        }
    }
}
