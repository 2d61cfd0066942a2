using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Storage;

/// <summary>
/// <see cref="BulkInsert"/> splits rows into statements of a bounded number of parameters (40 on SQLite, where binding by
/// name is quadratic in it). Whatever the split, the rows read back through EF Core must be exactly the rows given, in
/// order, with the ids it returned — the simple reference being one row per statement.
/// </summary>
public sealed class BulkInsertTests
{
    private static readonly string[] Columns = ["ContentId", "Version", "Fingerprint", "EventJson", "Status", "Error", "ReceivedAt", "DecidedAt"];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Any_row_count_at_any_statement_size_reads_back_as_written(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var dbs = core.Get<IBulwarkDbFactory>();
        var round = 0;
        // Statement sizes: one column (a row per statement even when the row is wider), a row and a bit, the defaults, and more
        // than any batch here; row counts around the chunk boundaries of each.
        var sizes = Gen.Elements(1, 8, 9, 17, BulkInsert.SqliteMaxParameters, BulkInsert.PostgresMaxParameters, 5000);
        var property = Prop.ForAll(Arb.From(Gen.Choose(0, 130)), Arb.From(sizes), Arb.From(Gen.Choose(0, 1_000_000)), (count, size, seed) =>
        {
            var tag = $"b{Interlocked.Increment(ref round)}-";
            var random = new Random(seed);
            var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
            var rows = Enumerable.Range(0, count).Select(i => new ContentVersion
            {
                ContentId = tag + i,
                Version = random.Next(1, 50),
                Fingerprint = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())),
                EventJson = $"{{\"n\":{i},\"text\":\"r\u00e9sum\u00e9 '{random.Next()}' \\\"q\\\"\"}}",
                Status = random.Next(2) == 0 ? ContentStatus.Queued : ContentStatus.Failed,
                Error = random.Next(3) == 0 ? null : "err " + random.Next(),
                ReceivedAt = at.AddMilliseconds(random.Next()),
                DecidedAt = random.Next(2) == 0 ? null : at.AddSeconds(random.Next(1000)),
            }).ToList();

            var (ids, stored) = WriteAndReadAsync(dbs, rows, size, tag).GetAwaiter().GetResult();

            var byId = stored.ToDictionary(v => v.Id);
            return ids.Count == count
                && stored.Count == count
                && ids.Distinct().Count() == count
                && rows.Select((r, i) => (r, i)).All(x => byId.TryGetValue(ids[x.i], out var s)
                    && s.ContentId == x.r.ContentId && s.Version == x.r.Version && s.Fingerprint == x.r.Fingerprint
                    && s.EventJson == x.r.EventJson && s.Status == x.r.Status && s.Error == x.r.Error
                    && s.ReceivedAt == x.r.ReceivedAt && s.DecidedAt == x.r.DecidedAt);
        });
        // Off the test's synchronisation context: the property blocks on database calls.
        await Task.Run(() => property.Check(Config.QuickThrowOnFailure.WithMaxTest(60)));
        Assert.Equal(60, round);
    }

    private static async Task<(List<long> Ids, List<ContentVersion> Stored)> WriteAndReadAsync(IBulwarkDbFactory dbs, List<ContentVersion> rows, int size, string tag)
    {
        List<long> ids;
        await using (var db = dbs.Create())
        {
            await using var tx = await dbs.BeginWriteAsync(db, default);
            var returned = await BulkInsert.InsertAsync(db, rows, Columns, ["Id"], size, default);
            await tx.CommitAsync(default);
            ids = returned.Select(r => Convert.ToInt64(r[0])).ToList();
        }
        await using var read = dbs.Create();
        return (ids, await read.ContentVersions.AsNoTracking().Where(v => v.ContentId.StartsWith(tag)).ToListAsync());
    }
}
