using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Matching.Hashing;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.KnownContent;

/// <summary>
/// A video match says which segments matched (issue 23): an upload with a bank entry's 8-second clip between 3 seconds of
/// something else on each side is caught, and its hash.match signal stores the query's and the entry's matched ranges.
/// </summary>
public class VideoSegmentsTests
{
    /// <summary>The bank asks for 40 % of the upload's frames (the clip is 8 of 14 seconds) and 80 % of the entry's.</summary>
    public static async Task<(string Query, string EntryFrames)> BankAndUploadAsync(BankService banks, MediaHasher hasher, string dir, string bank, params string[] labels)
    {
        var clip = Path.Combine(dir, "known-clip.mp4");
        await SyntheticMedia.VideoAsync(clip, "640x360", 8);
        var query = Path.Combine(dir, "upload-with-clip.mp4");
        await SyntheticMedia.ClipInsideAsync(clip, query);
        var hashes = await hasher.HashFileAsync(clip, "video/mp4", false, default);
        var frames = VpdqFormat.ToText(hashes.Vpdq!);
        await banks.CreateBankAsync(bank, new BankSettings(VpdqQueryMatchPercent: 40, VpdqReferenceMatchPercent: 80), "tester", default);
        await banks.AddEntriesAsync(bank, [new NewEntry("vpdq", frames, labels, "Synthetic Group")], false, "tester", default);
        return (query, frames);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_upload_containing_a_known_clip_in_its_middle_stores_where_it_matched(DatabaseProvider provider)
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var core = await CoreServices.CreateAsync(provider);
        var (query, _) = await BankAndUploadAsync(core.Get<BankService>(), core.Get<MediaHasher>(), core.Database.Directory, "known", BehaviourLabels.Glorification);
        var stored = await core.Get<IMediaStore>().PutAsync(File.OpenRead(query), 1 << 30, default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "upload", Kind = "video", Media = [new MediaRef { Part = "v.mp4" }] },
            new Dictionary<string, StoredMedia> { ["v.mp4"] = new("v.mp4", stored.Sha256!, stored.Size, "video/mp4") }, default);
        var queue = core.Get<IWorkQueue>();
        Assert.Single((await core.Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("test", 10, default), default)).Completed);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var match = await db.Signals.AsNoTracking().SingleAsync(s => s.Type == SignalTypes.HashMatch);
        Assert.EndsWith("; query 0:03–0:11 matched reference 0:00–0:08", match.Explanation);
        var details = MatchDetails.Read(match.DetailsJson)!;
        Assert.Equal(KnownMatch.ByFrames, details.MatchedBy);
        var segments = details.Segments!;
        Assert.Equal([new SegmentRange(3, 11)], segments.Query);
        Assert.Equal([new SegmentRange(0, 8)], segments.Reference);
        Assert.Equal((1, 1, false), (segments.QueryRanges, segments.ReferenceRanges, segments.Truncated));
        Assert.Equal((14d, 8d), (segments.QueryDuration, segments.ReferenceDuration));
        // Other signals carry no details.
        Assert.All(await db.Signals.AsNoTracking().Where(s => s.Type != SignalTypes.HashMatch).ToListAsync(), s => Assert.Null(s.DetailsJson));
    }
}
