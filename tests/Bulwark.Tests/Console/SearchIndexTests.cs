using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Actions.Review.Search;
using Bulwark.Core.Ingest;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Console;

/// <summary>
/// The console's search index (SQLite FTS5, PostgreSQL tsvector + GIN) on both providers: the indexed text search equals a
/// plain reference (every query word starts a word of the item) over English, Italian and Greek text with punctuation and
/// query-language operators mixed in; operators and quotes typed by a user are words, never syntax, and never fail the
/// request; the index follows every write (new versions, signals) through the indexer; entity and hash search.
/// </summary>
public class SearchIndexTests
{
    private static readonly string[] Words =
    [
        "città", "CITTÀ", "Città", "perché", "perche", "odio", "Odio", "hate", "harbour", "Harbour", "festival", "festa", "fest",
        "NEAR", "near", "AND", "or", "NOT", "50", "5", "x1", "Αθήνα", "ΑΘΉΝΑ", "übermut", "naïve", "l", "un", "uno",
    ];

    private static readonly string[] Separators = [" ", "-", "_", "%", "'", "\"", ":", "*", "(", ")", ", ", "\n", "^", "+", "@", "#", "/", ".", "\\", "&", "|", "!", "{", "}"];

    private static Gen<string> Phrase(int min, int max) =>
        Gen.Choose(min, max).SelectMany(n => Gen.ArrayOf(Gen.Elements(Words), n).SelectMany(ws => Gen.ArrayOf(Gen.Elements(Separators), n)
            .Select(seps => string.Concat(ws.Zip(seps, (w, s) => w + s)))));

    /// <summary>A query: one to three words of the vocabulary, each possibly cut to a prefix, among separators and operators.</summary>
    private static Gen<string> Query() =>
        Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(Words).SelectMany(w => Gen.Choose(1, w.Length).Select(k => w[..k])), n)
            .SelectMany(ws => Gen.ArrayOf(Gen.Elements(Separators), n + 1).Select(seps => seps[0] + string.Concat(ws.Zip(seps.Skip(1), (w, s) => w + s)))));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Indexed_text_search_equals_the_reference_word_prefix_match_newest_first(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var dbs = core.Get<IBulwarkDbFactory>();
        // 120 generated items (seeded), some with a second version, text spread over caption, transcript, hashtags and bio.
        var docs = Gen.Sample(Gen.Zip(Phrase(0, 6), Phrase(0, 3), (a, b) => (a, b)).SelectMany(p => Gen.Elements(0, 1, 2, 3).Select(w => (p.a, p.b, w))), 120,
            new Rnd(2026UL, 0x9E3779B97F4A7C15UL), 10).ToArray();
        var versions = new List<(long VersionId, string ContentId, string Text)>();
        await using (var db = dbs.Create())
        {
            for (var i = 0; i < docs.Length; i++)
            {
                var (text, other, where) = docs[i];
                var id = $"doc-{i}";
                var e = new ContentEvent { Id = id, Kind = "post", Account = new AccountRef { Id = "acct-" + i } };
                e.Text = text;
                switch (where)
                {
                    case 1: e.Transcript = other; break;
                    case 2: e.Hashtags = [.. other.Split(' ', StringSplitOptions.RemoveEmptyEntries)]; break;
                    case 3: e.Account.Bio = other; break;
                }
                var now = core.Clock.GetUtcNow();
                db.ContentItems.Add(new ContentItem { Id = id, Kind = "post", AccountId = e.Account.Id, LatestVersion = 1, FirstSeenAt = now, UpdatedAt = now });
                var v = new ContentVersion
                {
                    ContentId = id, Version = 1, Fingerprint = "f" + i, Status = ContentStatus.Decided, ReceivedAt = now,
                    EventJson = JsonSerializer.Serialize(e, IngestJson.Default.ContentEvent),
                };
                db.ContentVersions.Add(v);
                await db.SaveChangesAsync();
                var indexed = string.Join(' ', new[] { e.Text, e.Transcript, e.Hashtags is null ? null : string.Join(' ', e.Hashtags), e.Account.Bio }.Where(s => s is not null));
                versions.Add((v.Id, id, indexed));
            }
        }

        // The index is written behind ingestion: wait for the indexer's catch-up (its completion signal) before searching.
        await core.Get<ContentSearchIndexer>().CatchUpAsync(default);

        List<string> Reference(IReadOnlyList<string> terms)
        {
            var found = new List<string>();
            foreach (var (_, contentId, text) in versions.OrderByDescending(v => v.VersionId))
            {
                var words = SearchTerms.Parse(text).Terms;
                if (terms.All(t => words.Any(w => w.StartsWith(t, StringComparison.Ordinal))) && !found.Contains(contentId)) found.Add(contentId);
            }
            return found.Take(CaseSearchService.MaxHits + 1).ToList();
        }

        // 300 generated queries (seeded, so a failure names a query that can be replayed).
        var checkedQueries = 0;
        foreach (var q in Gen.Sample(Query(), 300, new Rnd(23UL, 0x9E3779B97F4A7C15UL), 10))
        {
            var (terms, error) = SearchTerms.Parse(q);
            if (error is not null) continue;
            checkedQueries++;
            await using var db = dbs.Create();
            var actual = await ContentSearchIndex.FindTextAsync(db, terms, CaseSearchService.MaxHits + 1, default);
            var expected = Reference(terms);
            Assert.True(expected.SequenceEqual(actual), $"query {q} → [{string.Join(", ", terms)}]: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        }
        Assert.True(checkedQueries > 250, $"{checkedQueries} queries checked");
        // The reference is not trivially empty: most one-word queries find something.
        Assert.NotEmpty(Reference(["città"]));
        Assert.NotEmpty(Reference(["αθήνα"]));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Query_syntax_typed_by_a_user_is_searched_as_words_and_never_fails(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "q1", "acct-q", Reviewable, text: "Meet NEAR the harbour and: body*text \"quoted\" 50%_off");
        await UploadAsync(core, "q2", "acct-q", Reviewable, text: "Ci vediamo vicino al porto, perché è la città");
        await RunAsync(core);
        var search = core.Get<CaseSearchService>();

        async Task<IReadOnlyList<string>> Text(string q)
        {
            var r = await search.SearchAsync(q, SearchKinds.Text, Alice, default);
            Assert.True(r.Ok, $"{q}: {r.Message}");
            return r.Value!.Hits.Select(h => h.ContentId).ToList();
        }

        Assert.Equal(["q1"], await Text("NEAR"));
        Assert.Equal(["q1"], await Text("NEAR(harbour meet)"));
        Assert.Equal(["q1"], await Text("\"harbour"));
        Assert.Equal(["q1"], await Text("body:text"));
        Assert.Equal(["q1"], await Text("harb* AND quot*"));
        Assert.Empty(await Text("'; DROP TABLE content_search; --"));
        Assert.Equal(["q2"], await Text("PERCHÉ città"));
        Assert.Empty(await Text("perche citta")); // accents are kept on both providers
        Assert.Equal(["q2"], await Text("vicin port"));
        Assert.Empty(await Text("harbour porto")); // every word must be in the same item
        foreach (var q in new[] { "\"\"\"", "***", ":::", "*(:", "-(-", "&|!", "'''", "\\\\\\", "%_%", "()()" })
        {
            var r = await search.SearchAsync(q, SearchKinds.Text, Alice, default);
            Assert.Equal(ReviewError.Invalid, r.Error);
            Assert.Contains("letters or digits", r.Message);
            Assert.True((await search.SearchAsync(q, null, Alice, default)).Ok, q); // "everything" looks the input up as an id and finds nothing
        }
        Assert.Equal(ReviewError.Invalid, (await search.SearchAsync("a b c d e f g h i", SearchKinds.Text, Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await search.SearchAsync("x" + new string('y', 70), SearchKinds.Text, Alice, default)).Error);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_index_follows_new_versions_and_screening_signals_and_finds_items_by_entity_and_hash(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "v1", "acct-v", Reviewable, text: "First wording about a lighthouse");
        await RunAsync(core);
        var search = core.Get<CaseSearchService>();
        async Task<IReadOnlyList<string>> Find(string q, string kind) => (await search.SearchAsync(q, kind, Sam, default)).Value!.Hits.Select(h => h.ContentId).ToList();
        Assert.Equal(["v1"], await Find("lighthouse", SearchKinds.Text));
        Assert.Empty(await Find("windmill", SearchKinds.Text));

        // A second version is searchable at once (no rebuild); the first version's words still lead to the item, once.
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "v1", Kind = "video", Account = new AccountRef { Id = "acct-v", Bio = "Keeper of an invented windmill" }, Text = "Edited wording",
        }, new Dictionary<string, StoredMedia>(), default);
        Assert.Equal(["v1"], await Find("windmill", SearchKinds.Text));
        Assert.Equal(["v1"], await Find("lighthouse", SearchKinds.Text));
        Assert.Equal(["v1"], await Find("wording", SearchKinds.Text));

        // Hash: the SHA-256 sent with the media, any case; a 32-character hash is refused by name.
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("synthetic clip v1")));
        Assert.Equal(["v1"], await Find(sha.ToUpperInvariant(), SearchKinds.Hash));
        Assert.Empty(await Find(new string('0', 64), SearchKinds.Hash));
        Assert.Equal(ReviewError.Invalid, (await search.SearchAsync(new string('a', 32), SearchKinds.Hash, Sam, default)).Error);

        // Entity: a screening signal naming entity N (as EntityScreeningExtractor labels it) makes the item findable by the
        // entity's id, primary name or any of its terms.
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var now = core.Clock.GetUtcNow();
            var entity = new DesignatedEntityRow
            {
                Kind = EntityKinds.Organisation, PrimaryName = "Invented Harbour Front", Tier = EntityTiers.HatefulOrganisation, Status = EntityStatuses.Approved,
                Origin = "test", CreatedAt = now, UpdatedAt = now,
                Terms = [new EntityTermRow { Type = EntityTermTypes.Alias, Value = "IHF", Grade = EntityGrades.Strong, Origin = "test" }],
            };
            db.Add(entity);
            await db.SaveChangesAsync();
            var version = db.ContentVersions.Where(v => v.ContentId == "v1").OrderBy(v => v.Id).First();
            db.Signals.Add(new SignalRow
            {
                ContentVersionId = version.Id, Type = EntitySignalTypes.Mention, Source = "test", Explanation = "test",
                LabelsJson = JsonSerializer.Serialize(new[] { $"entity:{entity.Id}", "tier:hateful_organisation", "field:text" }), CreatedAt = now,
            });
            // A signal of another type with the same label is not an entity mention.
            db.Signals.Add(new SignalRow { ContentVersionId = version.Id, Type = "text.classifier", Source = "test", Explanation = "test", LabelsJson = "[\"entity:999\"]", CreatedAt = now });
            await db.SaveChangesAsync();
            Assert.Equal(["v1"], await Find(entity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), SearchKinds.Entity));
        }
        Assert.Equal(["v1"], await Find("invented harbour front", SearchKinds.Entity));
        Assert.Equal(["v1"], await Find("ihf", SearchKinds.Entity));
        Assert.Empty(await Find("999", SearchKinds.Entity));
        Assert.Empty(await Find("Unknown Front", SearchKinds.Entity));
    }
}
