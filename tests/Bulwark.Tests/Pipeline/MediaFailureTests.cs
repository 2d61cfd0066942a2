using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Api;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Pipeline;

/// <summary>
/// A media file that cannot be had — unknown host, refused, stalled, too large, undecodable, failing — never holds back the
/// text: the item is decided in the pass that claimed it, from its text, with a signal saying why the file is missing.
/// Retry pauses run on the fake clock, so nothing here waits for real seconds of backoff.
/// </summary>
public sealed class MediaFailureTests
{
    private const string Text = "join Cinder Oath now";

    private static readonly (string Failure, string Reason)[] FailureKinds =
    [
        ("dns", "reason:dns"),
        ("refused", "reason:refused"),
        ("stall", "reason:timeout"),
        ("too-large", "reason:too-large"),
        ("http-503", "reason:http-503"),
        ("garbage", ""),
    ];

    /// <summary>Every failure on both providers: the media signal and the text's decision are stored the same way on each.</summary>
    public static TheoryData<DatabaseProvider, string, string> Failures()
    {
        var data = new TheoryData<DatabaseProvider, string, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
            foreach (var (failure, reason) in FailureKinds) data.Add(provider, failure, reason);
        return data;
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_media_failure_becomes_a_signal_and_the_text_still_decides(DatabaseProvider provider, string failure, string reason)
    {
        using var origin = new FailingOrigin();
        await using var core = await CoreServices.CreateAsync(provider, new()
        {
            ["Bulwark:Ingest:Fetch:AllowedInternal:0"] = "127.0.0.1",
            ["Bulwark:Ingest:Fetch:TimeoutSeconds"] = "1",
            ["Bulwark:Ingest:Fetch:Attempts"] = "3",
            ["Bulwark:Ingest:Fetch:RetryDelayMilliseconds"] = "1000",
            ["Bulwark:Ingest:MaxImageBytes"] = "4096",
        });
        await TestEntities.ApproveCinderOathAsync(core.Services);
        var url = failure switch
        {
            "dns" => "http://media.bulwark-test.invalid/a.png",
            "refused" => $"http://127.0.0.1:{FailingOrigin.ClosedPort()}/a.png",
            _ => origin.Url + failure,
        };
        var accepted = await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "mf-1", Kind = "image", Text = Text, Media = [new MediaRef { Url = url, MimeType = "image/png" }],
        }, null, default);
        Assert.Equal(IngestStatus.Accepted, accepted.Status);
        // A text-only twin shows what the text alone decides.
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "mf-text", Kind = "text", Text = Text }, null, default);

        var outcome = await RunOnceAdvancingClockAsync(core);
        Assert.Empty(outcome.Failed);
        Assert.Equal(2, outcome.Completed.Count);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var decisions = await db.Decisions.ToDictionaryAsync(d => d.ContentId);
        Assert.NotEqual(Bulwark.Core.Pipeline.Outcomes.NoAction, decisions["mf-text"].Outcome);
        Assert.Equal((decisions["mf-text"].Outcome, decisions["mf-text"].Policy), (decisions["mf-1"].Outcome, decisions["mf-1"].Policy));
        var version = await db.ContentVersions.SingleAsync(v => v.ContentId == "mf-1");
        var signals = await db.Signals.Where(s => s.ContentVersionId == version.Id).ToListAsync();
        Assert.Contains(signals, s => s.Type == "entity.mention");
        if (failure == "garbage")
        {
            // The file arrived; it just is not an image. That is the documented media.unhashable, with its reason.
            var unhashable = Assert.Single(signals, s => s.Type == SignalTypes.MediaUnhashable);
            Assert.Contains("could not be perceptually hashed", unhashable.Explanation);
            Assert.DoesNotContain(signals, s => s.Type == SignalTypes.MediaUnavailable);
        }
        else
        {
            var unavailable = Assert.Single(signals, s => s.Type == SignalTypes.MediaUnavailable);
            Assert.Equal(url, unavailable.Value);
            Assert.Equal([reason], JsonSerializer.Deserialize<string[]>(unavailable.LabelsJson)!);
        }
        Assert.Empty(await db.WorkItems.ToListAsync()); // nothing left to retry, nothing dead-lettered

        // Only passing failures are tried again, and only Attempts times in all.
        var expectedRequests = failure switch { "http-503" => 3, "stall" or "too-large" or "garbage" => 1, _ => 0 };
        Assert.Equal(expectedRequests, origin.Requests(failure));
    }

    [Fact]
    public async Task A_media_host_that_recovers_within_the_attempts_is_fetched()
    {
        using var origin = new FailingOrigin();
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new()
        {
            ["Bulwark:Ingest:Fetch:AllowedInternal:0"] = "127.0.0.1",
            ["Bulwark:Ingest:Fetch:Attempts"] = "3",
        });
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "mf-2", Kind = "image", Media = [new MediaRef { Url = origin.Url + "flaky", MimeType = "image/png" }],
        }, null, default);
        var outcome = await RunOnceAdvancingClockAsync(core);
        Assert.Single(outcome.Completed);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Single(await db.Signals.Where(s => s.Type == SignalTypes.MediaHashes).ToListAsync());
        Assert.Empty(await db.Signals.Where(s => s.Type == SignalTypes.MediaUnavailable).ToListAsync());
        Assert.Equal(2, origin.Requests("flaky"));
    }

    /// <summary>Claims and processes one batch while moving the fake clock on, so retry pauses pass without real waiting.</summary>
    private static async Task<BatchOutcome> RunOnceAdvancingClockAsync(CoreServices core)
    {
        var queue = core.Get<IWorkQueue>();
        var batch = await queue.ClaimAsync("test", 100, default);
        var run = core.Get<PipelineProcessor>().ProcessAsync(batch, default);
        while (!run.IsCompleted)
        {
            core.Clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.WhenAny(run, Task.Delay(20));
        }
        var outcome = await run;
        await queue.CompleteAsync(outcome.Completed, default);
        await queue.FailAsync(outcome.Failed, default);
        return outcome;
    }
}

/// <summary>A loopback origin whose paths fail in one way each: /stall never answers, /too-large is over the limit, /garbage
/// serves bytes that are no image, /http-503 always fails, /flaky fails once then serves a PNG.</summary>
internal sealed class FailingOrigin : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, int> _requests = [];
    public string Url { get; }

    public FailingOrigin()
    {
        Url = $"http://127.0.0.1:{LocalOrigin.FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Requests(string path)
    {
        lock (_requests) return _requests.GetValueOrDefault(path);
    }

    /// <summary>A loopback port nothing listens on (connections are refused).</summary>
    public static int ClosedPort() => LocalOrigin.FreePort();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); } catch (Exception) { return; }
            _ = Task.Run(() => AnswerAsync(ctx));
        }
    }

    private async Task AnswerAsync(HttpListenerContext ctx)
    {
        var path = ctx.Request.Url!.AbsolutePath.TrimStart('/');
        int count;
        lock (_requests) count = _requests[path] = _requests.GetValueOrDefault(path) + 1;
        try
        {
            switch (path)
            {
                case "stall":
                    try { await Task.Delay(Timeout.Infinite, _stop.Token); } catch (OperationCanceledException) { }
                    break;
                case "too-large":
                    ctx.Response.ContentType = "image/png";
                    ctx.Response.ContentLength64 = 64 * 1024;
                    await ctx.Response.OutputStream.WriteAsync(new byte[64 * 1024]);
                    break;
                case "garbage":
                    ctx.Response.ContentType = "image/png";
                    var junk = new byte[2000];
                    new Random(7).NextBytes(junk);
                    await ctx.Response.OutputStream.WriteAsync(junk);
                    break;
                case "flaky" when count > 1:
                    ctx.Response.ContentType = "image/png";
                    await ctx.Response.OutputStream.WriteAsync(Encoding.ASCII.GetBytes("synthetic bytes after recovery"));
                    break;
                default:
                    ctx.Response.StatusCode = 503;
                    break;
            }
            ctx.Response.Close();
        }
        catch (Exception) { /* the client gave up (timeout test) */ }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
