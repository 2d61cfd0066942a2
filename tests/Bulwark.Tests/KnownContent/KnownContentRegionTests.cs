using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Matching.Hashing;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.KnownContent;

/// <summary>
/// Region hashes (halves of video frames) through the service: stored with a vPDQ entry, indexed, matched when whole
/// frames fall short, explained, kept in the snapshot, left out of exports, and switched off by configuration.
/// </summary>
public class KnownContentRegionTests
{
    /// <summary>A clip, and a copy re-encoded smaller under an opaque box over its top-right quarter (a re-uploader's sticker).</summary>
    private static async Task<(string Original, string Boxed)> ClipsAsync(string dir)
    {
        var original = Path.Combine(dir, "original.mp4");
        await SyntheticMedia.VideoAsync(original, "640x360", 10);
        var boxed = Path.Combine(dir, "boxed.mp4");
        await SyntheticMedia.ReencodeAsync(original, boxed, "drawbox=x=iw/2:y=0:w=iw/2:h=ih/2:color=magenta@1:t=fill,scale=480:270");
        return (original, boxed);
    }

    private static async Task<MediaHashes> HashAsync(CoreServices core, string path) =>
        await core.Get<MediaHasher>().HashFileAsync(path, "video/mp4", false, default);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_pipeline_catches_a_copy_under_a_large_box_by_halves_and_explains_it(DatabaseProvider provider)
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var core = await CoreServices.CreateAsync(provider);
        var (original, boxed) = await ClipsAsync(core.Database.Directory);
        var banks = core.Get<BankService>();
        await banks.CreateBankAsync("known", new BankSettings(), "tester", default);
        var reference = await HashAsync(core, original);
        Assert.NotEmpty(reference.VpdqRegions);
        var added = await banks.AddEntriesAsync("known",
            [new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(reference.Vpdq!, reference.VpdqRegions), [BehaviourLabels.Glorification], "Synthetic Group")],
            false, "tester", default);
        var entry = Assert.Single(added.Added);
        Assert.Equal(reference.VpdqRegions.Count, entry.RegionHashes);
        // The entry's value is the MD5 of its frame lines only: the same video with or without halves is the same entry value.
        Assert.Equal(KnownSignalTypes.VpdqSignal(reference.Vpdq!).Value, entry.Value);

        var query = await HashAsync(core, boxed);
        Assert.False(VpdqMatcher.Compare(query.Vpdq!, reference.Vpdq!).IsMatch()); // whole frames miss
        var set = await core.Get<KnownContentMatcher>().MatchAsync(query, null, default);
        var m = Assert.Single(set.Matches);
        Assert.Equal((entry.Id, KnownMatch.ByHalves), (m.EntryId, m.MatchedBy));
        Assert.True(m.QueryMatchPercent >= 80, $"{m.QueryMatchPercent} %");

        // The same copy through ingest and the pipeline.
        var store = core.Get<IMediaStore>();
        var stored = await store.PutAsync(new MemoryStream(await File.ReadAllBytesAsync(boxed)), 1 << 30, default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "boxed", Kind = "video", Media = [new MediaRef { Part = "v.mp4" }] },
            new Dictionary<string, StoredMedia> { ["v.mp4"] = new("v.mp4", stored.Sha256!, stored.Size, "video/mp4") }, default);
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await core.Get<IWorkQueue>().ClaimAsync("test", 10, default), default);
        Assert.Single(outcome.Completed);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var signal = Assert.Single(await db.Signals.Where(s => s.Type == SignalTypes.HashMatch).ToListAsync());
        Assert.StartsWith($"media[0] vpdq matches entry {entry.Id} of bank 'known'", signal.Explanation);
        Assert.Contains("by region hashes", signal.Explanation);
        Assert.Contains("in the same half", signal.Explanation);
        var perceptual = Assert.Single(await db.Signals.Where(s => s.Type == SignalTypes.MediaPerceptual).ToListAsync());
        Assert.Contains("half-frame hash(es)", perceptual.Explanation);
    }

    [Fact]
    public async Task An_unedited_copy_matches_by_whole_frames_and_is_reported_once()
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var original = Path.Combine(core.Database.Directory, "original.mp4");
        await SyntheticMedia.VideoAsync(original, "640x360", 8);
        var copy = Path.Combine(core.Database.Directory, "copy.mp4");
        await SyntheticMedia.ReencodeAsync(original, copy, "scale=480:270");
        var banks = core.Get<BankService>();
        await banks.CreateBankAsync("known", new BankSettings(), "tester", default);
        var reference = await HashAsync(core, original);
        await banks.AddEntriesAsync("known", [new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(reference.Vpdq!, reference.VpdqRegions))], false, "tester", default);
        var m = Assert.Single((await core.Get<KnownContentMatcher>().MatchAsync(await HashAsync(core, copy), null, default)).Matches);
        Assert.Equal(KnownMatch.ByFrames, m.MatchedBy);
        Assert.DoesNotContain("region", m.Describe("x"));
    }

    [Fact]
    public async Task With_region_hashes_off_the_boxed_copy_is_not_caught_and_no_halves_are_hashed()
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:KnownContent:VideoRegionHashes"] = "false" });
        var (original, boxed) = await ClipsAsync(core.Database.Directory);
        var banks = core.Get<BankService>();
        await banks.CreateBankAsync("known", new BankSettings(), "tester", default);
        var reference = await HashAsync(core, original);
        Assert.Empty(reference.VpdqRegions);
        // Halves stored earlier (here: hashed by a node with them on) are not used either.
        var regions = (await new VpdqHasher().HashFileAsync(original, default)).Value!.Regions;
        await banks.AddEntriesAsync("known", [new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(reference.Vpdq!, regions))], false, "tester", default);
        var query = await HashAsync(core, boxed);
        Assert.Empty((await core.Get<KnownContentMatcher>().MatchAsync(query with { VpdqRegions = regions }, null, default)).Matches);
    }

    [Fact]
    public async Task Indexed_region_matching_agrees_with_the_reference_comparison()
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
        VpdqRegion AnyRegion() => VpdqRegions.All[random.Next(4)];
        for (var c = 0; c < 25; c++)
        {
            var frames = random.Next(1, 20);
            var refRegions = new List<VpdqRegionFrame>();
            for (var f = 0; f < frames; f++)
                foreach (var r in VpdqRegions.All)
                    if (random.Next(5) > 0) refRegions.Add(new VpdqRegionFrame(f, r, random.Next(30, 101), RandomHash(), f));
            if (refRegions.Count == 0) continue;
            refRegions.AddRange(refRegions.Take(3).Select(x => x with { FrameNumber = x.FrameNumber + 100 })); // repeated halves count once
            var queryRegions = new List<VpdqRegionFrame>();
            for (var f = 0; f < random.Next(1, 20); f++)
                for (var k = 0; k < random.Next(1, 5); k++)
                {
                    // Near a reference half, in its own half or (a third of the time) in another one, or unrelated.
                    var near = refRegions[random.Next(refRegions.Count)];
                    queryRegions.Add(random.Next(4) == 0
                        ? new VpdqRegionFrame(f, AnyRegion(), random.Next(30, 101), RandomHash(), f)
                        : new VpdqRegionFrame(f, random.Next(3) == 0 ? AnyRegion() : near.Region, random.Next(30, 101), Near(near.Hash), f));
                }
            // Whole frames that match nothing, so only the halves decide.
            var refFrames = Enumerable.Range(0, frames).Select(f => new VpdqFrame(f, 100, RandomHash(), f)).ToList();
            var queryFrames = Enumerable.Range(0, 5).Select(f => new VpdqFrame(f, 100, RandomHash(), f)).ToList();
            var bank = $"case-{c}";
            await banks.CreateBankAsync(bank, new BankSettings(VpdqQueryMatchPercent: 0, VpdqReferenceMatchPercent: 0), "tester", default);
            await banks.AddEntriesAsync(bank, [new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(refFrames, refRegions))], false, "tester", default);

            var expected = VpdqRegionMatcher.Compare(queryRegions, refRegions);
            var hashes = new MediaHashes(new string('0', 64), new string('0', 32), MediaHashes.Video, null, null, queryFrames, null, false) { VpdqRegions = queryRegions };
            var found = (await matcher.MatchAsync(hashes, bank, default)).Matches;
            if (expected.QueryMatchPercent == 0) Assert.Empty(found);
            else
            {
                var m = Assert.Single(found);
                Assert.Equal(KnownMatch.ByHalves, m.MatchedBy);
                Assert.Equal(expected.QueryMatchPercent, m.QueryMatchPercent!.Value, 9);
                Assert.Equal(expected.ReferenceMatchPercent, m.ReferenceMatchPercent!.Value, 9);
            }
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Halves_survive_a_snapshot_restart_and_an_export_keeps_plain_vpdq(DatabaseProvider provider)
    {
        var snapshot = Path.Combine(Path.GetTempPath(), $"bulwark-snapshot-{Guid.NewGuid():N}.bin");
        var settings = new Dictionary<string, string?> { ["Bulwark:KnownContent:IndexSnapshotPath"] = snapshot };
        try
        {
            await using var core = await CoreServices.CreateAsync(provider, settings);
            var banks = core.Get<BankService>();
            await banks.CreateBankAsync("s", new BankSettings(), "tester", default);
            var h = PdqHash.Parse(new string('5', 64));
            var other = PdqHash.Parse(new string('a', 64));
            VpdqFrame[] frames = [new(0, 100, PdqHash.Parse(new string('3', 64)), 0)];
            VpdqRegionFrame[] regions = [new(0, VpdqRegion.Bottom, 100, h, 0), new(0, VpdqRegion.Top, 100, other, 0)];
            await banks.AddEntriesAsync("s", [new NewEntry("vpdq", KnownSignalTypes.VpdqEntryValue(frames, regions))], false, "tester", default);
            var first = core.Get<PdqIndexService>();
            await first.RefreshAsync(default);
            await first.SaveSnapshotAsync(default);

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(core.Database.Settings().Concat(settings)).Build();
            await using var restarted = new ServiceCollection().AddSingleton<TimeProvider>(core.Clock).AddLogging().AddBulwarkCore(configuration).BuildServiceProvider();
            await restarted.GetRequiredService<PdqIndexService>().RefreshAsync(default);
            Assert.True(restarted.GetRequiredService<PdqIndexService>().LoadedFromSnapshot);
            var query = new MediaHashes(new string('0', 64), new string('0', 32), MediaHashes.Video, null, null, [new(0, 100, PdqHash.Parse(new string('c', 64)), 0)], null, false)
            {
                VpdqRegions = [new(7, VpdqRegion.Bottom, 90, h, 7), new(7, VpdqRegion.Left, 90, other, 7)],
            };
            var m = Assert.Single((await restarted.GetRequiredService<KnownContentMatcher>().MatchAsync(query, null, default)).Matches);
            Assert.Equal((KnownMatch.ByHalves, 100.0, 100.0), (m.MatchedBy, m.QueryMatchPercent, m.ReferenceMatchPercent));
            // The same half hash in another half does not match.
            Assert.Empty((await restarted.GetRequiredService<KnownContentMatcher>().MatchAsync(query with { VpdqRegions = [new(7, VpdqRegion.Left, 90, h, 7)] }, null, default)).Matches);

            // Exports are what other tools read: plain vPDQ lines, no halves.
            var csv = new StringWriter();
            var entries = (await banks.ListEntriesAsync("s", 0, 10, default)).Entries;
            Assert.Equal(2, Assert.Single(entries).RegionHashes);
            BankInterop.WriteCsv(entries, csv);
            Assert.DoesNotContain("bottom", csv.ToString());
            Assert.Contains(VpdqFormat.FormatLine(frames[0]), csv.ToString());
        }
        finally { File.Delete(snapshot); }
    }

    [Fact]
    public async Task The_cli_hashes_halves_banks_them_and_matches_the_boxed_copy()
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(db, ["db", "migrate"])).ExitCode);
        var (original, boxed) = await ClipsAsync(db.Directory);

        var hash = await CliRunner.RunAsync(db, ["hash", original]);
        Assert.True(hash.ExitCode == 0, hash.Err);
        var rows = hash.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,signal_type,hash,quality", rows[0]);
        Assert.Equal(["sha256", "md5", "vpdq", "vpdq.regions"], rows.Skip(1).Select(r => r[(original.Length + 1)..].Split(',')[0]));
        Assert.Matches(",top;[0-9]+,", rows[4]);

        Assert.Equal(0, (await CliRunner.RunAsync(db, ["bank", "create", "videos"])).ExitCode);
        var add = await CliRunner.RunAsync(db, ["bank", "add", "videos", original, "--label", "glorification-of-terrorist-acts"]);
        Assert.True(add.ExitCode == 0, add.Err);
        var match = await CliRunner.RunAsync(db, ["match", boxed]);
        Assert.True(match.ExitCode == 0, match.Err);
        var found = match.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("path,bank,entry,signal_type,distance,labels", found[0]);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(boxed)},videos,1,vpdq,[0-9]+,glorification-of-terrorist-acts$", Assert.Single(found.Skip(1)));
    }

    [Fact]
    public void A_vpdq_value_with_a_bad_half_line_names_the_line()
    {
        var h = new string('5', 64);
        Assert.True(KnownSignalTypes.TryCanonicalize("vpdq", $"0,100,{h},0.000;0,100,{h},0.000,bottom", out var ok, out _));
        Assert.Equal($"0,100,{h},0.000,bottom\n", ok!.RegionPayload);
        Assert.Equal($"0,100,{h},0.000\n", ok.Payload);
        Assert.False(KnownSignalTypes.TryCanonicalize("vpdq", $"0,100,{h},0.000;0,100,{h},0.000,middle", out _, out var error));
        Assert.Equal("invalid vpdq frame list: line 2: region 'middle' is not one of top, bottom, left, right", error);
        Assert.False(KnownSignalTypes.TryCanonicalize("vpdq", $"0,100,{h},0.000,top", out _, out error));
        Assert.Equal("invalid vpdq frame list: no frames", error);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task The_api_adds_a_video_with_its_halves_and_reports_a_match_by_halves(DatabaseProvider provider)
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var host = await ApiHost.StartAsync(provider);
        var dir = Directory.CreateTempSubdirectory("bulwark-regions").FullName;
        try
        {
            var (original, boxed) = await ClipsAsync(dir);
            var admin = host.Admin;
            var reader = host.Client(await host.KeyAsync(Scopes.Read));
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/banks", new { name = "videos" })).StatusCode);
            var added = await admin.PostAsync("/api/v1/banks/videos/entries", Upload(await File.ReadAllBytesAsync(original), "original.mp4"));
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
            var entry = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added")[0];
            Assert.True(entry.GetProperty("regionHashes").GetInt32() > 0);

            var hashed = await (await reader.PostAsync("/api/v1/hash", Upload(await File.ReadAllBytesAsync(boxed), "boxed.mp4"))).Content.ReadFromJsonAsync<JsonElement>();
            var regions = hashed.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("signalType").GetString() == "vpdq.regions").GetProperty("hash").GetString()!;
            Assert.EndsWith(",right", regions);

            var match = await (await reader.PostAsync("/api/v1/match", Upload(await File.ReadAllBytesAsync(boxed), "boxed.mp4"))).Content.ReadFromJsonAsync<JsonElement>();
            var m = Assert.Single(match.GetProperty("matches").EnumerateArray());
            Assert.Equal("halves", m.GetProperty("matchedBy").GetString());
            Assert.Contains("by region hashes", m.GetProperty("explanation").GetString());

            // By hash: the frame lines alone miss; with the half lines appended they match.
            var frames = hashed.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("signalType").GetString() == "vpdq").GetProperty("hash").GetString()!;
            var byFrames = await (await reader.PostAsJsonAsync("/api/v1/match", new { signalType = "vpdq", hash = frames })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Empty(byFrames.GetProperty("matches").EnumerateArray());
            var byBoth = await (await reader.PostAsJsonAsync("/api/v1/match", new { signalType = "vpdq", hash = frames + ";" + regions })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("halves", Assert.Single(byBoth.GetProperty("matches").EnumerateArray()).GetProperty("matchedBy").GetString());
        }
        finally { Directory.Delete(dir, true); }

        static MultipartFormDataContent Upload(byte[] bytes, string name)
        {
            var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(part, "file", name);
            return form;
        }
    }
}
