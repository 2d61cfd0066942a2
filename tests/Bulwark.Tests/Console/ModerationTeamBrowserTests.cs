using System.Text;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SkiaSharp;

namespace Bulwark.Tests.Console;

/// <summary>
/// What a team working all day in the console needs (issue 23), in Debian's Chromium: the two-pane case page with its
/// context tabs, a queue worked from the first case to the last with the keyboard alone, queue rows with a blurred preview,
/// search and a case opened from it, the team lead's claims and figures, internal comments; in English and Italian.
/// </summary>
public class ModerationTeamBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Label = "synthetic-team-label";
    private static string Name(string role) => ConsoleBrowser.UserName(role);

    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    /// <summary>A generated picture (unique per id) whose MD5 is in a bank, so the shipped rules send the upload to the review queue.</summary>
    private async Task<ReviewCaseRow> SeedAsync(string id, string? text = null, string? account = null, EventSource? source = null, string? parentId = null, string? bio = null)
    {
        var stored = await Get<IMediaStore>().PutAsync(new MemoryStream(Picture(id)), 10_000_000, default);
        var banks = Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "team-bank")) await banks.CreateAsync("team-bank", null, "tester", default);
        await banks.AddExactAsync("team-bank", "md5", stored.Md5!, [Label], "tester", default);
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = parentId is null ? "image" : "comment", Account = new AccountRef { Id = account ?? "acct-" + id, Handle = "handle_" + id, Bio = bio },
            Text = text ?? $"Synthetic caption for {id}", Language = "en", ViewCount = 10, Source = source, ParentId = parentId,
            Media = [new MediaRef { Part = "p.png", MimeType = "image/png" }],
        }, new Dictionary<string, StoredMedia> { ["p.png"] = new("p.png", stored.Sha256!, stored.Size, "image/png") }, default);
        await ProcessAsync();
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == id).OrderBy(c => c.Id).FirstAsync();
    }

    private async Task ProcessAsync()
    {
        var queue = Get<IWorkQueue>();
        var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("team-test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
    }

    private static byte[] Picture(string id)
    {
        using var bitmap = new SKBitmap(120, 80);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(40, (byte)(id.Length * 13 % 255), 160));
            using var paint = new SKPaint { Color = SKColors.Yellow };
            canvas.DrawRect(10, 10, 50, 30, paint);
        }
        var bytes = Encoding.UTF8.GetBytes(id);
        for (var x = 0; x < bytes.Length && x < bitmap.Width; x++) bitmap.SetPixel(x, 0, new SKColor(bytes[x], (byte)x, 9));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private async Task<ReviewCaseRow> CaseAsync(long id)
    {
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().SingleAsync(c => c.Id == id);
    }

    /// <summary>
    /// Signs in with English as the user's language: the Italian checks of this class save Italian as the same users'
    /// preference on the shared server, and xunit runs the tests in no fixed order.
    /// </summary>
    private async Task LoginInEnglishAsync(IPage page, string role)
    {
        await browser.LoginAsync(page, role);
        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", "en");
        await ConsoleBrowser.SubmitAsync(page, "#save-language");
    }

    private async Task<IPage> ItalianAsync(string role)
    {
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, role);
        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", "it");
        await ConsoleBrowser.SubmitAsync(page, "#save-language");
        return page;
    }

    [Fact]
    public async Task The_case_page_keeps_the_decision_in_view_beside_a_huge_caption_and_shows_its_context_in_tabs()
    {
        ConsoleBrowser.Require();
        var parent = await SeedAsync("team-parent", text: "Synthetic parent post about an invented festival");
        var huge = string.Concat(Enumerable.Repeat("Synthetic long caption line that goes on and on. ", 1200)); // 60,000 characters
        var c = await SeedAsync("team-huge", text: huge, bio: "Synthetic bio: collects invented stamps.", parentId: "team-parent",
            source: new EventSource { Type = "trusted_flagger", Name = "Invented Watch Org", Reference = "IWO-2026-17" });
        var page = await browser.NewPageAsync();
        await LoginInEnglishAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync($"/cases/{c.Id}");
        await page.ClickAsync("#claim-case");
        await page.WaitForSelectorAsync("#decision-form");

        // Both panes side by side; the decision form's top is inside the first screen, not 15,000 px down.
        var side = await page.Locator("#case-side").BoundingBoxAsync();
        var main = await page.Locator(".case-main").BoundingBoxAsync();
        Assert.True(side!.X > main!.X + main.Width - 1, $"side pane at x={side.X}, main pane ends at {main.X + main.Width}");
        var form = await page.Locator("#decide-submit").BoundingBoxAsync();
        var layout = await page.EvaluateAsync<string>("() => { const a = document.querySelector('#case-side').getBoundingClientRect(); const f = document.querySelector('#decision-form').getBoundingClientRect(); const b = document.querySelector('.decide-bar').getBoundingClientRect(); return `aside ${a.top}-${a.bottom} scroll ${document.querySelector('#case-side').scrollHeight}; form ${f.top}-${f.bottom}; bar ${b.top}-${b.bottom}; inner ${window.innerHeight}`; }");
        Assert.True(form!.Y + form.Height <= 900, $"decide button at y={form.Y}+{form.Height}; {layout}");
        Assert.Contains("clamp", await page.GetAttributeAsync("#content-text", "class"));
        var collapsed = (await page.Locator("#content-text").BoundingBoxAsync())!.Height;
        Assert.True(collapsed < 600, $"collapsed caption is {collapsed} px high");
        await ConsoleBrowser.ScreenshotAsync(page, "team-case-two-panes");
        // Scrolled to the bottom of a long page, the form is still on screen.
        await page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        await page.WaitForFunctionAsync("() => { const r = document.querySelector('#decide-submit').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }");
        await page.ClickAsync("button[data-show-all='#content-text']");
        Assert.Equal("true", await page.GetAttributeAsync("button[data-show-all='#content-text']", "aria-expanded"));
        Assert.True((await page.Locator("#content-text").BoundingBoxAsync())!.Height > collapsed * 5);

        // Context tabs: one panel at a time; the account's bio, the trusted flagger's notice, the parent, the hash match.
        Assert.False(await page.IsHiddenAsync("#signals"));
        Assert.True(await page.IsHiddenAsync("#account-context"));
        await page.ClickAsync("#tab-account-context");
        Assert.Contains("collects invented stamps", await page.TextContentAsync("#account-bio"));
        Assert.True(await page.IsHiddenAsync("#signals"));
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.Equal("tab-reports", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        var notice = await page.TextContentAsync("#notices li[data-notice='trusted_flagger']");
        Assert.Contains("Invented Watch Org", notice);
        Assert.Contains("IWO-2026-17", notice);
        await page.ClickAsync("#tab-thread");
        Assert.Contains("Synthetic parent post about an invented festival", await page.TextContentAsync("#parent-text"));
        Assert.Contains(parent.ContentId, await page.TextContentAsync("#thread-parent"));
        await page.ClickAsync("#tab-matches");
        var pair = page.Locator(".match-pair").First;
        Assert.Equal(1, await pair.Locator("img.thumb").CountAsync());
        Assert.Contains("blur", await pair.Locator("img.thumb").EvaluateAsync<string>("i => getComputedStyle(i).filter"));
        Assert.Contains("team-bank", await pair.TextContentAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "team-case-matches");

        // An internal comment: staff only, audited without its text.
        await page.ClickAsync("#tab-notes");
        await page.FillAsync("#note-text", "Synthetic: the parent post was reviewed yesterday.");
        await page.CheckAsync("#note-about-account");
        await ConsoleBrowser.SubmitAsync(page, "#note-submit");
        Assert.Contains("Synthetic: the parent post was reviewed yesterday.", await page.TextContentAsync("#notes-list"));
        Assert.False(await page.IsHiddenAsync("#notes")); // the #notes fragment opens its tab
        await using (var db = Get<IBulwarkDbFactory>().Create())
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "review.note_added" && e.Subject == "account:acct-team-huge");
            Assert.Equal(Name(ConsoleRoles.Moderator), entry.Actor);
            Assert.DoesNotContain("parent post", entry.After ?? "");
        }

        // The same page in Italian.
        var it = await ItalianAsync(ConsoleRoles.Moderator);
        await it.GotoAsync($"/cases/{c.Id}");
        Assert.Contains("Mostra tutto", await it.TextContentAsync("button[data-show-all='#content-text']"));
        Assert.Contains("Segnalazioni e notifiche", await it.TextContentAsync("#tab-reports"));
        Assert.Contains("Dopo la decisione apri il caso successivo", await it.TextContentAsync("label:has(#advance)"));
        await ConsoleBrowser.ScreenshotAsync(it, "team-case-two-panes-it");
    }

    [Fact]
    public async Task A_moderator_works_a_queue_from_the_first_case_to_the_last_with_the_keyboard_alone()
    {
        ConsoleBrowser.Require();
        // A queue of its own (the operator's escalation target in the fixture), so other tests' cases are not in the way.
        var ids = new List<long>();
        foreach (var id in new[] { "team-flow-1", "team-flow-2", "team-flow-3" })
        {
            var c = await SeedAsync(id);
            await using var db = Get<IBulwarkDbFactory>().Create();
            await db.Set<ReviewCaseRow>().Where(x => x.Id == c.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Queue, "regional-experts"));
            ids.Add(c.Id);
        }
        var page = await browser.NewPageAsync();
        await LoginInEnglishAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync("/queues/regional-experts");

        // Rows preview the first line of text and a blurred, greyscale thumbnail.
        var row = page.Locator($"#cases tr[data-case='{ids[0]}'] td[data-col=preview]");
        Assert.Contains("Synthetic caption for team-flow-1", await row.TextContentAsync());
        await page.WaitForFunctionAsync($"() => document.querySelector(\"#cases tr[data-case='{ids[0]}'] img.thumb\").complete");
        var filter = await row.Locator("img.thumb").EvaluateAsync<string>("i => getComputedStyle(i).filter");
        Assert.Contains("blur", filter);
        Assert.Contains("grayscale", filter);
        await ConsoleBrowser.ScreenshotAsync(page, "team-queue-previews");

        // The preference to open the next case is set once; from then on only keys.
        await page.Keyboard.PressAsync("j");
        await RunAndWaitAsync(page, () => page.Keyboard.PressAsync("o"));
        Assert.Matches(@"/cases/\d+$", page.Url);
        await RunAndWaitAsync(page, () => page.Keyboard.PressAsync("c"));
        await page.CheckAsync("#advance");
        var decided = new List<long>();
        for (var n = 0; n < ids.Count; n++)
        {
            Assert.Contains("Claimed by you", await page.TextContentAsync("#claim-state"));
            var current = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            await page.Keyboard.PressAsync("n");
            Assert.Equal("note", await page.EvaluateAsync<string>("() => document.activeElement.id"));
            await page.Keyboard.TypeAsync("Synthetic picture, nothing violating.");
            await RunAndWaitAsync(page, () => page.Keyboard.PressAsync("Control+Enter"));
            decided.Add(current);
            Assert.Equal(ReviewCaseStatus.Decided, (await CaseAsync(current)).Status);
        }
        Assert.Equal(ids.Order(), decided.Order());
        Assert.EndsWith("/queues/regional-experts", page.Url);
        Assert.Contains("no more cases", await page.TextContentAsync(".flash"));
        Assert.Equal(1, await page.Locator("#queue-empty").CountAsync());
    }

    [Fact]
    public async Task A_bulk_decision_says_how_many_cases_nobody_opened()
    {
        ConsoleBrowser.Require();
        var a = await SeedAsync("team-bulk-1");
        var b = await SeedAsync("team-bulk-2");
        await Get<ReviewQueueService>().ClaimAsync(a.Id, new ReviewUser(Name(ConsoleRoles.Moderator), ConsoleRoles.Moderator), default);
        var page = await browser.NewPageAsync();
        await LoginInEnglishAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync($"/queues/{a.Queue}?size=1000");
        await page.CheckAsync($"input[name=ids][value='{a.Id}']");
        await page.CheckAsync($"input[name=ids][value='{b.Id}']");
        await page.CheckAsync("#bulk input[value='no-violation']");
        await ConsoleBrowser.SubmitAsync(page, "#bulk-decide");
        Assert.Equal("1", await page.GetAttributeAsync("#bulk-never-claimed", "data-count"));
        Assert.Equal(2, await page.Locator("#bulk-covers li").CountAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "team-bulk-never-opened");
    }

    [Fact]
    public async Task Search_finds_content_by_id_account_and_text_and_opens_an_audited_case()
    {
        ConsoleBrowser.Require();
        var seeded = await SeedAsync("team-search-1", text: "Synthetic marmalade recipe, invented", account: "acct-team-search");
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "team-search-plain", Kind = "text", Account = new AccountRef { Id = "acct-team-search" }, Text = "Synthetic plain note about marmalade jars",
        }, null, default);
        await ProcessAsync();
        var page = await browser.NewPageAsync();
        await LoginInEnglishAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync("/search");
        await page.FillAsync("#q", "acct-team-search");
        await ConsoleBrowser.SubmitAsync(page, "#search-submit");
        Assert.Equal(2, await page.Locator("#search-results tbody tr").CountAsync());
        Assert.Equal(1, await page.Locator($"#search-results a[data-case='{seeded.Id}']").CountAsync());

        await page.FillAsync("#q", "MARMALADE JARS");
        await page.SelectOptionAsync("#kind", "text");
        await ConsoleBrowser.SubmitAsync(page, "#search-submit");
        var hit = page.Locator("#search-results tr[data-content='team-search-plain']");
        Assert.Contains("Synthetic plain note about marmalade jars", await hit.TextContentAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "team-search");

        // No case yet: open one in the review queue, with a reason.
        await hit.Locator("details.open-case summary").ClickAsync();
        await hit.Locator("input[name=reason]").FillAsync("A user wrote to support about these jars");
        await RunAndWaitAsync(page, () => hit.Locator("form[data-open] button[type=submit]").ClickAsync());
        Assert.Matches(@"/cases/\d+$", page.Url);
        var opened = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("team-search-plain", (await CaseAsync(opened)).ContentId);
        await using (var db = Get<IBulwarkDbFactory>().Create())
            Assert.Equal("A user wrote to support about these jars", (await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "review.case_opened" && e.Subject == $"review-case:{opened}")).Reason);

        // Bad input is named, in Italian too.
        await page.GotoAsync("/search?q=xyz&kind=hash");
        Assert.Contains("hexadecimal", await page.TextContentAsync("#errors"));
        var it = await ItalianAsync(ConsoleRoles.Moderator);
        await it.GotoAsync("/search?q=acct-team-search");
        Assert.Contains("risultati", await it.TextContentAsync("#search-count"));
        await ConsoleBrowser.ScreenshotAsync(it, "team-search-it");

        // The full-text index: Italian words, any case, a prefix; query syntax is searched as words, not parsed.
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "team-search-it", Kind = "text", Account = new AccountRef { Id = "acct-team-search-it" }, Text = "Sagra inventata nella città vecchia: perché no?",
        }, null, default);
        await ProcessAsync();
        await it.GotoAsync("/search?q=" + Uri.EscapeDataString("CITTÀ vecch") + "&kind=text");
        Assert.Equal(1, await it.Locator("#search-results tr[data-content='team-search-it']").CountAsync());
        await ConsoleBrowser.ScreenshotAsync(it, "team-search-fulltext-it");
        await it.GotoAsync("/search?q=" + Uri.EscapeDataString("\"*:NEAR(") + "&kind=text");
        Assert.Equal(0, await it.Locator("#search-results tr").CountAsync());
        await page.GotoAsync("/search?q=" + Uri.EscapeDataString("\"*:(") + "&kind=text");
        Assert.Contains("letters or digits", await page.TextContentAsync("#errors"));
    }

    [Fact]
    public async Task A_team_lead_sees_who_holds_what_reassigns_with_a_reason_and_reads_the_figures()
    {
        ConsoleBrowser.Require();
        var held = await SeedAsync("team-lead-1");
        var done = await SeedAsync("team-lead-2");
        var moderator = new ReviewUser(Name(ConsoleRoles.Moderator), ConsoleRoles.Moderator);
        await Get<ReviewQueueService>().ClaimAsync(held.Id, moderator, default);
        var claim = (await Get<ReviewQueueService>().ClaimAsync(done.Id, moderator, default)).Value!;
        Assert.True((await Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(done.Id, claim.Token, ReviewVerdict.NoViolation, null, null, null, null, "team-lead-form"), moderator, default)).Ok);

        var page = await browser.NewPageAsync();
        await LoginInEnglishAsync(page, ConsoleRoles.SeniorModerator);
        await page.GotoAsync("/team");
        var row = page.Locator($"#claims tr[data-claim='{held.Id}']");
        Assert.Equal(Name(ConsoleRoles.Moderator), await row.GetAttributeAsync("data-holder"));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var figures = page.Locator($"#throughput table[data-queue='{done.Queue}'] tr[data-day='{today}']");
        Assert.True(int.Parse((await figures.GetAttributeAsync("data-decided"))!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(1, await page.Locator($"svg.bars[data-chart='{done.Queue}']").CountAsync());
        Assert.Equal(1, await page.Locator($"#exposure tr[data-user='{Name(ConsoleRoles.Moderator)}']").CountAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "team-lead");

        // Reassigning without a reason is refused by the browser; to someone who may not work the queue, by the server.
        await row.Locator("input[name=to]").FillAsync(Name(ConsoleRoles.PolicyAdmin));
        await row.Locator("form[data-reassign] input[name=reason]").FillAsync("Cover for a break");
        await RunAndWaitAsync(page, () => row.Locator("form[data-reassign] button").ClickAsync());
        Assert.Contains("may not work queue", await page.TextContentAsync("#errors"));
        Assert.Equal(Name(ConsoleRoles.Moderator), (await CaseAsync(held.Id)).ClaimedBy);
        row = page.Locator($"#claims tr[data-claim='{held.Id}']");
        await row.Locator("input[name=to]").FillAsync(Name(ConsoleRoles.SeniorModerator));
        await row.Locator("form[data-reassign] input[name=reason]").FillAsync("Cover for a break");
        await RunAndWaitAsync(page, () => row.Locator("form[data-reassign] button").ClickAsync());
        Assert.Contains("is now held by", await page.TextContentAsync(".flash"));
        Assert.Equal(Name(ConsoleRoles.SeniorModerator), (await CaseAsync(held.Id)).ClaimedBy);
        await using (var db = Get<IBulwarkDbFactory>().Create())
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "review.claim_reassigned" && e.Subject == $"review-case:{held.Id}");
            Assert.Equal(("Cover for a break", Name(ConsoleRoles.SeniorModerator)), (entry.Reason, entry.Actor));
        }

        // Auditors read the page without forms; moderators are refused it.
        var auditor = await browser.NewPageAsync();
        await browser.LoginAsync(auditor, ConsoleRoles.Auditor);
        Assert.Equal(200, (await auditor.GotoAsync("/team"))!.Status);
        Assert.Equal(0, await auditor.Locator("form[data-release], form[data-reassign]").CountAsync());
        var mod = await browser.NewPageAsync();
        await browser.LoginAsync(mod, ConsoleRoles.Moderator);
        Assert.Equal(403, (await mod.GotoAsync("/team"))!.Status);

        var it = await ItalianAsync(ConsoleRoles.SeniorModerator);
        await it.GotoAsync("/team");
        Assert.Contains("Casi in carico ora", await it.TextContentAsync("#claims h2"));
        await ConsoleBrowser.ScreenshotAsync(it, "team-lead-it");
    }

    [Fact]
    public async Task Axe_reports_no_serious_or_critical_violation_on_the_moderation_pages()
    {
        ConsoleBrowser.Require();
        var c = await SeedAsync("team-axe", source: new EventSource { Type = "user_report", Reference = "R-1" });
        var page = await browser.NewPageAsync();
        await LoginInEnglishAsync(page, ConsoleRoles.SeniorModerator);
        await page.GotoAsync($"/cases/{c.Id}");
        await ConsoleBrowser.SubmitAsync(page, "#claim-case");
        var found = new List<string>();
        foreach (var url in new[] { "/queues", $"/queues/{c.Queue}", $"/cases/{c.Id}", "/search?q=team-axe", "/team" })
        {
            await page.GotoAsync(url);
            var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page);
            Assert.NotEmpty(result.Passes); // axe ran its rules on the page (the console's CSP did not stop it)
            foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
                found.Add($"{url}: {v.Id} ({v.Impact}) at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}");
        }
        Assert.True(found.Count == 0, "axe violations:\n" + string.Join("\n", found));
    }

    /// <summary>Runs an action that navigates (a key, a click) and waits for the page it loads, armed before the action.</summary>
    private static async Task RunAndWaitAsync(IPage page, Func<Task> action)
    {
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(action, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
#pragma warning restore CS0612
    }
}
