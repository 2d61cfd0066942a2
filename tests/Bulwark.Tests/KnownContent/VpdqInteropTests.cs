using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Matching.Hashing;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.KnownContent;

/// <summary>
/// Partners' vPDQ hashes are of whole frames, black bars included; Bulwark hashes frames without their bars and keeps the
/// untrimmed frames beside them. Both directions: a letterboxed upload against a partner's hash of the same file, a partner's
/// hash (or a copy without bars) against an entry hashed here from the letterboxed file; the indexed rule against its plain
/// form; and the shared samples against their own reference files through the CLI.
/// </summary>
public class VpdqInteropTests(ITestOutputHelper output)
{
    private static MediaHashes Video(IReadOnlyList<VpdqFrame> frames, IReadOnlyList<VpdqFrame>? untrimmed = null) =>
        new(new string('0', 64), new string('0', 32), MediaHashes.Video, null, null, frames, null, false) { VpdqUntrimmed = untrimmed ?? [] };

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Letterboxed_video_matches_a_partners_whole_frame_hash_and_a_copy_without_bars_matches_the_letterboxed_entry(DatabaseProvider provider)
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var core = await CoreServices.CreateAsync(provider);
        var ct = TestContext.Current.CancellationToken;
        string plain = Path.Combine(core.Database.Directory, "plain.mp4"), boxed = Path.Combine(core.Database.Directory, "letterboxed.mp4");
        await SyntheticMedia.VideoAsync(plain, "640x272", seconds: 10);
        await SyntheticMedia.ReencodeAsync(plain, boxed, "pad=640:360:0:44:black");
        var hasher = core.Get<MediaHasher>();
        var banks = core.Get<BankService>();
        var matcher = core.Get<KnownContentMatcher>();

        // What a partner shares: plain vPDQ of the letterboxed file (whole frames, bars included).
        var partner = await new VpdqHasher(new VpdqOptions { TrimBlackBorders = false, RegionHashes = false }).HashFileAsync(boxed, ct);
        Assert.True(partner.IsSuccess, partner.Error?.Message);
        await banks.CreateBankAsync("partner", new BankSettings(), "tester", ct);
        await banks.AddEntriesAsync("partner", [new NewEntry("vpdq", VpdqFormat.ToText(partner.Value!.Frames))], false, "tester", ct);

        var upload = await hasher.HashFileAsync(boxed, "video/mp4", false, ct);
        Assert.NotEmpty(upload.VpdqUntrimmed);
        var m = Assert.Single((await matcher.MatchAsync(upload, "partner", ct)).Matches);
        output.WriteLine(m.Describe("upload"));
        Assert.Equal(KnownMatch.ByUntrimmed, m.MatchedBy);
        Assert.Contains("hashed with their black bars", m.Describe("upload"));
        // Trimmed frames alone do not match it: the untrimmed ones are what makes the match.
        Assert.Empty((await matcher.MatchAsync(upload with { VpdqUntrimmed = [] }, "partner", ct)).Matches);

        // The other direction: the letterboxed file hashed into a bank here keeps both frame sets ...
        await banks.CreateBankAsync("ours", new BankSettings(), "tester", ct);
        var added = Assert.Single((await banks.AddEntriesAsync("ours", [new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(upload))], false, "tester", ct)).Added);
        Assert.Equal(upload.VpdqUntrimmed.Count, added.UntrimmedFrames);
        Assert.Equal(upload.VpdqRegions.Count, added.RegionHashes);
        // ... so a copy without bars matches by trimmed frames,
        var copy = await hasher.HashFileAsync(plain, "video/mp4", false, ct);
        Assert.Empty(copy.VpdqUntrimmed);
        Assert.Equal(KnownMatch.ByFrames, Assert.Single((await matcher.MatchAsync(copy, "ours", ct)).Matches).MatchedBy);
        // a partner's hash of the letterboxed file, sent as a hash, matches by the entry's untrimmed frames,
        Assert.True(KnownSignalTypes.TryCanonicalize("vpdq", VpdqFormat.ToText(partner.Value.Frames), out var signal, out var error), error);
        Assert.Equal(KnownMatch.ByUntrimmed, Assert.Single((await matcher.MatchSignalAsync(signal!, "ours", ct)).Matches).MatchedBy);
        // and the export (for partners' tools) carries the frames as they hash them: with bars.
        var exported = Assert.Single((await banks.ListEntriesAsync("ours", 0, 10, ct)).Entries);
        Assert.Equal(VpdqFormat.ToText(upload.VpdqUntrimmed), exported.ExportPayload);
    }

    [Fact]
    public async Task Untrimmed_frames_round_trip_through_an_entry_value_and_the_index_snapshot()
    {
        var ct = TestContext.Current.CancellationToken;
        var snapshot = Path.Combine(Path.GetTempPath(), $"bulwark-untrimmed-{Guid.NewGuid():N}.idx");
        var settings = new Dictionary<string, string?> { ["Bulwark:KnownContent:IndexSnapshotPath"] = snapshot };
        try
        {
            await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, settings);
            var random = new Random(11);
            PdqHash H() => new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());
            var frames = Enumerable.Range(0, 6).Select(i => new VpdqFrame(i * 25, 90, H(), i)).ToList();
            var untrimmed = Enumerable.Range(0, 6).Select(i => new VpdqFrame(i * 25, 80, H(), i)).ToList();
            var value = KnownSignalTypes.VpdqEntryValue(frames, [], untrimmed);
            Assert.True(KnownSignalTypes.TryParseVpdq(value, out var f, out var r, out var u, out var error), error);
            Assert.Equal(frames, f);
            Assert.Empty(r);
            Assert.Equal(untrimmed, u);
            // A bad untrimmed line is named like any other bad line.
            Assert.False(KnownSignalTypes.TryParseVpdq(value + "7,90,zz,1.000,untrimmed\n", out _, out _, out _, out error));
            Assert.Contains("line 13", error);

            var banks = core.Get<BankService>();
            await banks.CreateBankAsync("b", new BankSettings(), "tester", ct);
            var id = Assert.Single((await banks.AddEntriesAsync("b", [new NewEntry("vpdq", value)], false, "tester", ct)).Added).Id;
            var index = core.Get<PdqIndexService>();
            await index.RefreshAsync(ct);
            Assert.Equal((6, 6), (index.VideoFrames(id), index.UntrimmedFrames(id)));
            await index.SaveSnapshotAsync(ct);

            // A fresh process reads the snapshot and still knows which positions are untrimmed frames.
            await using var again = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new(settings) { ["ConnectionStrings:Bulwark"] = core.Database.ConnectionString });
            var reloaded = again.Get<PdqIndexService>();
            await reloaded.RefreshAsync(ct);
            Assert.True(reloaded.LoadedFromSnapshot);
            Assert.Equal((6, 6), (reloaded.VideoFrames(id), reloaded.UntrimmedFrames(id)));
            var m = Assert.Single((await again.Get<KnownContentMatcher>().MatchAsync(Video(untrimmed.Take(5).ToList()), null, ct)).Matches);
            Assert.Equal((KnownMatch.ByUntrimmed, 100.0), (m.MatchedBy, m.QueryMatchPercent!.Value));
        }
        finally { File.Delete(snapshot); }
    }

    [Fact]
    public async Task Indexed_matching_over_trimmed_and_untrimmed_frames_agrees_with_the_reference_comparison()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var banks = core.Get<BankService>();
        var matcher = core.Get<KnownContentMatcher>();
        var random = new Random(321);
        PdqHash RandomHash() => new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());
        PdqHash Near(PdqHash h)
        {
            var w = new[] { h.W0, h.W1, h.W2, h.W3 };
            for (int i = 0, n = random.Next(0, 41); i < n; i++) { var bit = random.Next(256); w[bit / 64] ^= 1UL << (bit % 64); }
            return new PdqHash(w[0], w[1], w[2], w[3]);
        }
        List<VpdqFrame> Frames(int max) => Enumerable.Range(0, random.Next(1, max)).Select(i => new VpdqFrame(i, random.Next(30, 101), RandomHash(), i)).ToList();
        List<VpdqFrame> Query(List<VpdqFrame> a, List<VpdqFrame> b) => Enumerable.Range(0, random.Next(1, 20)).Select(i =>
        {
            var pool = random.Next(2) == 0 || b.Count == 0 ? a : b;
            return new VpdqFrame(i, random.Next(30, 101), random.Next(3) == 0 ? RandomHash() : Near(pool[random.Next(pool.Count)].Hash), i);
        }).ToList();
        var matchedBy = new Dictionary<string, int>();
        for (var c = 0; c < 40; c++)
        {
            var reference = Frames(20);
            var referenceUntrimmed = random.Next(2) == 0 ? Frames(20) : [];
            var query = Query(reference, referenceUntrimmed);
            var queryUntrimmed = random.Next(2) == 0 ? Query(reference, referenceUntrimmed) : [];
            double qt = random.Next(3) * 40, rt = random.Next(3) * 30;
            var bank = $"case-{c}";
            await banks.CreateBankAsync(bank, new BankSettings(VpdqQueryMatchPercent: qt, VpdqReferenceMatchPercent: rt), "tester", default);
            await banks.AddEntriesAsync(bank, [new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(reference, [], referenceUntrimmed))], false, "tester", default);

            var expected = VpdqMatcher.CompareViews(query, queryUntrimmed, reference, referenceUntrimmed, qt, rt);
            var found = (await matcher.MatchAsync(Video(query, queryUntrimmed), bank, default)).Matches;
            if (expected is not { } e) { Assert.Empty(found); continue; }
            var m = Assert.Single(found);
            Assert.Equal(e.QueryUntrimmed || e.ReferenceUntrimmed ? KnownMatch.ByUntrimmed : KnownMatch.ByFrames, m.MatchedBy);
            Assert.Equal(e.Comparison.QueryMatchPercent, m.QueryMatchPercent!.Value, 9);
            Assert.Equal(e.Comparison.ReferenceMatchPercent, m.ReferenceMatchPercent!.Value, 9);
            matchedBy[$"{e.QueryUntrimmed}/{e.ReferenceUntrimmed}"] = matchedBy.GetValueOrDefault($"{e.QueryUntrimmed}/{e.ReferenceUntrimmed}") + 1;
        }
        output.WriteLine("matches by (query untrimmed/reference untrimmed): " + string.Join(", ", matchedBy.Select(kv => $"{kv.Key} {kv.Value}")));
        // The random cases exercise the first pair and at least one pair with untrimmed frames.
        Assert.Contains("False/False", matchedBy.Keys);
        Assert.True(matchedBy.Keys.Count(k => k != "False/False") >= 2, string.Join(", ", matchedBy.Keys));
    }

    /// <summary>
    /// Conformance with the reference vPDQ: each shared sample video's own reference file (every frame hashed whole by the
    /// reference tool) is imported with <c>bank import --format vpdq</c>, and <c>match</c> finds it for the video. The videos
    /// are hashed as the product hashes them (1 frame/s, bars trimmed and kept), not every frame: the sampled frames are a
    /// subset of the reference's, so the query side of the rule (80 % of the query's frames) is what is tested.
    /// </summary>
    [Fact]
    public async Task Every_shared_sample_matches_its_own_reference_file_through_the_cli()
    {
        var videos = TestData.Path("pdq", "threatexchange", "tmk", "sample-videos");
        var references = TestData.Path("pdq", "threatexchange", "vpdq", "sample-hashes");
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        var samples = Directory.GetFiles(videos, "*.mp4").Order().Where(v => File.Exists(Path.Combine(references, Path.GetFileNameWithoutExtension(v) + ".txt"))).ToList();
        Assert.SkipWhen(samples.Count == 0, $"no sample video in {videos} has a reference file in {references}");

        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(db, "db", "migrate")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(db, "bank", "create", "reference")).ExitCode);
        foreach (var video in samples)
        {
            var name = Path.GetFileNameWithoutExtension(video);
            var import = await CliRunner.RunAsync(db, "bank", "import", "reference", Path.Combine(references, name + ".txt"), "--format", "vpdq", "--label", name);
            Assert.True(import.ExitCode == 0, import.Err);
        }
        var match = await CliRunner.RunAsync(db, ["match", "--bank", "reference", .. samples]);
        Assert.True(match.ExitCode == 0, match.Err);
        var rows = match.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var missing = new List<string>();
        foreach (var video in samples)
        {
            var name = Path.GetFileNameWithoutExtension(video);
            var found = rows.Where(r => r[0] == video).Select(r => r[^1]).ToList();
            output.WriteLine($"{name}: matches {string.Join(" ", found)}");
            if (!found.Contains(name)) missing.Add(name);
        }
        Assert.True(missing.Count == 0, $"{missing.Count} of {samples.Count} samples do not match their own reference file: {string.Join(", ", missing)}");
        Assert.Equal(14, samples.Count); // the shared set as described in its README
    }
}
