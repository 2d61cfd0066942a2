using Bulwark.Core.Reports.Research;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// The query object translated for the database answers exactly what the same expression answers in memory, for random
/// query objects over random rows (nulls included), on both providers.
/// </summary>
public class QueryTranslationProperties
{
    private static readonly string[] Kinds = ["video", "text", "comment"];
    private static readonly string?[] Regions = ["IT", "GB", "DE", null];
    private static readonly string?[] Languages = ["it", "en", null];
    private static readonly string[] Words = ["pasta", "Football", "derby", "rain"];
    private static readonly string[] Tags = ["cooking", "sport", "news"];

    private static Gen<Condition> Conditions() => Gen.OneOf(
        from op in Gen.Elements("EQ", "IN") from v in Gen.SubListOf(Kinds.Append("livestream").ToArray()) where v.Count > 0
        select new Condition("kind", op, op == "EQ" ? [v[0]] : v.ToList()),
        from op in Gen.Elements("EQ", "IN") from v in Gen.SubListOf(new[] { "IT", "GB", "DE", "FR" }) where v.Count > 0
        select new Condition("region_code", op, op == "EQ" ? [v[0]] : v.ToList()),
        from v in Gen.Elements("it", "en", "de") select new Condition("language", "EQ", [v]),
        from op in Gen.Elements(Operations.All.Where(o => o != "IN").ToArray()) from d in Gen.Choose(1, 9)
        select new Condition("create_date", op, [$"2026030{d}"]),
        from op in Gen.Elements(Operations.All.Where(o => o != "IN").ToArray()) from n in Gen.Choose(0, 100)
        select new Condition("view_count", op, [n.ToString()]),
        from w in Gen.Elements(Words.Append("PASTA").Append("zzz").ToArray()) select new Condition("keyword", "EQ", [w]),
        from v in Gen.SubListOf(Tags.Append("#Sport").ToArray()) where v.Count > 0 select new Condition("hashtag_name", "IN", v.ToList()));

    private static Gen<(QueryConditions Query, DateWindow Window)> Queries() =>
        from and in Gen.ListOf(Conditions()).Select(l => l.Take(3).ToList())
        from or in Gen.ListOf(Conditions()).Select(l => l.Take(2).ToList())
        from not in Gen.ListOf(Conditions()).Select(l => l.Take(2).ToList())
        from start in Gen.Choose(1, 5)
        from length in Gen.Choose(0, 4)
        select (new QueryConditions(and, or, not), new DateWindow(new DateOnly(2026, 3, start), new DateOnly(2026, 3, start + length)));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_database_answers_what_the_expression_answers_in_memory(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var random = new Random(7);
        var rows = Enumerable.Range(0, 80).Select(i =>
        {
            var day = random.Next(1, 10);
            var tags = Tags.Where(_ => random.Next(3) == 0).ToList();
            return new ResearchContentRow
            {
                ContentId = $"c{i}", VersionId = i + 1, Kind = Kinds[random.Next(Kinds.Length)], AccountId = $"a{i % 7}",
                Region = Regions[random.Next(Regions.Length)], Language = Languages[random.Next(Languages.Length)],
                CreatedDay = 20260300 + day, CreatedAt = new DateTimeOffset(2026, 3, day, 8, 0, 0, TimeSpan.Zero),
                Text = random.Next(5) == 0 ? null : $"about {Words[random.Next(Words.Length)]} and {Words[random.Next(Words.Length)]}",
                Hashtags = "|" + string.Concat(tags.Select(t => t + "|")), ViewCount = random.Next(4) == 0 ? null : random.Next(0, 100),
                IsPublic = true, IsAdult = true,
            };
        }).ToList();
        var dbs = core.Get<IBulwarkDbFactory>();
        await using (var db = dbs.Create())
        {
            db.AddRange(rows);
            await db.SaveChangesAsync();
        }
        var dataset = ResearchCatalogue.Content;

        Prop.ForAll(Queries().ToArbitrary(), q =>
        {
            var (prepared, error) = dataset.Prepare(q.Query, q.Window);
            if (error is not null) return false.Label(error);
            var filter = dataset.FilterOf(prepared!);
            using var db = dbs.Create();
            var fromDb = db.Set<ResearchContentRow>().Where(filter).Select(r => r.ContentId).AsEnumerable().Order().ToList();
            var inMemory = rows.Where(filter.Compile()).Select(r => r.ContentId).Order().ToList();
            return fromDb.SequenceEqual(inMemory).Label($"database {fromDb.Count} vs memory {inMemory.Count}: {db.Set<ResearchContentRow>().Where(filter).ToQueryString()}");
        }).QuickCheckThrowOnFailure();
    }
}
