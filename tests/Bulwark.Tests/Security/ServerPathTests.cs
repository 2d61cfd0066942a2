using System.Net;
using System.Net.Http.Headers;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.KnownContent;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Security;

/// <summary>What moderators and API callers read never names a file on the server (media store, temporary files).</summary>
public class ServerPathTests
{
    private static byte[] Garbage()
    {
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Signals_about_an_undecodable_video_do_not_name_the_media_store()
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var stored = await core.Get<IMediaStore>().PutAsync(new MemoryStream(Garbage()), 1 << 20, default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "v", Kind = "video", Text = "a clip", Media = [new MediaRef { Part = "v.mp4" }] },
            new Dictionary<string, StoredMedia> { ["v.mp4"] = new("v.mp4", stored.Sha256!, stored.Size, "video/mp4") }, default);
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await core.Get<IWorkQueue>().ClaimAsync("test", 10, default), default);
        Assert.Empty(outcome.Failed);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var signals = await db.Signals.ToListAsync();
        var unhashable = Assert.Single(signals, s => s.Type == Bulwark.Core.Signals.SignalTypes.MediaUnhashable);
        Assert.Contains("media[0] could not be perceptually hashed", unhashable.Explanation);
        foreach (var s in signals)
        {
            Assert.DoesNotContain(core.Database.Directory, s.Explanation);
            Assert.DoesNotContain(stored.Sha256![..2] + "/" + stored.Sha256, s.Explanation);
            Assert.DoesNotMatch(@"(^|[\s'(:])/[^\s/']+/", s.Explanation); // no absolute path at all
        }
    }

    [Fact]
    public async Task Hash_errors_name_the_uploaded_file_not_the_temporary_file()
    {
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Garbage());
        part.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(part, "file", "clip.mp4");
        var response = await host.Admin.PostAsync("/api/v1/hash", form);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("clip.mp4", body);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), body);
        Assert.DoesNotContain("bulwark-hash-", body);
    }
}
