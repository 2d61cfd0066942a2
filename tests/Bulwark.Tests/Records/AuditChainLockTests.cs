using Bulwark.Core;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bulwark.Tests.Records;

/// <summary>
/// Issue 18: on PostgreSQL a removal order's commit queued for the audit chain's lock behind every pipeline batch already
/// waiting for it. Urgent writers (<see cref="WritePriority"/>) now get the next turn, in this process and from another.
/// Each step waits for a visible state (a waiter at the gate, a waiting lock in pg_locks), never for time; the order of the
/// commits is read from the audit chain itself, whose sequence is the lock's order.
/// </summary>
public class AuditChainLockTests
{
    [Fact]
    public async Task An_urgent_writer_passes_the_batches_waiting_for_the_chain_lock_in_its_process()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Postgres);
        var dbs = core.Get<IBulwarkDbFactory>();
        var audit = core.Get<AuditLog>();

        // A batch commit holds the lock (a long one: it ends when the test says so).
        await using var holderDb = dbs.Create();
        var holder = await dbs.BeginWriteAsync(holderDb, default);
        await audit.AppendAsync(holderDb, [new AuditRecord("pipeline", "test.batch", "batch:0")], default);
        var turns = AuditChainLock.For(holderDb.Database.GetConnectionString()!);
        turns.Patience = Eventually.Deadline; // the test's waits are visible states, not time

        var first = audit.RecordAsync(dbs, new AuditRecord("pipeline", "test.batch", "batch:1"), default);
        Assert.True(await Eventually.UntilAsync(() => turns.Gate.Waiting == 1));
        var second = audit.RecordAsync(dbs, new AuditRecord("pipeline", "test.batch", "batch:2"), default);
        Assert.True(await Eventually.UntilAsync(() => turns.Gate.Waiting == 2));
        Task order;
        using (WritePriority.Urgent()) order = audit.RecordAsync(dbs, new AuditRecord("legal", "test.order", "order:1"), default);
        Assert.True(await Eventually.UntilAsync(() => turns.Gate.Waiting == 3));
        Assert.False(first.IsCompleted || second.IsCompleted || order.IsCompleted);

        await holder.CommitAsync(default);
        await holder.DisposeAsync();
        await Task.WhenAll(first, second, order);

        var seq = await SequenceAsync(dbs);
        Assert.Equal(["batch:0", "order:1", "batch:1", "batch:2"], seq);
        Assert.True((await core.Get<AuditVerifier>().VerifyAsync(default)).Intact);
    }

    [Fact]
    public async Task A_batch_of_another_process_yields_to_an_urgent_writer_that_is_waiting()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Postgres);
        var dbs = core.Get<IBulwarkDbFactory>();
        var audit = core.Get<AuditLog>();
        // "Another process": its own services and connection pool on the same database, so its own gate.
        var otherConnection = new NpgsqlConnectionStringBuilder(core.Database.ConnectionString) { ApplicationName = "bulwark-other-process" }.ToString();
        await using var other = OtherProcess(core.Database, otherConnection);
        var otherDbs = other.GetRequiredService<IBulwarkDbFactory>();
        var otherAudit = other.GetRequiredService<AuditLog>();

        await using var holderDb = dbs.Create();
        var holder = await dbs.BeginWriteAsync(holderDb, default);
        await audit.AppendAsync(holderDb, [new AuditRecord("pipeline", "test.batch", "batch:0")], default);
        var turns = AuditChainLock.For(holderDb.Database.GetConnectionString()!);
        turns.Patience = Eventually.Deadline;
        AuditChainLock.For(otherConnection).Patience = Eventually.Deadline;

        // The order waits in its process for the holder, and has said so to every process.
        Task order;
        using (WritePriority.Urgent()) order = audit.RecordAsync(dbs, new AuditRecord("legal", "test.order", "order:1"), default);
        Assert.True(await Eventually.UntilAsync(() => turns.Gate.Waiting == 1));
        // The other process's batch arrives after it, and waits for it at the database instead of asking for the chain lock.
        var batch = otherAudit.RecordAsync(otherDbs, new AuditRecord("pipeline", "test.batch", "batch:other"), default);
        Assert.True(await Eventually.UntilAsync(() => WaitingForAsync(dbs, AuditChainLock.UrgentKey)));
        Assert.Equal(0L, await WaitingCountAsync(dbs, AuditChainLock.Key)); // nobody queued at the chain lock yet

        await holder.CommitAsync(default);
        await holder.DisposeAsync();
        await Task.WhenAll(order, batch);

        Assert.Equal(["batch:0", "order:1", "batch:other"], await SequenceAsync(dbs));
        Assert.True((await core.Get<AuditVerifier>().VerifyAsync(default)).Intact);
    }

    [Fact]
    public async Task Mixed_urgent_and_ordinary_writers_keep_one_unbroken_chain_and_leave_the_gate_free()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Postgres);
        var dbs = core.Get<IBulwarkDbFactory>();
        var audit = core.Get<AuditLog>();
        var writers = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            if (i % 3 != 0)
            {
                await audit.RecordAsync(dbs, new AuditRecord("pipeline", "test.batch", $"batch:{i}"), default);
                return;
            }
            using (WritePriority.Urgent()) await audit.RecordAsync(dbs, new AuditRecord("legal", "test.order", $"order:{i}"), default);
        })).ToList();
        await Task.WhenAll(writers);

        var verification = await core.Get<AuditVerifier>().VerifyAsync(default);
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(24, verification.EntriesChecked);
        await using var db = dbs.Create();
        var turns = AuditChainLock.For(db.Database.GetConnectionString()!);
        Assert.Equal(0, turns.Gate.Waiting);
        // The gate is free again: a new transaction takes it at once.
        var gateTaken = turns.Gate.WaitAsync(urgent: false, default);
        Assert.True(gateTaken.IsCompletedSuccessfully);
        turns.Gate.Release();
    }

    private static async Task<List<string>> SequenceAsync(IBulwarkDbFactory dbs)
    {
        await using var db = dbs.Create();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("test.")).OrderBy(e => e.Seq).Select(e => e.Subject).ToListAsync();
    }

    private static async Task<bool> WaitingForAsync(IBulwarkDbFactory dbs, long key) => await WaitingCountAsync(dbs, key) > 0;

    /// <summary>Requests for the advisory lock <paramref name="key"/> on this database that are waiting (pg_locks).</summary>
    private static async Task<long> WaitingCountAsync(IBulwarkDbFactory dbs, long key)
    {
        await using var db = dbs.Create();
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = @hi AND objid::bigint = @lo AND objsubid = 1 " +
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", conn);
        cmd.Parameters.AddWithValue("hi", (long)(key >> 32));
        cmd.Parameters.AddWithValue("lo", key & 0xFFFFFFFF);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static ServiceProvider OtherProcess(TestDatabase database, string connectionString)
    {
        var settings = database.Settings();
        settings["ConnectionStrings:Bulwark"] = connectionString;
        return new ServiceCollection()
            .AddSingleton<TimeProvider>(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero)))
            .AddSingleton(new Random(7))
            .AddLogging()
            .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
    }
}
