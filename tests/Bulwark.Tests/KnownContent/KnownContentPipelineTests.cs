using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.KnownContent;

/// <summary>Links, missing ffmpeg, and an index following changes made by another process.</summary>
public class KnownContentPipelineTests
{
    private static async Task<List<SignalRow>> ProcessAsync(CoreServices core)
    {
        var queue = core.Get<IWorkQueue>();
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("test", 10, default), default);
        Assert.Empty(outcome.Failed);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Signals.OrderBy(s => s.Id).ToListAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Links_are_normalised_and_matched_against_url_and_url_md5_entries(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var banks = core.Get<BankService>();
        await banks.CreateBankAsync("links", new BankSettings(), "tester", default);
        await banks.AddEntriesAsync("links",
        [
            new NewEntry("url", "example.org/propaganda", ["radicalisation-recruitment-or-instruction"], Source: "TCAP"),
            new NewEntry("url_md5", KnownSignalTypes.Md5Hex("example.net/video?id=7")),
        ], false, "tester", default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "c1", Kind = "comment", Text = "see links",
            Links = ["https://WWW.example.org/propaganda/#top", "http://example.net/video?id=7", "https://example.com/harmless"],
        }, null, default);

        var signals = await ProcessAsync(core);
        Assert.Equal(3, signals.Count(s => s.Type == SignalTypes.Url));
        Assert.Contains(signals, s => s.Type == SignalTypes.Url && s.Value == $"url=example.org/propaganda;md5={KnownSignalTypes.Md5Hex("example.org/propaganda")}");
        var matches = signals.Where(s => s.Type == SignalTypes.HashMatch).OrderBy(s => s.Explanation).ToList();
        Assert.Equal(2, matches.Count);
        Assert.StartsWith("links[0] url equals entry", matches[0].Explanation);
        Assert.Contains("source TCAP", matches[0].Explanation);
        Assert.StartsWith("links[1] url_md5 equals entry", matches[1].Explanation);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task In_the_pipeline_a_safe_bank_match_replaces_the_other_matches_and_names_them(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var banks = core.Get<BankService>();
        var image = SyntheticMedia.Image(31);
        var stored = await core.Get<IMediaStore>().PutAsync(new MemoryStream(image), 1 << 24, default);
        await banks.CreateBankAsync("terror", new BankSettings(), "tester", default);
        await banks.CreateBankAsync("news", new BankSettings(Safe: true), "tester", default);
        var terror = (await banks.AddEntriesAsync("terror", [new NewEntry("sha256", stored.Sha256!, ["glorification-of-terrorist-acts"])], false, "tester", default)).Added[0];
        var news = (await banks.AddEntriesAsync("news", [new NewEntry("md5", stored.Md5!, ["news report"])], false, "tester", default)).Added[0];
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "n", Kind = "image", Media = [new MediaRef { Part = "n.png" }] },
            new Dictionary<string, StoredMedia> { ["n.png"] = new("n.png", stored.Sha256!, stored.Size, "image/png") }, default);

        var signals = await ProcessAsync(core);
        Assert.DoesNotContain(signals, s => s.Type == SignalTypes.HashMatch);
        var safe = Assert.Single(signals, s => s.Type == SignalTypes.SafeMatch);
        Assert.Equal(("news", news.Id), (safe.Bank, safe.BankEntryId));
        Assert.Contains($"suppressed: media[0] sha256 equals entry {terror.Id} of bank 'terror'", safe.Explanation);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal("no_action", (await db.Decisions.SingleAsync()).Outcome);
    }

    [Fact]
    public async Task Without_ffmpeg_videos_are_reported_unhashable_and_readiness_says_so()
    {
        var noFfmpeg = new Dictionary<string, string?> { ["Bulwark:KnownContent:FfmpegPath"] = "/nonexistent/ffmpeg" };
        await using (var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, noFfmpeg))
        {
            var stored = await core.Get<IMediaStore>().PutAsync(new MemoryStream([0, 0, 0, 24, 102, 116, 121, 112]), 1000, default);
            await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "v", Kind = "video", Media = [new MediaRef { Part = "v.mp4" }] },
                new Dictionary<string, StoredMedia> { ["v.mp4"] = new("v.mp4", stored.Sha256!, stored.Size, "video/mp4") }, default);
            var unhashable = Assert.Single(await ProcessAsync(core), s => s.Type == SignalTypes.MediaUnhashable);
            Assert.Contains("video hashing is unavailable", unhashable.Explanation);
            Assert.Contains("'ffmpeg' is not installed", unhashable.Explanation); // named, but not by its server path
            Assert.DoesNotContain("/nonexistent", unhashable.Explanation);
        }

        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite, noFfmpeg);
        JsonElement check = default;
        await Eventually.UntilAsync(async () =>
        {
            var ready = await (await host.Admin.GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>();
            check = ready.GetProperty("checks").GetProperty("known-content");
            return check.GetProperty("status").GetString() != "unhealthy";
        });
        Assert.Equal("degraded", check.GetProperty("status").GetString());
        Assert.Contains("video hashing unavailable", check.GetProperty("description").GetString());
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent([0, 0, 0, 24, 102, 116, 121, 112]);
        part.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(part, "file", "clip.mp4");
        var response = await host.Admin.PostAsync("/api/v1/hash", form);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("clip.mp4", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_index_follows_entries_added_and_disabled_by_another_process(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var index = core.Get<PdqIndexService>();
        await index.RefreshAsync(default);
        Assert.Equal(0, index.Entries);

        // A second process (the CLI, another node) on the same database.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(core.Database.Settings()).Build();
        await using var other = new ServiceCollection().AddSingleton<TimeProvider>(core.Clock).AddLogging().AddBulwarkCore(configuration).BuildServiceProvider();
        var otherBanks = other.GetRequiredService<BankService>();
        await otherBanks.CreateBankAsync("shared", new BankSettings(), "cli", default);
        var hash = new Matching.Hashing.PdqHash(1, 2, 3, 4);
        var added = await otherBanks.AddEntriesAsync("shared", [new NewEntry("pdq", hash.ToString())], false, "cli", default);
        Assert.Equal(0, index.Entries); // not yet: the other process does not notify this one

        core.Clock.Advance(TimeSpan.FromSeconds(1));
        await index.RefreshAsync(default);
        Assert.Equal(1, index.Entries);
        var hits = new List<IndexHit>();
        index.Search(hash, 0, hits);
        Assert.Equal(added.Added[0].Id, Assert.Single(hits).Ref.EntryId);

        core.Clock.Advance(TimeSpan.FromSeconds(1));
        await otherBanks.SetEntryEnabledAsync("shared", added.Added[0].Id, false, "cli", default);
        await index.RefreshAsync(default);
        Assert.Equal(0, index.Entries);
        hits.Clear();
        index.Search(hash, 0, hits);
        Assert.Empty(hits);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_snapshot_gives_a_fast_start_that_still_picks_up_later_changes_and_is_refused_for_another_database(DatabaseProvider provider)
    {
        var snapshot = Path.Combine(Path.GetTempPath(), $"bulwark-snapshot-{Guid.NewGuid():N}.bin");
        var settings = new Dictionary<string, string?> { ["Bulwark:KnownContent:IndexSnapshotPath"] = snapshot };
        try
        {
            await using var core = await CoreServices.CreateAsync(provider, settings);
            var banks = core.Get<BankService>();
            await banks.CreateBankAsync("s", new BankSettings(), "tester", default);
            var random = new Random(9);
            Matching.Hashing.PdqHash Random() => new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());
            var hashes = Enumerable.Range(0, 50).Select(_ => Random()).ToList();
            await banks.AddEntriesAsync("s", hashes.Select(h => new NewEntry("pdq", h.ToString())).ToList(), false, "tester", default);
            var first = core.Get<PdqIndexService>();
            await first.RefreshAsync(default);
            await first.SaveSnapshotAsync(default);
            Assert.True(File.Exists(snapshot));
            Assert.False(first.LoadedFromSnapshot);

            // Changes after the snapshot: one more entry, one disabled.
            core.Clock.Advance(TimeSpan.FromSeconds(1));
            var late = Random();
            await banks.AddEntriesAsync("s", [new NewEntry("pdq", late.ToString())], false, "tester", default);
            var entries = await banks.ListEntriesAsync("s", 0, 10, default);
            await banks.SetEntryEnabledAsync("s", entries.Entries[0].Id, false, "tester", default);

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(core.Database.Settings().Concat(settings)).Build();
            await using var restarted = new ServiceCollection().AddSingleton<TimeProvider>(core.Clock).AddLogging().AddBulwarkCore(configuration).BuildServiceProvider();
            var second = restarted.GetRequiredService<PdqIndexService>();
            await second.RefreshAsync(default);
            Assert.True(second.LoadedFromSnapshot);
            Assert.Equal(50, second.Entries);
            var hits = new List<IndexHit>();
            second.Search(late, 0, hits);
            Assert.Single(hits);
            hits.Clear();
            second.Search(hashes[0], 0, hits);
            Assert.Empty(hits);
            hits.Clear();
            second.Search(hashes[1], 0, hits);
            Assert.Single(hits);

            // The same file offered to another database is not used.
            await using var elsewhere = await CoreServices.CreateAsync(provider, settings);
            var third = elsewhere.Get<PdqIndexService>();
            await third.RefreshAsync(default);
            Assert.False(third.LoadedFromSnapshot);
            Assert.Equal(0, third.Entries);
        }
        finally { File.Delete(snapshot); }
    }
}
