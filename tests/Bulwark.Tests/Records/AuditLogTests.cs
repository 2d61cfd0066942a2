using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Records;

public class AuditLogTests
{
    private static async Task<CoreServices> WithEntries(DatabaseProvider provider, int count)
    {
        var core = await CoreServices.CreateAsync(provider);
        var log = core.Get<AuditLog>();
        for (var i = 1; i <= count; i++)
        {
            core.Clock.Advance(TimeSpan.FromMilliseconds(1234.5678)); // sub-millisecond parts must not break the hash on any provider
            await log.RecordAsync(core.Get<IBulwarkDbFactory>(), new AuditRecord("tester", "thing.changed", $"thing:{i}", $"before {i}", $"after {i}", i % 2 == 0 ? null : "because"), default);
        }
        return core;
    }

    private static async Task Sql(CoreServices core, string sql)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_untouched_chain_verifies_and_reports_its_head(DatabaseProvider provider)
    {
        await using var core = await WithEntries(provider, 5);
        var result = await core.Get<AuditVerifier>().VerifyAsync(default);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(5, result.EntriesChecked);
        Assert.Equal(5, result.HeadSeq);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal((await db.AuditEntries.SingleAsync(e => e.Seq == 5)).Hash, result.HeadHash);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_edited_entry_is_named(DatabaseProvider provider)
    {
        await using var core = await WithEntries(provider, 5);
        await Sql(core, "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 3");
        var result = await core.Get<AuditVerifier>().VerifyAsync(default);
        Assert.Equal(3, result.FirstBroken);
        Assert.Contains("modified", result.Problem);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_deleted_entry_is_named(DatabaseProvider provider)
    {
        await using var core = await WithEntries(provider, 5);
        await Sql(core, "DELETE FROM audit_log WHERE seq = 2");
        var result = await core.Get<AuditVerifier>().VerifyAsync(default);
        Assert.Equal(2, result.FirstBroken);
        Assert.Contains("missing", result.Problem);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_inserted_entry_is_found_even_when_its_own_hash_is_correct(DatabaseProvider provider)
    {
        await using var core = await WithEntries(provider, 5);
        // Make room after entry 3 and forge a self-consistent entry there: the old entry 4 (now 5) no longer follows it.
        await Sql(core, "UPDATE audit_log SET seq = seq + 10 WHERE seq >= 4");
        await Sql(core, "UPDATE audit_log SET seq = seq - 9 WHERE seq >= 14");
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var third = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Seq == 3);
            var forged = new Bulwark.Core.Storage.AuditEntryRow
            {
                Seq = 4, Time = third.Time, Actor = "intruder", Action = "thing.changed", Subject = "thing:x", PrevHash = third.Hash, Hash = "",
            };
            forged.Hash = AuditLog.ComputeHash(forged);
            db.AuditEntries.Add(forged);
            await db.SaveChangesAsync();
        }
        var result = await core.Get<AuditVerifier>().VerifyAsync(default);
        Assert.Equal(5, result.FirstBroken);
        Assert.Contains("does not follow", result.Problem);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Concurrent_appenders_keep_one_unbroken_chain(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var log = core.Get<AuditLog>();
        var dbs = core.Get<IBulwarkDbFactory>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++) await log.RecordAsync(dbs, new AuditRecord($"w{w}", "x", $"s{i}"), default);
        })));
        var result = await core.Get<AuditVerifier>().VerifyAsync(default);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(80, result.EntriesChecked);
    }

    [Fact]
    public async Task Appending_outside_a_transaction_is_refused()
    {
        // The entry must commit with the change it records; an append outside a transaction would make that impossible to guarantee.
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => core.Get<AuditLog>().AppendAsync(db, [new AuditRecord("a", "b", "c")], default));
        Assert.Contains("inside the transaction", ex.Message);
    }
}
