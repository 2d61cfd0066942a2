using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Security;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>A policy admin drafts and publishes a CGER in the console; the public page lists it without sign-in.</summary>
public class ReportsConsoleTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_policy_admin_publishes_a_draft_and_the_public_page_lists_it_with_its_downloads()
    {
        ConsoleBrowser.Require();
        var year = DateTime.UtcNow.Year - 1; // ended, and empty here: every figure is zero
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.PolicyAdmin);
        await page.GotoAsync("/reports");
        await page.SelectOptionAsync("select[name=Kind]", "cger");
        await page.FillAsync("input[name=Start]", $"{year}-10-01");
        await page.FillAsync("input[name=End]", $"{year}-12-31");
        await page.ClickAsync("#draft-form button[type=submit]");
        await page.WaitForSelectorAsync("#reports tr[data-report] button.publish");
        Assert.Contains($"{year}-10-01/{year}-12-31", await page.TextContentAsync("#reports"));
        await ConsoleBrowser.ScreenshotAsync(page, "reports-draft");
        await page.ClickAsync("#reports tr[data-report] button.publish");
        await page.WaitForSelectorAsync("#reports tr[data-report]:has-text('published')");

        var published = await browser.Services.GetRequiredService<TransparencyReports>().ListAsync(true, default);
        var report = Assert.Single(published);
        Assert.Equal((ConsoleBrowser.UserName(ConsoleRoles.PolicyAdmin), 1), (report.PublishedBy, report.Version));

        var visitor = await browser.NewPageAsync();
        var response = await visitor.GotoAsync("/transparency");
        Assert.Equal(200, response!.Status);
        Assert.EndsWith("/transparency", visitor.Url); // not sent to sign in
        Assert.Contains($"/transparency/reports/{report.Id}/cger.en.html", await visitor.InnerHTMLAsync("#published"));
        await ConsoleBrowser.ScreenshotAsync(visitor, "transparency-public");
        await visitor.GotoAsync($"/transparency/reports/{report.Id}/cger.en.html");
        Assert.Equal(1, await visitor.Locator("#chart-policy svg").CountAsync());
        await ConsoleBrowser.ScreenshotAsync(visitor, "transparency-cger");
    }

    [Fact]
    public async Task A_policy_admin_writes_the_qualitative_texts_of_a_period_in_the_console()
    {
        ConsoleBrowser.Require();
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.PolicyAdmin);
        await page.GotoAsync("/reports");
        await page.ClickAsync("#qualitative-link");
        await page.FillAsync("#period-form input[name=Start]", "2025-01-01");
        await page.FillAsync("#period-form input[name=End]", "2025-12-31");
        await page.ClickAsync("#period-form button[type=submit]");
        await page.FillAsync("textarea[data-indicator='summary.own_initiative']", "Every upload is matched against hash lists (synthetic text).");
        await page.FillAsync("textarea[data-indicator='hr.moderators']", "7 (synthetic)");
        await page.ClickAsync("#texts-form button[type=submit]");
        await page.WaitForSelectorAsync("text=2 text(s) changed for 2025-01-01/2025-12-31.");
        Assert.Equal("Every upload is matched against hash lists (synthetic text).", await page.InputValueAsync("textarea[data-indicator='summary.own_initiative']"));
        await ConsoleBrowser.ScreenshotAsync(page, "reports-qualitative");

        var written = await browser.Services.GetRequiredService<QualitativeTexts>().WrittenAsync(new ReportPeriod(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)), default);
        Assert.Equal("7 (synthetic)", written["hr.moderators"]);

        // An inverted period is refused by name, and nothing is shown to write into.
        await page.GotoAsync("/reports/qualitative?Start=2025-12-31&End=2025-01-01");
        Assert.Contains("inverted", await page.TextContentAsync("body"));
        Assert.Equal(0, await page.Locator("#texts-form").CountAsync());
    }
}
