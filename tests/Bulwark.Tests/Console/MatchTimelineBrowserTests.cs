using System.Net.Http.Headers;
using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.KnownContent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bulwark.Tests.Console;

/// <summary>
/// The matches tab draws a video match's segments on a timeline (issue 23): an upload with a bank entry's clip in its middle
/// shows "this item 0:03–0:11" and "bank entry 0:00–0:08" as text and as bars at those places, in English and Italian, and
/// the content API returns the same ranges in the signal's details.
/// </summary>
public class MatchTimelineBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public Task A_known_clip_inside_an_upload_is_drawn_where_it_matched() => TimelineAsync(browser);

    internal static async Task TimelineAsync(ConsoleBrowser browser)
    {
        ConsoleBrowser.Require();
        Assert.SkipUnless(SyntheticMedia.FfmpegAvailable, "ffmpeg is not installed");
        T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();
        var dir = Path.Combine(browser.Database.Directory, "timeline");
        Directory.CreateDirectory(dir);
        var (query, _) = await VideoSegmentsTests.BankAndUploadAsync(Get<BankService>(), Get<MediaHasher>(), dir, "timeline-bank", "synthetic-timeline-label");
        var stored = await Get<IMediaStore>().PutAsync(File.OpenRead(query), 1 << 30, default);
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "timeline-upload", Kind = "video", Account = new AccountRef { Id = "acct-timeline", Handle = "timeline_handle" },
            Text = "Synthetic upload with a known clip in its middle", Language = "en",
            Media = [new MediaRef { Part = "v.mp4", MimeType = "video/mp4" }],
        }, new Dictionary<string, StoredMedia> { ["v.mp4"] = new("v.mp4", stored.Sha256!, stored.Size, "video/mp4") }, default);
        var queue = Get<IWorkQueue>();
        Assert.True(await Eventually.UntilAsync(async () =>
        {
            var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("timeline-test", 100, default), default);
            await queue.CompleteAsync(outcome.Completed, default);
            await using var check = Get<IBulwarkDbFactory>().Create();
            return await check.Set<ReviewCaseRow>().AnyAsync(c => c.ContentId == "timeline-upload");
        }), "the upload was decided and a case opened");
        await using var db = Get<IBulwarkDbFactory>().Create();
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().Where(x => x.ContentId == "timeline-upload").OrderBy(x => x.Id).FirstAsync();

        // The API: the hash.match signal's details hold the ranges.
        var key = (await Get<ApiKeyService>().CreateAsync("timeline-" + Guid.NewGuid().ToString("N")[..6], [Scopes.Read], "test", default)).Key;
        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/v1/content/timeline-upload"));
        var signal = doc.RootElement.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("type").GetString() == SignalTypes.HashMatch);
        Assert.EndsWith("query 0:03–0:11 matched reference 0:00–0:08", signal.GetProperty("explanation").GetString());
        var segments = signal.GetProperty("details").GetProperty("segments");
        string Ranges(string side) => string.Join(";", segments.GetProperty(side).EnumerateArray().Select(r => $"{r.GetProperty("start").GetDouble()}-{r.GetProperty("end").GetDouble()}"));
        Assert.Equal("3-11", Ranges("query"));
        Assert.Equal("0-8", Ranges("reference"));
        Assert.False(segments.GetProperty("truncated").GetBoolean());
        Assert.Equal(14, segments.GetProperty("queryDuration").GetDouble());

        // The page, in English then Italian.
        foreach (var (lang, itemLabel, none) in new[] { ("en", "This item", "Matched segments"), ("it", "Questo contenuto", "Segmenti corrispondenti") })
        {
            var page = await browser.NewPageAsync();
            await browser.LoginAsync(page, ConsoleRoles.Moderator);
            await page.GotoAsync("/account");
            await page.SelectOptionAsync("#lang", lang);
            await ConsoleBrowser.SubmitAsync(page, "#save-language");
            await page.GotoAsync($"/cases/{c.Id}");
            await page.ClickAsync("#tab-matches");
            var timeline = page.Locator("figure.timeline").First;
            await timeline.WaitForAsync();
            Assert.Contains(none, await timeline.Locator("figcaption").TextContentAsync());
            var id = await timeline.GetAttributeAsync("id");
            Assert.Equal(["0:03–0:11"], await page.Locator($"#{id}-query-ranges li").AllTextContentsAsync());
            Assert.Equal(["0:00–0:08"], await page.Locator($"#{id}-reference-ranges li").AllTextContentsAsync());
            // The drawing: both tracks on one scale of 14 s (1000 units); the bars sit where the ranges are.
            Assert.Equal("1000", await page.GetAttributeAsync($"#{id}-query rect.timeline-video", "width"));
            Assert.Equal("571.4", await page.GetAttributeAsync($"#{id}-reference rect.timeline-video", "width"));
            var bar = page.Locator($"#{id}-query rect.timeline-match");
            Assert.Equal(("214.3", "571.4"), (await bar.GetAttributeAsync("x"), await bar.GetAttributeAsync("width")));
            var refBar = page.Locator($"#{id}-reference rect.timeline-match");
            Assert.Equal(("0", "571.4"), (await refBar.GetAttributeAsync("x"), await refBar.GetAttributeAsync("width")));
            // The text alternative names the track and its ranges.
            var label = await page.GetAttributeAsync($"#{id}-query", "aria-label");
            Assert.Contains(itemLabel, label);
            Assert.Contains("0:03–0:11", label);
            Assert.Equal("img", await page.GetAttributeAsync($"#{id}-query", "role"));
            // axe on the page with the matches tab open: no serious or critical violation (labels, contrast, SVG roles).
            var axe = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page);
            Assert.NotEmpty(axe.Passes);
            var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{v.Id} ({v.Impact}) at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}").ToList();
            Assert.True(serious.Count == 0, "axe violations:\n" + string.Join("\n", serious));
            await ConsoleBrowser.ScreenshotAsync(page, $"case-match-timeline-{lang}");
            await page.CloseAsync();
        }
    }
}

/// <summary>The same on PostgreSQL.</summary>
public class MatchTimelinePostgresBrowserTests(PostgresConsoleBrowser browser) : IClassFixture<PostgresConsoleBrowser>
{
    [Fact]
    public async Task A_known_clip_inside_an_upload_is_drawn_where_it_matched_on_postgres()
    {
        TestDatabase.RequirePostgres();
        await MatchTimelineBrowserTests.TimelineAsync(browser);
    }
}
