using Bulwark.Core.Actions.Review;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bulwark.Tests.Console;

/// <summary>
/// Queues and routing in the console (issue 23, item 5), in Debian's Chromium: a policy admin creates a queue and changes
/// one, sees each change previewed before saving it with a reason, routes a rule to the new queue, and the changes are in
/// force at once; auditors read without forms; English and Italian; axe finds no serious violation.
/// </summary>
public class RoutingBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
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

    [Fact]
    public async Task A_policy_admin_creates_a_queue_previews_and_saves_changes_and_routes_a_rule_to_it()
    {
        ConsoleBrowser.Require();
        var page = await SignInAsync(ConsoleRoles.PolicyAdmin);
        await page.GotoAsync("/routing");
        Assert.NotNull(await page.QuerySelectorAsync("tr[data-queue='threat']"));
        await ConsoleBrowser.SubmitAsync(page, "#new-queue");

        // Create: the preview lists every setting and the effect; nothing is stored until saved with a reason.
        await page.FillAsync("#Name", "synthetic-browser");
        await page.FillAsync("#DisplayName", "Invented browser team");
        await page.FillAsync("#SlaMinutes", "30");
        await page.UncheckAsync("input[name='Roles'][value='legal-officer']");
        await ConsoleBrowser.SubmitAsync(page, "#queue-preview-button");
        Assert.Equal("30", (await page.TextContentAsync("#preview-fields tr[data-field='slaMinutes'] td:nth-child(3)"))!.Trim());
        Assert.Contains("synthetic-browser", await page.TextContentAsync("#preview-effects"));
        Assert.False(Get<ReviewOptions>().ManagedQueues.ContainsKey("synthetic-browser"));
        await ConsoleBrowser.ScreenshotAsync(page, "routing-queue-preview");
        await page.FillAsync("#Reason", "A team for invented browser cases");
        await ConsoleBrowser.SubmitAsync(page, "#queue-save");
        Assert.EndsWith("/routing", page.Url);
        Assert.Contains("30 min", await page.TextContentAsync("tr[data-queue='synthetic-browser'] .sla"));
        Assert.Equal(30, Get<ReviewOptions>().Queue("synthetic-browser").SlaMinutes);

        // Change: a field edited after the preview is not saved; the new preview is shown instead.
        await page.GotoAsync("/routing/queue?name=synthetic-browser");
        await page.CheckAsync("#LimitActions");
        foreach (var a in new[] { "account.strike", "account.suspend", "account.ban", "content.age_restrict", "content.exclude_recommendations" })
            await page.UncheckAsync($"input[name='Allowed'][value='{a}']");
        await ConsoleBrowser.SubmitAsync(page, "#queue-preview-button");
        Assert.Equal("content.remove", (await page.TextContentAsync("#preview-fields tr[data-field='allowedActions'] td:nth-child(3)"))!.Trim());
        await page.FillAsync("#SlaMinutes", "20");
        await page.FillAsync("#Reason", "removal only");
        await ConsoleBrowser.SubmitAsync(page, "#queue-save");
        Assert.Contains("changed after the preview", await page.TextContentAsync("#queue-errors"));
        Assert.Null(Get<ReviewOptions>().Queue("synthetic-browser").AllowedActions);
        Assert.Equal("20", (await page.TextContentAsync("#preview-fields tr[data-field='slaMinutes'] td:nth-child(3)"))!.Trim());
        await page.FillAsync("#Reason", "removal only, faster");
        await ConsoleBrowser.SubmitAsync(page, "#queue-save");
        Assert.Equal(["content.remove"], Get<ReviewOptions>().Queue("synthetic-browser").AllowedActions);
        Assert.Equal(20, Get<ReviewOptions>().Queue("synthetic-browser").SlaMinutes);
        Assert.Contains("removal only, faster", await page.TextContentAsync("#history"));

        // Routing: the rule's new target is previewed, then activated with a reason.
        await page.SelectOptionAsync("#target-known-content-review-0", "synthetic-browser");
        await ConsoleBrowser.SubmitAsync(page, "tr[data-route='known-content-review'] button");
        Assert.Contains("synthetic-browser", await page.TextContentAsync("#route-preview-text"));
        Assert.Equal("known-content", (await page.TextContentAsync("tr[data-route='known-content-review'] .target"))!.Trim());
        await ConsoleBrowser.ScreenshotAsync(page, "routing-route-preview");
        await page.FillAsync("#route-reason", "hash matches go to the browser team");
        await ConsoleBrowser.SubmitAsync(page, "#route-save");
        Assert.Equal("synthetic-browser", (await page.TextContentAsync("tr[data-route='known-content-review'] .target"))!.Trim());
        await using var db = Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "review.route_changed" && e.Actor == ConsoleBrowser.UserName(ConsoleRoles.PolicyAdmin)));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action.StartsWith("review.queue_")));
        await ConsoleBrowser.ScreenshotAsync(page, "routing-en");
    }

    [Fact]
    public async Task Auditors_read_queues_and_routing_without_forms_and_the_pages_are_in_italian()
    {
        ConsoleBrowser.Require();
        var auditor = await SignInAsync(ConsoleRoles.Auditor);
        await auditor.GotoAsync("/routing");
        Assert.NotNull(await auditor.QuerySelectorAsync("tr[data-queue='threat']"));
        Assert.Null(await auditor.QuerySelectorAsync("#new-queue"));
        Assert.Null(await auditor.QuerySelectorAsync("#routes form"));
        var moderator = await SignInAsync(ConsoleRoles.Moderator);
        var refused = await moderator.GotoAsync("/routing");
        Assert.Equal(403, refused!.Status);

        var it = await SignInAsync(ConsoleRoles.PolicyAdmin, "it");
        await it.GotoAsync("/routing");
        Assert.Equal("Code e instradamento", (await it.TextContentAsync("h1"))!.Trim());
        Assert.Contains("Regole di instradamento", await it.TextContentAsync("#routes h2"));
        await it.GotoAsync("/routing/queue?name=threat");
        await ConsoleBrowser.SubmitAsync(it, "#queue-preview-button");
        Assert.Contains("Queste sono le impostazioni in vigore", await it.TextContentAsync("#queue-preview"));
        await ConsoleBrowser.ScreenshotAsync(it, "routing-it");
    }

    [Fact]
    public async Task Axe_reports_no_serious_or_critical_violation_on_the_routing_pages()
    {
        ConsoleBrowser.Require();
        var page = await SignInAsync(ConsoleRoles.PolicyAdmin);
        var found = new List<string>();
        foreach (var url in new[] { "/routing", "/routing/queue", "/routing/queue?name=doi" })
        {
            await page.GotoAsync(url);
            var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page);
            Assert.NotEmpty(result.Passes);
            foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
                found.Add($"{url}: {v.Id} ({v.Impact}) at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}");
        }
        Assert.True(found.Count == 0, "axe violations:\n" + string.Join("\n", found));
    }
}
