using System.Net.Http.Json;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Storage;
using Bulwark.Core.Storage.Watermarks;
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

    /// <summary>
    /// The out-of-order commit that outlasts <see cref="ResearchIndexer.GapSettle"/>: a writer takes an id, a later id commits
    /// and is indexed, the gap settles and the indexer reads past it, and only then the slow writer commits. Its version is
    /// copied all the same, because the ids read past are kept and looked up again (before, the watermark had moved past it
    /// and it was never copied).
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_version_that_commits_after_its_gap_has_settled_is_still_copied(DatabaseProvider provider)
    {
        await using var s = await ResearchScenario.StartAsync(provider, new() { ["Bulwark:Roles"] = "api,worker" });
        await s.SeedContentAsync();
        var indexer = s.Host.Services.GetRequiredService<ResearchIndexer>();
        await indexer.CatchUpAsync(default);
        var dbs = s.Host.Services.GetRequiredService<IBulwarkDbFactory>();

        await using var slow = dbs.Create();
        await using var tx = await slow.Database.BeginTransactionAsync();
        var template = await slow.ContentVersions.AsNoTracking().Where(v => v.ContentId == "pub-01").OrderByDescending(v => v.Id).FirstAsync();
        slow.ContentVersions.Add(new ContentVersion
        {
            ContentId = "pub-01", Version = template.Version + 1, Fingerprint = new string('f', 64),
            EventJson = template.EventJson.Replace("caption 1 about", "very late caption about"), Status = template.Status,
            ReceivedAt = s.Clock.GetUtcNow(),
        });
        await slow.SaveChangesAsync();

        var later = await s.Host.Admin.PostAsJsonAsync("/api/v1/content/batch", new
        {
            events = new[] { ResearchScenario.Item("pub-late", "acct-adult-0", adult: true, "public", "IT", 3, "committed first", []) },
        });
        Assert.True(later.IsSuccessStatusCode, await later.Content.ReadAsStringAsync());
        s.Clock.Advance(ResearchIndexer.GapSettle + TimeSpan.FromSeconds(1));
        await indexer.CatchUpAsync(default);
        await using (var db = dbs.Create())
        {
            Assert.True(await db.Set<ResearchContentRow>().AnyAsync(r => r.ContentId == "pub-late")); // read past the settled gap
            Assert.Equal("caption 1 about football", (await db.Set<ResearchContentRow>().SingleAsync(r => r.ContentId == "pub-01")).Text);
            Assert.Equal(1, await db.Set<IndexGapRow>().Where(g => g.Name == ResearchIndexer.StateName).CountAsync()); // the id it read past is kept
        }

        await tx.CommitAsync();
        s.Clock.Advance(TimeSpan.FromMinutes(5));
        await indexer.CatchUpAsync(default);
        await using (var db = dbs.Create())
        {
            Assert.Equal("very late caption about football", (await db.Set<ResearchContentRow>().SingleAsync(r => r.ContentId == "pub-01")).Text);
            Assert.Equal(0, await db.Set<IndexGapRow>().Where(g => g.Name == ResearchIndexer.StateName).CountAsync());
        }
        Assert.Equal(1, indexer.LateVersionsApplied);
    }

    /// <summary>
    /// The same on both providers with ids written explicitly: a late version fills its gap and is applied, a late version older
    /// than the one a row holds changes nothing, and an id that never appears is forgotten after <see cref="ResearchIndexer.GapHorizon"/>.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Ids_read_past_are_looked_up_again_until_they_appear_or_the_horizon_passes(DatabaseProvider provider)
    {
        await using var s = await ResearchScenario.StartAsync(provider, new() { ["Bulwark:Roles"] = "api,worker" });
        await s.SeedContentAsync();
        var indexer = s.Host.Services.GetRequiredService<ResearchIndexer>();
        await indexer.CatchUpAsync(default);
        var dbs = s.Host.Services.GetRequiredService<IBulwarkDbFactory>();
        long top;
        await using (var db = dbs.Create()) top = await db.ContentVersions.MaxAsync(v => v.Id);

        async Task WriteAsync(long id, string contentId, int versionBump, string from, string to)
        {
            await using var db = dbs.Create();
            var template = await db.ContentVersions.AsNoTracking().Where(v => v.ContentId == contentId).OrderBy(v => v.Id).FirstAsync();
            db.ContentVersions.Add(new ContentVersion
            {
                Id = id, ContentId = contentId, Version = template.Version + versionBump, Fingerprint = "late-" + id,
                EventJson = template.EventJson.Replace(from, to), Status = template.Status, ReceivedAt = s.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        async Task<string?> TextAsync(string contentId)
        {
            await using var db = dbs.Create();
            return (await db.Set<ResearchContentRow>().SingleAsync(r => r.ContentId == contentId)).Text;
        }
        async Task<List<long>> GapsAsync()
        {
            await using var db = dbs.Create();
            return await db.Set<IndexGapRow>().Where(g => g.Name == ResearchIndexer.StateName).Select(g => g.Id).OrderBy(i => i).ToListAsync();
        }

        // top+3 commits first; top+1 and top+2 are still missing when the gap settles.
        await WriteAsync(top + 3, "pub-03", 1, "caption 3 about", "third version about");
        s.Clock.Advance(ResearchIndexer.GapSettle + TimeSpan.FromSeconds(1));
        await indexer.CatchUpAsync(default);
        Assert.Equal("third version about football", await TextAsync("pub-03"));
        Assert.Equal([top + 1, top + 2], await GapsAsync());

        // top+1 (a new version of pub-04) commits late: applied. top+2 (an older version of pub-03) commits late: the row
        // already holds a newer version, so nothing changes.
        await WriteAsync(top + 1, "pub-04", 1, "caption 4 about", "late version about");
        await WriteAsync(top + 2, "pub-03", 2, "caption 3 about", "stale version about");
        await indexer.CatchUpAsync(default);
        Assert.Equal("late version about pasta", await TextAsync("pub-04"));
        Assert.Equal("third version about football", await TextAsync("pub-03"));
        Assert.Empty(await GapsAsync());

        // A gap that never fills (a rolled-back insert) is looked up until the horizon, then forgotten.
        await WriteAsync(top + 6, "pub-05", 1, "caption 5 about", "sixth about");
        s.Clock.Advance(ResearchIndexer.GapSettle + TimeSpan.FromSeconds(1));
        await indexer.CatchUpAsync(default);
        Assert.Equal([top + 4, top + 5], await GapsAsync());
        s.Clock.Advance(ResearchIndexer.GapHorizon - TimeSpan.FromMinutes(1));
        await indexer.CatchUpAsync(default);
        Assert.Equal([top + 4, top + 5], await GapsAsync());
        s.Clock.Advance(TimeSpan.FromMinutes(2));
        await indexer.CatchUpAsync(default);
        Assert.Empty(await GapsAsync());
    }
}
