using Bulwark.Core.Actions.Review;
using Bulwark.Core.Actions.Review.Routing;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bulwark.Tests.Console;

/// <summary>
/// Restoring a queue version in the console (issue 23, item 5), in Debian's Chromium: the policy admin previews the restore
/// (each setting now and after, the queues kept), confirms it with a reason, and the settings are in force at once; a
/// restore previewed before another change is refused with the new preview shown; the preview in Italian.
/// </summary>
public class QueueVersionsBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    private async Task<IPage> SignInAsync(string role, string language = "en")
    {
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, role);
        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", language);
        await ConsoleBrowser.SubmitAsync(page, "#save-language");
        return page;
    }

    private static QueueDefinition Definition(string name, int sla) =>
        new(name, "Invented " + name, sla, [ConsoleRoles.Moderator, ConsoleRoles.SeniorModerator], 60, null, false, false);

    [Fact]
    public async Task A_policy_admin_previews_and_restores_an_earlier_queue_version_in_english_and_italian()
    {
        ConsoleBrowser.Require();
        var routing = Get<QueueRoutingService>();
        var admin = new ReviewUser(ConsoleBrowser.UserName(ConsoleRoles.PolicyAdmin), ConsoleRoles.PolicyAdmin);
        Assert.True((await routing.SaveAsync(Definition("synthetic-restore", 40), true, "created for the restore test", admin, default)).Ok);
        var first = (await routing.HistoryAsync(1, default)).Single().Id;
        Assert.True((await routing.SaveAsync(Definition("synthetic-restore", 15), false, "too slow", admin, default)).Ok);
        var second = (await routing.HistoryAsync(1, default)).Single().Id;
        Assert.True((await routing.SaveAsync(Definition("synthetic-later", 90), true, "another team", admin, default)).Ok);

        var page = await SignInAsync(ConsoleRoles.PolicyAdmin);
        await page.GotoAsync("/routing");
        var newest = (await routing.HistoryAsync(1, default)).Single().Id;
        Assert.Null(await page.QuerySelectorAsync($"#history tr[data-version='{newest}'] button")); // the version in force is not offered
        await ConsoleBrowser.SubmitAsync(page, $"#history tr[data-version='{first}'] button");
        var row = page.Locator("#restore-preview tr[data-restore-queue='synthetic-restore'][data-field='slaMinutes']");
        Assert.Equal("15", (await row.Locator("td:nth-child(3)").TextContentAsync())!.Trim());
        Assert.Equal("40", (await row.Locator("td:nth-child(4)").TextContentAsync())!.Trim());
        Assert.Contains("synthetic-later", await page.TextContentAsync("#restore-kept"));
        Assert.Equal(15, Get<ReviewOptions>().Queue("synthetic-restore").SlaMinutes); // a preview changes nothing
        await ConsoleBrowser.ScreenshotAsync(page, "routing-restore-preview");

        // Someone saves a change after this preview: confirming it is refused and the new preview is shown.
        Assert.True((await routing.SaveAsync(Definition("synthetic-restore", 20), false, "a bit slower", admin, default)).Ok);
        await page.FillAsync("#restore-reason", "the 15-minute SLA could not be met");
        await ConsoleBrowser.SubmitAsync(page, "#restore-save");
        Assert.Contains("changed after the preview", await page.TextContentAsync("#routing-errors"));
        Assert.Equal("20", (await page.Locator("#restore-preview tr[data-restore-queue='synthetic-restore'][data-field='slaMinutes'] td:nth-child(3)").TextContentAsync())!.Trim());
        Assert.Equal(20, Get<ReviewOptions>().Queue("synthetic-restore").SlaMinutes);

        await page.FillAsync("#restore-reason", "the 15-minute SLA could not be met");
        await ConsoleBrowser.SubmitAsync(page, "#restore-save");
        Assert.EndsWith("/routing", page.Url);
        Assert.Equal(40, Get<ReviewOptions>().Queue("synthetic-restore").SlaMinutes);
        Assert.Equal(90, Get<ReviewOptions>().Queue("synthetic-later").SlaMinutes);
        Assert.Contains($"restored version {first}", await page.TextContentAsync("#history"));
        await using (var db = Get<IBulwarkDbFactory>().Create())
            Assert.Equal($"the 15-minute SLA could not be met (version {first})",
                (await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "review.queue_restored" && e.Subject == "queue:synthetic-restore")).Reason);
        await ConsoleBrowser.ScreenshotAsync(page, "routing-restored");

        var it = await SignInAsync(ConsoleRoles.PolicyAdmin, "it");
        await it.GotoAsync("/routing");
        // Version 'first' is now the settings in force; the Italian preview is of the 15-minute version.
        await ConsoleBrowser.SubmitAsync(it, $"#history tr[data-version='{second}'] button");
        Assert.Contains($"Ripristinare la versione {second}", await it.TextContentAsync("#restore-preview h3"));
        Assert.Contains("synthetic-later", await it.TextContentAsync("#restore-kept"));
        await ConsoleBrowser.ScreenshotAsync(it, "routing-restore-preview-it");

        // Auditors see the versions but no restore form.
        var auditor = await SignInAsync(ConsoleRoles.Auditor);
        await auditor.GotoAsync("/routing");
        Assert.Null(await auditor.QuerySelectorAsync("#history form"));
    }
}
