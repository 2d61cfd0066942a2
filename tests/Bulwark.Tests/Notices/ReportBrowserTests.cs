using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Notices;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bulwark.Tests.Notices;

/// <summary>
/// The public form in Debian's Chromium, without signing in: in Italian, the browser solves the proof of work, the notice is
/// acknowledged at once and reaches a person; bad input is named beside its field. Then the console's notices and trusted
/// flaggers pages show the notice, the decision sent to the notifier and the registry.
/// </summary>
public class ReportBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    private async Task PostAndDecideAsync(string id)
    {
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "text", Text = "A quiet afternoon at the harbour " + id, Language = "en", Account = new AccountRef { Id = "acct-" + id },
        }, null, default);
        var queue = Get<IWorkQueue>();
        var batch = await queue.ClaimAsync("browser-test", 100, default);
        var outcome = await Get<PipelineProcessor>().ProcessAsync(batch, default);
        await queue.CompleteAsync(outcome.Completed, default);
    }

    private static async Task WaitForProofAsync(IPage page) =>
        await page.WaitForSelectorAsync("#report-form[data-pow=ready]", new() { Timeout = 300_000 });

    [Fact]
    public async Task A_member_of_the_public_reports_content_in_italian_and_the_notice_reaches_a_moderator()
    {
        ConsoleBrowser.Require();
        await PostAndDecideAsync("harbour-7");
        var page = await browser.NewPageAsync();

        var get = await page.GotoAsync("/report?lang=it");
        Assert.Equal(200, get!.Status);
        Assert.Equal("Segnala un contenuto", await page.TextContentAsync("h1"));
        Assert.Equal("it", await page.GetAttributeAsync("html", "lang"));

        // Bad input: no explanation and no good-faith statement are named beside their fields, and nothing is stored.
        await page.FillAsync("#Location", "https://social.example/p/harbour-7");
        await WaitForProofAsync(page);
        await ConsoleBrowser.SubmitAsync(page, "#send");
        Assert.Contains("Spiega perché", await page.TextContentAsync("#errors"));
        Assert.Contains("Conferma che la segnalazione", await page.TextContentAsync("#errors"));
        Assert.Equal("true", await page.GetAttributeAsync("#Explanation", "aria-invalid"));
        Assert.Equal("https://social.example/p/harbour-7", await page.InputValueAsync("#Location"));
        await ConsoleBrowser.ScreenshotAsync(page, "report-errors-it");

        await page.FillAsync("#Explanation", "Il post elogia un attentato e invita a imitarlo.");
        await page.FillAsync("#NotifierName", "Giulia Esempio");
        await page.FillAsync("#NotifierEmail", "giulia@example.org");
        await page.CheckAsync("#GoodFaith");
        await WaitForProofAsync(page); // a fresh challenge came with the corrected form
        await ConsoleBrowser.SubmitAsync(page, "#send");
        var receipt = await page.TextContentAsync("#receipt");
        Assert.Contains("Segnalazione ricevuta", receipt);
        Assert.Contains("Una persona la esaminerà", receipt);
        await ConsoleBrowser.ScreenshotAsync(page, "report-received-it");

        await using (var db = Get<IBulwarkDbFactory>().Create())
        {
            var n = await db.Set<NoticeRow>().AsNoTracking().SingleAsync(x => x.NotifierEmail == "giulia@example.org");
            // The URL is kept as given, the content id matched (no URL pattern configured here: the pattern-free notice waits).
            Assert.Equal(("form", "it", "https://social.example/p/harbour-7"), (n.Channel, n.Language, n.Url));
        }

        // The console: a moderator sees the notice, waiting for its content.
        var mod = await browser.NewPageAsync();
        await browser.LoginAsync(mod, ConsoleRoles.Moderator);
        await mod.GotoAsync("/notices");
        Assert.Contains("https://social.example/p/harbour-7", await mod.TextContentAsync("#notices"));
        await ConsoleBrowser.ScreenshotAsync(mod, "notices-list");
    }

    [Fact]
    public async Task A_notice_by_content_id_reaches_the_queue_its_decision_is_shown_as_sent_and_a_flagger_is_registered()
    {
        ConsoleBrowser.Require();
        await PostAndDecideAsync("harbour-8");
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/report");
        Assert.Equal("Report content", await page.TextContentAsync("h1"));
        await page.FillAsync("#Location", "harbour-8");
        await page.FillAsync("#Explanation", "The post praises an attack and asks others to copy it.");
        await page.FillAsync("#NotifierEmail", "sam.sample@example.org");
        await page.CheckAsync("#GoodFaith");
        await WaitForProofAsync(page);
        await ConsoleBrowser.SubmitAsync(page, "#send");
        Assert.Contains("A person will review it", await page.TextContentAsync("#receipt"));

        long noticeId, caseId;
        await using (var db = Get<IBulwarkDbFactory>().Create())
        {
            var n = await db.Set<NoticeRow>().AsNoTracking().SingleAsync(x => x.ContentId == "harbour-8");
            Assert.Equal(NoticeStatus.InReview, n.Status);
            (noticeId, caseId) = (n.Id, n.CaseId!.Value);
        }
        // A moderator finds the case in the notices queue and decides it in the console.
        var mod = await browser.NewPageAsync();
        await browser.LoginAsync(mod, ConsoleRoles.Moderator);
        await mod.GotoAsync("/queues/notices");
        Assert.Equal(1, await mod.Locator($"tr[data-case='{caseId}']").CountAsync());
        var moderator = new ReviewUser(ConsoleBrowser.UserName(ConsoleRoles.Moderator), ConsoleRoles.Moderator);
        var claim = (await Get<ReviewQueueService>().ClaimAsync(caseId, moderator, default)).Value!;
        var decided = await Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(caseId, claim.Token, ReviewVerdict.NoViolation, null, null, null, null, "browser-1"), moderator, default);
        Assert.True(decided.Ok, decided.Message);
        await Get<NoticeWorker>().RunOnceAsync(default);

        await mod.GotoAsync($"/notices/{noticeId}");
        Assert.Equal("Decided", (await mod.TextContentAsync("#status"))!.Trim());
        Assert.Equal("sent", await mod.GetAttributeAsync("#messages tr[data-kind=decision]", "data-status"));
        Assert.Contains("found no violation", await mod.TextContentAsync("#messages tr[data-kind=decision]"));
        Assert.Equal(1, await mod.Locator("#unfounded-form").CountAsync());
        await ConsoleBrowser.ScreenshotAsync(mod, "notice-detail-decided");

        // A policy admin registers a trusted flagger (audited); its accuracy is "no decisions yet".
        var admin = await browser.NewPageAsync();
        await browser.LoginAsync(admin, ConsoleRoles.PolicyAdmin);
        await admin.GotoAsync("/flaggers");
        await admin.FillAsync("#Organisation", "Example Civic Watch");
        await admin.FillAsync("#Expertise", "Violent extremist content in Italian");
        await admin.FillAsync("#Coordinator", "AGCOM (IT)");
        await ConsoleBrowser.SubmitAsync(admin, "#add-flagger button[type=submit]");
        Assert.Contains("Example Civic Watch", await admin.TextContentAsync("#flaggers"));
        Assert.Contains("no decisions yet", await admin.TextContentAsync("#flaggers .accuracy"));
        await ConsoleBrowser.ScreenshotAsync(admin, "flaggers");
        // A moderator may read notices but not the registry.
        Assert.Equal(403, (await mod.GotoAsync("/flaggers"))!.Status);
    }
}
