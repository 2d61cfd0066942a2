using System.Net.Http.Json;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// The read model holds only what the catalogue may serve: content marked public by an adult account. Everything else is not
/// copied (copying every accepted event cost the pipeline a quarter of its throughput), but a row it holds is corrected when a
/// later version takes the item out of public view.
/// </summary>
public sealed class ResearchIndexerTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Only_public_content_by_adults_is_copied_and_a_copied_row_follows_later_versions(DatabaseProvider provider)
    {
        await using var s = await ResearchScenario.StartAsync(provider);
        await s.SeedContentAsync();
        var indexer = s.Host.Services.GetRequiredService<ResearchIndexer>();
        await indexer.CatchUpAsync(default);

        await using (var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
        {
            var ids = await db.Set<ResearchContentRow>().Select(r => r.ContentId).OrderBy(i => i).ToListAsync();
            Assert.Equal(Enumerable.Range(0, 30).Select(i => $"pub-{i:D2}"), ids);
        }

        // pub-00 turns private; private-1 stays private in a new version (still not copied).
        var update = await s.Host.Admin.PostAsJsonAsync("/api/v1/content/batch", new
        {
            events = new[]
            {
                ResearchScenario.Item("pub-00", "acct-adult-0", adult: true, "private", "IT", 1, "now private", []),
                ResearchScenario.Item("private-1", "acct-adult-0", adult: true, "private", "IT", 2, "still private", []),
            },
        });
        Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());
        await indexer.CatchUpAsync(default);

        await using (var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
        {
            var row = await db.Set<ResearchContentRow>().SingleAsync(r => r.ContentId == "pub-00");
            Assert.False(row.IsPublic);
            Assert.Equal("now private", row.Text);
            Assert.False(await db.Set<ResearchContentRow>().AnyAsync(r => r.ContentId == "private-1"));
            Assert.Equal(30, await db.Set<ResearchContentRow>().CountAsync());
        }
    }

    /// <summary>
    /// PostgreSQL hands out ids at insert, not at commit: a version whose transaction commits after a higher id is already
    /// visible must still be copied. The watermark stopped past such ids before; now a young gap holds the window.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_version_that_commits_after_a_higher_id_is_still_copied(DatabaseProvider provider)
    {
        await using var s = await ResearchScenario.StartAsync(provider);
        await s.SeedContentAsync();
        var indexer = s.Host.Services.GetRequiredService<ResearchIndexer>();
        await indexer.CatchUpAsync(default);
        var dbs = s.Host.Services.GetRequiredService<IBulwarkDbFactory>();

        // A slow writer takes an id for a new public version of pub-01 and has not committed yet.
        await using var slow = dbs.Create();
        await using var tx = await slow.Database.BeginTransactionAsync();
        var template = await slow.ContentVersions.AsNoTracking().Where(v => v.ContentId == "pub-01").OrderByDescending(v => v.Id).FirstAsync();
        slow.ContentVersions.Add(new ContentVersion
        {
            ContentId = "pub-01", Version = template.Version + 1, Fingerprint = new string('f', 64),
            EventJson = template.EventJson.Replace("caption 1 about", "late caption about"), Status = template.Status,
            ReceivedAt = s.Clock.GetUtcNow(),
        });
        await slow.SaveChangesAsync();

        // Meanwhile another item is accepted and committed with a higher id.
        var later = await s.Host.Admin.PostAsJsonAsync("/api/v1/content/batch", new
        {
            events = new[] { ResearchScenario.Item("pub-late", "acct-adult-0", adult: true, "public", "IT", 3, "committed first", []) },
        });
        Assert.True(later.IsSuccessStatusCode, await later.Content.ReadAsStringAsync());
        await indexer.CatchUpAsync(default);
        await using (var db = dbs.Create())
            Assert.False(await db.Set<ResearchContentRow>().AnyAsync(r => r.ContentId == "pub-late")); // held behind the open gap

        await tx.CommitAsync();
        await indexer.CatchUpAsync(default);
        await using (var db = dbs.Create())
        {
            Assert.Equal("late caption about football", (await db.Set<ResearchContentRow>().SingleAsync(r => r.ContentId == "pub-01")).Text);
            Assert.True(await db.Set<ResearchContentRow>().AnyAsync(r => r.ContentId == "pub-late"));
        }
    }

    /// <summary>A gap left by a rolled-back insert holds the window only until it has settled; then the versions after it are read.</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_gap_from_a_rolled_back_insert_is_read_past_once_settled(DatabaseProvider provider)
    {
        await using var s = await ResearchScenario.StartAsync(provider);
        await s.SeedContentAsync();
        var indexer = s.Host.Services.GetRequiredService<ResearchIndexer>();
        await indexer.CatchUpAsync(default);
        var dbs = s.Host.Services.GetRequiredService<IBulwarkDbFactory>();
        await using (var db = dbs.Create())
        {
            // Leave a hole in the ids, as a rolled-back insert does on PostgreSQL.
            var next = await db.ContentVersions.MaxAsync(v => v.Id) + 5;
            var template = await db.ContentVersions.AsNoTracking().FirstAsync(v => v.ContentId == "pub-02");
            db.ContentVersions.Add(new ContentVersion
            {
                Id = next, ContentId = "pub-02", Version = template.Version + 1, Fingerprint = "after-gap",
                EventJson = template.EventJson.Replace("caption 2 about", "after the gap about"), Status = template.Status,
                ReceivedAt = s.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        await indexer.CatchUpAsync(default);
        await using (var db = dbs.Create())
            Assert.Equal("caption 2 about pasta", (await db.Set<ResearchContentRow>().SingleAsync(r => r.ContentId == "pub-02")).Text);

        s.Clock.Advance(ResearchIndexer.GapSettle + TimeSpan.FromSeconds(1));
        await indexer.CatchUpAsync(default);
        await using (var db = dbs.Create())
            Assert.Equal("after the gap about pasta", (await db.Set<ResearchContentRow>().SingleAsync(r => r.ContentId == "pub-02")).Text);
    }
}
