using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Matching.Hashing;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.KnownContent;

/// <summary>Banks with labels and thresholds, the PDQ index, safe banks and the pipeline's known-content signals.</summary>
public class KnownContentTests
{
    private static PdqHash Flip(PdqHash h, int bits)
    {
        var w = new[] { h.W0, h.W1, h.W2, h.W3 };
        for (var i = 0; i < bits; i++) w[i / 64] ^= 1UL << (i % 64);
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    private static async Task<MediaHashes> HashAsync(CoreServices core, byte[] bytes, string mime)
    {
        var path = Path.Combine(core.Database.Directory, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, bytes);
        return await core.Get<MediaHasher>().HashFileAsync(path, mime, dihedral: false, default);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Pdq_matches_respect_each_banks_threshold_and_disabled_entries_stop_matching(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var banks = core.Get<BankService>();
        var matcher = core.Get<KnownContentMatcher>();
        var original = await HashAsync(core, SyntheticMedia.Image(1), "image/png");
        var copy = await HashAsync(core, SyntheticMedia.Resized(SyntheticMedia.Image(1), 320, 240), "image/jpeg");
        var other = await HashAsync(core, SyntheticMedia.Image(2), "image/png");
        Assert.True(original.Pdq!.Value.Quality >= 50);

        await banks.CreateBankAsync("wide", new BankSettings("synthetic"), "tester", default);
        await banks.CreateBankAsync("narrow", new BankSettings(PdqThreshold: 8), "tester", default);
        var entryHash = Flip(original.Pdq.Value.Hash, 20);
        var added = await banks.AddEntriesAsync("wide", [new NewEntry("pdq", entryHash.ToString(), [BehaviourLabels.Glorification], "Synthetic Org", "internal")], false, "tester", default);
        var entry = Assert.Single(added.Added);
        await banks.AddEntriesAsync("narrow", [new NewEntry("pdq", entryHash.ToString())], false, "tester", default);

        var set = await matcher.MatchAsync(original, null, default);
        var m = Assert.Single(set.Matches);
        Assert.Equal(("wide", entry.Id, 20, "Synthetic Org", "internal"), (m.Bank, m.EntryId, m.Distance, m.Entity, m.Source));
        Assert.Equal([BehaviourLabels.Glorification], m.Labels);
        Assert.Contains($"pdq is within distance 20 of entry {entry.Id} of bank 'wide' labelled {BehaviourLabels.Glorification}, attributed to Synthetic Org", m.Describe("media[0]"));
        Assert.Single((await matcher.MatchAsync(copy, null, default)).Matches); // resized and re-encoded
        Assert.Empty((await matcher.MatchAsync(other, null, default)).Matches);

        Assert.True(await banks.SetEntryEnabledAsync("wide", entry.Id, false, "tester", default));
        Assert.Empty((await matcher.MatchAsync(original, null, default)).Matches);
        Assert.Equal(1, core.Get<PdqIndexService>().Entries); // the narrow bank's entry is still indexed
        Assert.True(await banks.SetEntryEnabledAsync("wide", entry.Id, true, "tester", default));
        Assert.Single((await matcher.MatchAsync(original, null, default)).Matches);
        Assert.False(await banks.SetEntryEnabledAsync("wide", 999_999, false, "tester", default));

        await banks.UpdateAsync("narrow", new BankSettings(PdqThreshold: 25), "tester", default);
        Assert.Equal(2, (await matcher.MatchAsync(original, null, default)).Matches.Count);
        Assert.Single((await matcher.MatchAsync(original, "narrow", default)).Matches);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "bank.entry_disabled" || a.Action == "bank.entry_enabled"));

        Assert.Equal(2, core.Get<PdqIndexService>().Entries);
        await banks.DeleteAsync("narrow", "tester", default);
        Assert.Equal(1, core.Get<PdqIndexService>().Entries); // a deleted bank's entries leave the index too
        Assert.Equal("wide", Assert.Single((await matcher.MatchAsync(original, null, default)).Matches).Bank);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_safe_bank_match_suppresses_the_other_banks(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var banks = core.Get<BankService>();
        var image = await HashAsync(core, SyntheticMedia.Image(3), "image/png");
        await banks.CreateBankAsync("terror", new BankSettings(), "tester", default);
        await banks.CreateBankAsync("news-footage", new BankSettings(Safe: true), "tester", default);
        await banks.AddEntriesAsync("terror", [new NewEntry("pdq", image.Pdq!.Value.Hash.ToString(), ["x"])], false, "tester", default);
        var before = await core.Get<KnownContentMatcher>().MatchAsync(image, null, default);
        Assert.Equal("terror", Assert.Single(before.Matches).Bank);

        await banks.AddEntriesAsync("news-footage", [new NewEntry("sha256", image.Sha256, ["known news report"])], false, "tester", default);
        var after = await core.Get<KnownContentMatcher>().MatchAsync(image, null, default);
        Assert.True(Assert.Single(after.Matches).SafeBank);
        Assert.Equal("terror", Assert.Single(after.Suppressed).Bank);
        Assert.Empty(after.Actionable);
        var onlyTerror = await core.Get<KnownContentMatcher>().MatchAsync(image, "terror", default);
        Assert.Empty(onlyTerror.Matches); // looking at one bank does not lift the suppression
        Assert.Equal("terror", Assert.Single(onlyTerror.Suppressed).Bank);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Invalid_entries_are_all_reported_and_nothing_is_applied_unless_skipped(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var banks = core.Get<BankService>();
        await banks.CreateBankAsync("b", new BankSettings(), "tester", default);
        NewEntry[] entries =
        [
            new("pdq", new string('a', 64)), new("pdq", "abc"), new("sha1", "00"), new("md5", new string('z', 32)),
            new("url", "https://WWW.Example.com/path/?q=1#frag"), new("vpdq", "0,100," + new string('b', 64) + ",0.000;1,100,xyz,1.0"),
        ];
        var refused = await banks.AddEntriesAsync("b", entries, skipInvalid: false, "tester", default);
        Assert.False(refused.Applied);
        Assert.Equal([2, 3, 4, 6], refused.Errors.Select(e => e.Position));
        Assert.Contains("64 hex characters; got 3", refused.Errors[0].Message);
        Assert.Contains("unknown signal type 'sha1'", refused.Errors[1].Message);
        Assert.Contains("line 2", refused.Errors[3].Message);
        Assert.Empty((await banks.ListEntriesAsync("b", 0, 10, default)).Entries);

        var skipped = await banks.AddEntriesAsync("b", entries, skipInvalid: true, "tester", default);
        Assert.True(skipped.Applied);
        Assert.Equal(["pdq", "url"], skipped.Added.Select(e => e.SignalType));
        Assert.Equal("example.com/path?q=1", skipped.Added[1].Value);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => banks.AddEntriesAsync("missing", entries[..1], false, "t", default));
        await Assert.ThrowsAsync<ArgumentException>(() => banks.CreateBankAsync("b2\n", new BankSettings(), "t", default)); // `$` would let this through
        await Assert.ThrowsAsync<ArgumentException>(() => banks.CreateBankAsync("x", new BankSettings(PdqThreshold: 300), "t", default));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Entries_are_paged_in_id_order(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var banks = core.Get<BankService>();
        await banks.CreateBankAsync("paged", new BankSettings(), "tester", default);
        var random = new Random(5);
        var hashes = Enumerable.Range(0, 7).Select(_ => new PdqHash((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64()).ToString()).ToList();
        await banks.AddEntriesAsync("paged", hashes.Select(h => new NewEntry("pdq", h)).ToList(), false, "tester", default);
        var seen = new List<string>();
        long cursor = 0;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 5);
            var page = await banks.ListEntriesAsync("paged", cursor, 3, default);
            seen.AddRange(page.Entries.Select(e => e.Value));
            if (page.NextCursor is null) break;
            cursor = page.NextCursor.Value;
        }
        Assert.Equal(hashes, seen);
        Assert.Equal(7, (await banks.GetAsync("paged", default)).Entries);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_pipeline_catches_a_resized_image_and_a_reencoded_video_and_reports_unhashable_media(DatabaseProvider provider)
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var core = await CoreServices.CreateAsync(provider);
        var dir = core.Database.Directory;
        var banks = core.Get<BankService>();
        await banks.CreateBankAsync("known", new BankSettings(), "tester", default);

        var image = SyntheticMedia.Image(7);
        var original = Path.Combine(dir, "original.mp4");
        await SyntheticMedia.VideoAsync(original, "640x360", 10);
        var reupload = Path.Combine(dir, "reupload.mp4");
        await SyntheticMedia.ReencodeAsync(original, reupload, "scale=480:270");
        var hasher = core.Get<MediaHasher>();
        var videoHashes = await hasher.HashFileAsync(original, "video/mp4", false, default);
        Assert.NotNull(videoHashes.Vpdq);
        var imageHashes = await HashAsync(core, image, "image/png");
        await banks.AddEntriesAsync("known",
        [
            new NewEntry("pdq", imageHashes.Pdq!.Value.Hash.ToString(), [BehaviourLabels.PerpetratorProduced]),
            new NewEntry("vpdq", VpdqFormat.ToText(videoHashes.Vpdq!), [BehaviourLabels.Glorification], "Synthetic Group"),
        ], false, "tester", default);

        var store = core.Get<IMediaStore>();
        async Task<StoredMedia> Put(string part, byte[] bytes, string mime)
        {
            var s = await store.PutAsync(new MemoryStream(bytes), 1 << 30, default);
            return new StoredMedia(part, s.Sha256!, s.Size, mime);
        }
        var uploads = new Dictionary<string, StoredMedia>
        {
            ["a.jpg"] = await Put("a.jpg", SyntheticMedia.Resized(image, 300, 200), "image/jpeg"),
            ["b.mp4"] = await Put("b.mp4", await File.ReadAllBytesAsync(reupload), "video/mp4"),
            ["c.jpg"] = await Put("c.jpg", image[..(image.Length / 3)], "image/jpeg"),
        };
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "item", Kind = "video",
            Media = [new MediaRef { Part = "a.jpg" }, new MediaRef { Part = "b.mp4" }, new MediaRef { Part = "c.jpg" }],
        }, uploads, default);
        var queue = core.Get<IWorkQueue>();
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("test", 10, default), default);
        Assert.Single(outcome.Completed);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var signals = await db.Signals.ToListAsync();
        var matches = signals.Where(s => s.Type == SignalTypes.HashMatch).OrderBy(s => s.Explanation).ToList();
        Assert.Equal(2, matches.Count);
        Assert.StartsWith("media[0] pdq is within distance", matches[0].Explanation);
        Assert.Contains($"of bank 'known' labelled {BehaviourLabels.PerpetratorProduced}", matches[0].Explanation);
        Assert.StartsWith("media[1] vpdq matches entry", matches[1].Explanation);
        Assert.Contains("attributed to Synthetic Group", matches[1].Explanation);
        var unhashable = Assert.Single(signals, s => s.Type == SignalTypes.MediaUnhashable);
        Assert.StartsWith("media[2] could not be perceptually hashed", unhashable.Explanation);
        Assert.Equal(2, signals.Count(s => s.Type == SignalTypes.MediaPerceptual));
        Assert.Equal("review", (await db.Decisions.SingleAsync()).Outcome);
    }

    [Fact]
    public async Task Indexed_vpdq_matching_agrees_with_the_reference_comparison()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var banks = core.Get<BankService>();
        var matcher = core.Get<KnownContentMatcher>();
        var random = new Random(123);
        PdqHash RandomHash() => new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());
        PdqHash Near(PdqHash h)
        {
            var w = new[] { h.W0, h.W1, h.W2, h.W3 };
            for (int i = 0, n = random.Next(0, 41); i < n; i++) { var bit = random.Next(256); w[bit / 64] ^= 1UL << (bit % 64); }
            return new PdqHash(w[0], w[1], w[2], w[3]);
        }
        for (var c = 0; c < 25; c++)
        {
            var reference = Enumerable.Range(0, random.Next(1, 30)).Select(i => new VpdqFrame(i, random.Next(30, 101), RandomHash(), i)).ToList();
            reference.AddRange(reference.Take(3).Select(f => f with { FrameNumber = f.FrameNumber + 100 })); // repeated frames count once
            var query = new List<VpdqFrame>();
            for (var i = 0; i < random.Next(1, 30); i++)
                query.Add(new VpdqFrame(i, random.Next(30, 101), random.Next(3) == 0 ? RandomHash() : Near(reference[random.Next(reference.Count)].Hash), i));
            var bank = $"case-{c}";
            await banks.CreateBankAsync(bank, new BankSettings(VpdqQueryMatchPercent: 0, VpdqReferenceMatchPercent: 0), "tester", default);
            await banks.AddEntriesAsync(bank, [new NewEntry("vpdq", VpdqFormat.ToText(reference))], false, "tester", default);

            var expected = VpdqMatcher.Compare(query, reference);
            var found = (await matcher.MatchAsync(new MediaHashes(new string('0', 64), new string('0', 32), MediaHashes.Video, null, null, query, null, false), bank, default)).Matches;
            if (expected.QueryMatchPercent == 0 || expected.ReferenceFrames == 0) Assert.Empty(found);
            else
            {
                var m = Assert.Single(found);
                Assert.Equal(expected.QueryMatchPercent, m.QueryMatchPercent!.Value, 9);
                Assert.Equal(expected.ReferenceMatchPercent, m.ReferenceMatchPercent!.Value, 9);
            }
        }
    }

    [Fact]
    public async Task Media_without_a_type_is_recognised_from_its_bytes()
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var hasher = core.Get<MediaHasher>();
        var dir = core.Database.Directory;
        var video = Path.Combine(dir, "clip.bin");
        await SyntheticMedia.VideoAsync(Path.Combine(dir, "clip.mp4"), "320x240", 3);
        File.Move(Path.Combine(dir, "clip.mp4"), video);
        var image = Path.Combine(dir, "image.bin");
        await File.WriteAllBytesAsync(image, SyntheticMedia.Image(4, format: SkiaSharp.SKEncodedImageFormat.Jpeg, quality: 90));
        var noise = Path.Combine(dir, "noise.bin");
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(noise, bytes);

        var v = await hasher.HashFileAsync(video, null, false, default);
        Assert.Equal(MediaHashes.Video, v.Kind);
        Assert.NotEmpty(v.Vpdq!);
        var i = await hasher.HashFileAsync(image, null, false, default);
        Assert.Equal(MediaHashes.Image, i.Kind);
        Assert.NotNull(i.Pdq);
        var n = await hasher.HashFileAsync(noise, null, false, default);
        Assert.Equal("'noise.bin' is neither a decodable image nor a video", n.Unhashable);
        Assert.Equal(64, n.Sha256.Length); // exact hashes are still made
    }

    [Fact]
    public void Urls_are_normalised_so_trivial_variants_are_equal()
    {
        string N(string u) => KnownSignalTypes.TryNormalizeUrl(u, out var n, out var e) ? n : "error: " + e;
        Assert.Equal("example.com/a/b?x=1", N("https://WWW.EXAMPLE.com/a/b/?x=1#top"));
        Assert.Equal("example.com/a/b?x=1", N("example.com/a/b?x=1"));
        Assert.Equal("example.com:8080/A", N("http://example.com:8080/A"));
        Assert.Equal("xn--bcher-kva.example", N("http://bücher.example/"));
        Assert.StartsWith("error: invalid url 'ftp://x'", N("ftp://x"));
    }
}
