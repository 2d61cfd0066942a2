using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Actions.Review.Search;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Bulwark.Core.Storage.Watermarks;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Console;

/// <summary>
/// The search index is written behind ingestion by <see cref="ContentSearchIndexer"/> (no trigger inside ingestion's
/// transaction): a version that commits after a higher id is still indexed (the watermark and gaps shared with the research
/// read model), a restarted indexer resumes from its watermark, a search says how far behind the index is, an unreadable
/// stored event never wedges the indexer, and a deleted version leaves the index.
/// </summary>
public class SearchIndexerTests
{
    private static async Task<long> WriteAsync(CoreServices core, string contentId, string text, long? id = null, string? json = null)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var now = core.Clock.GetUtcNow();
        var item = await db.ContentItems.FirstOrDefaultAsync(i => i.Id == contentId);
        if (item is null)
        {
            item = new ContentItem { Id = contentId, Kind = "post", AccountId = "acct-ix", LatestVersion = 0, FirstSeenAt = now, UpdatedAt = now };
            db.ContentItems.Add(item);
        }
        item.LatestVersion++;
        var e = new ContentEvent { Id = contentId, Kind = "post", Account = new AccountRef { Id = "acct-ix" }, Text = text };
        var v = new ContentVersion
        {
            ContentId = contentId, Version = item.LatestVersion, Fingerprint = $"ix-{contentId}-{item.LatestVersion}", Status = ContentStatus.Decided,
            ReceivedAt = now, EventJson = json ?? JsonSerializer.Serialize(e, IngestJson.Default.ContentEvent),
        };
        if (id is { } explicitId) v.Id = explicitId;
        db.ContentVersions.Add(v);
        await db.SaveChangesAsync();
        return v.Id;
    }

    private static async Task<List<string>> FindAsync(CoreServices core, string words)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await ContentSearchIndex.FindTextAsync(db, SearchTerms.Parse(words).Terms, 10, default);
    }

    private static async Task<List<long>> GapsAsync(CoreServices core)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<IndexGapRow>().Where(g => g.Name == ContentSearchIndexer.ContentWatermark).Select(g => g.Id).OrderBy(i => i).ToListAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Ingestion_does_not_write_the_index_and_the_indexer_catches_up_and_resumes_after_a_restart(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await WriteAsync(core, "ix-1", "an invented lighthouse keeper");
        Assert.Empty(await FindAsync(core, "lighthouse")); // not in ingestion's transaction any more
        var indexer = core.Get<ContentSearchIndexer>();
        await indexer.CatchUpAsync(default);
        Assert.Equal(["ix-1"], await FindAsync(core, "lighthouse"));
        var before = indexer.VersionsIndexed;
        Assert.True(before >= 1);

        // A new process (a restart): it reads on from the stored watermark, indexing only what was written since.
        await WriteAsync(core, "ix-2", "an invented windmill");
        await WriteAsync(core, "ix-1", "second wording about the lighthouse");
        var restarted = new ContentSearchIndexer(core.Get<IBulwarkDbFactory>(), core.Clock);
        await restarted.CatchUpAsync(default);
        Assert.Equal(2, restarted.VersionsIndexed);
        Assert.Equal(["ix-2"], await FindAsync(core, "windmill"));
        Assert.Equal(["ix-1"], await FindAsync(core, "second wording"));
        Assert.Equal(["ix-1"], await FindAsync(core, "invented lighthouse")); // the first version's words still lead to the item
        Assert.Null(await restarted.LagAsync(default));
    }

    /// <summary>
    /// Ids written out of order (as PostgreSQL commits them): a young gap holds the index, and the search says how far behind
    /// it is; once the gap fills, everything is found and the lag goes.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_search_says_how_far_behind_the_index_is_while_a_gap_holds_it(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var top = await WriteAsync(core, "lag-0", "an invented harbour");
        await core.Get<ContentSearchIndexer>().CatchUpAsync(default);
        var search = core.Get<CaseSearchService>();
        async Task<SearchResults> Search(string q)
        {
            var r = await search.SearchAsync(q, SearchKinds.Text, Alice, default);
            Assert.True(r.Ok, r.Message);
            return r.Value!;
        }
        Assert.Null((await Search("harbour")).IndexBehind);

        await WriteAsync(core, "lag-3", "a zeppelin over the harbour", id: top + 3);
        core.Clock.Advance(TimeSpan.FromSeconds(12));
        var held = await Search("zeppelin");
        Assert.Empty(held.Hits);
        Assert.Equal(TimeSpan.FromSeconds(12), held.IndexBehind);
        Assert.Equal(TimeSpan.FromSeconds(12), (await search.SearchAsync("harbour", SearchKinds.Auto, Alice, default)).Value!.IndexBehind);
        Assert.Null((await search.SearchAsync("lag-0", SearchKinds.Content, Alice, default)).Value!.IndexBehind); // no index used

        await WriteAsync(core, "lag-1", "a balloon", id: top + 1);
        await WriteAsync(core, "lag-2", "a kite", id: top + 2);
        var found = await Search("zeppelin");
        Assert.Equal(["lag-3"], found.Hits.Select(h => h.ContentId));
        Assert.Null(found.IndexBehind);
        Assert.Equal(["lag-2"], (await Search("kite")).Hits.Select(h => h.ContentId));
    }

    /// <summary>
    /// A version whose transaction commits after a higher id was indexed and after its gap settled is still indexed: the id
    /// read past is kept in <c>index_gaps</c> and looked up again (the mechanism shared with the research read model).
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_version_that_commits_after_its_gap_has_settled_is_still_indexed(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await WriteAsync(core, "ooo-0", "an invented harbour");
        var indexer = core.Get<ContentSearchIndexer>();
        await indexer.CatchUpAsync(default);
        var dbs = core.Get<IBulwarkDbFactory>();

        // A slow writer takes an id and has not committed yet; a later version commits with a higher id.
        await using var slow = dbs.Create();
        await using var tx = await slow.Database.BeginTransactionAsync();
        slow.ContentVersions.Add(new ContentVersion
        {
            ContentId = "ooo-0", Version = 2, Fingerprint = "ooo-slow", Status = ContentStatus.Decided, ReceivedAt = core.Clock.GetUtcNow(),
            EventJson = JsonSerializer.Serialize(new ContentEvent { Id = "ooo-0", Kind = "post", Text = "a late zeppelin" }, IngestJson.Default.ContentEvent),
        });
        await slow.SaveChangesAsync();
        await WriteAsync(core, "ooo-1", "committed first about a balloon");

        await indexer.CatchUpAsync(default);
        Assert.Empty(await FindAsync(core, "balloon")); // held behind the young gap
        Assert.NotNull(await indexer.LagAsync(default));

        core.Clock.Advance(IdWatermark.GapSettle + TimeSpan.FromSeconds(1));
        await indexer.CatchUpAsync(default);
        Assert.Equal(["ooo-1"], await FindAsync(core, "balloon")); // read past the settled gap
        Assert.Empty(await FindAsync(core, "zeppelin"));
        Assert.Single(await GapsAsync(core));

        await tx.CommitAsync();
        core.Clock.Advance(TimeSpan.FromMinutes(5));
        await indexer.CatchUpAsync(default);
        Assert.Equal(["ooo-0"], await FindAsync(core, "zeppelin"));
        Assert.Empty(await GapsAsync(core));
        Assert.Equal(1, indexer.LateRowsIndexed);
    }

    /// <summary>
    /// A stored event PostgreSQL's <c>::jsonb</c> would refuse (not JSON; a NUL or a lone surrogate in a string) never fails
    /// the indexer's batch: the version is indexed without words (counted) or with the readable words, and the next is indexed.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Unreadable_stored_events_never_wedge_the_indexer_and_a_deleted_version_leaves_the_index(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await WriteAsync(core, "bad-1", "", json: "{\"id\":\"bad-1\",\"text\":\"unterminated");
        await WriteAsync(core, "bad-2", "", json: "{\"id\":\"bad-2\",\"kind\":\"post\",\"text\":\"nul\\u0000inside quokka \\ud800 lone\"}");
        var good = await WriteAsync(core, "good-3", "a readable platypus");
        var indexer = core.Get<ContentSearchIndexer>();
        await indexer.CatchUpAsync(default);
        Assert.Equal(1, indexer.UnreadableEvents);
        Assert.Equal(3, indexer.VersionsIndexed);
        Assert.Equal(["bad-2"], await FindAsync(core, "quokka lone"));
        Assert.Equal(["good-3"], await FindAsync(core, "platypus"));
        Assert.Null(await indexer.LagAsync(default));

        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            await db.ContentVersions.Where(v => v.Id == good).ExecuteDeleteAsync();
        Assert.Empty(await FindAsync(core, "platypus"));
    }

    [Fact]
    public void Words_and_hashes_are_extracted_from_the_stored_event()
    {
        var sha = new string('A', 64);
        var doc = ContentSearchIndexer.ExtractDoc(7, "c", $$"""{"text":"Caption","transcript":"Spoken","hashtags":["tag1",5],"account":{"handle":"h","displayName":"Name","bio":"Bio"},"media":[{"sha256":"{{sha}}"},{"sha256":"{{sha}}"},{"sha256":"x y"},3]}""")!;
        Assert.Equal("Caption Spoken tag1 h Name Bio", doc.Body);
        Assert.Equal(new string('a', 64), doc.Hashes);
        Assert.Null(ContentSearchIndexer.ExtractDoc(1, "c", "[1,2"));
        Assert.Equal("", ContentSearchIndexer.ExtractDoc(1, "c", "[1,2]")?.Body ?? "");
        Assert.Equal([12L, 34L], ContentSearchIndexer.EntityIds("""["entity:12","tier:x","entity:34","entity:1x",7]"""));
        Assert.Empty(ContentSearchIndexer.EntityIds("not json"));
    }
}
