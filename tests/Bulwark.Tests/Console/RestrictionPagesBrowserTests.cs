using System.Text;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Bulwark.Tests.Console;

/// <summary>
/// What you see is what happens, in Debian's Chromium: the decision form starts from the policy's defaults and shows the
/// threshold a strike crosses before anything is recorded; a bulk decision shows its counts and needs them confirmed; a
/// threat-to-life escalation restricts the content at once and the senior reviewer lifts it.
/// </summary>
public class RestrictionPagesBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Label = "synthetic-review-label";
    private const string Escalating = "synthetic-threat-to-life";
    private static ReviewUser Senior => new(ConsoleBrowser.UserName(ConsoleRoles.SeniorModerator), ConsoleRoles.SeniorModerator);

    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    private Task<ReviewCaseRow> SeedAsync(string id, string account, string label = Label) => SeedAsync(browser, id, account, label);

    internal static async Task<ReviewCaseRow> SeedAsync(ConsoleBrowser browser, string id, string account, string label = Label)
    {
        T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();
        using var bitmap = new SKBitmap(120, 60);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(40, 90, 140));
        var bytes = Encoding.UTF8.GetBytes(id);
        for (var x = 0; x < bytes.Length && x < bitmap.Width; x++) bitmap.SetPixel(x, 0, new SKColor(bytes[x], (byte)x, 0));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var stored = await Get<IMediaStore>().PutAsync(new MemoryStream(png.ToArray()), 10_000_000, default);
        var banks = Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "restriction-bank")) await banks.CreateAsync("restriction-bank", null, "tester", default);
        await banks.AddExactAsync("restriction-bank", "md5", stored.Md5!, [label], "tester", default);
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "image", Account = new AccountRef { Id = account }, Text = $"Synthetic caption for {id}", Language = "en",
            Media = [new MediaRef { Part = "p.png", MimeType = "image/png" }],
        }, new Dictionary<string, StoredMedia> { ["p.png"] = new("p.png", stored.Sha256!, stored.Size, "image/png") }, default);
        var queue = Get<IWorkQueue>();
        var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("browser-test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == id).OrderBy(c => c.Id).FirstAsync();
    }

    private Task<List<string>> ActionsAsync(string target) => ActionsAsync(browser, target);

    internal static async Task<List<string>> ActionsAsync(ConsoleBrowser browser, string target)
    {
        await using var db = browser.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        return await db.Set<ActionRow>().Where(a => a.TargetId == target).OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync();
    }

    [Fact]
    public async Task The_decision_form_starts_from_the_policy_defaults_and_shows_the_threshold_before_it_records()
    {
        ConsoleBrowser.Require();
        const string account = "acct-summary";
        // Two strikes already (VE-GLORIFY weighs 1): the third suspends.
        foreach (var i in Enumerable.Range(1, 2))
        {
            var prior = await SeedAsync($"summary-prior-{i}", account);
            var claim = (await Get<ReviewQueueService>().ClaimAsync(prior.Id, Senior, default)).Value!;
            var done = await Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(prior.Id, claim.Token, ReviewVerdict.Violation, "VE-GLORIFY",
                ["content.remove", "account.strike"], null, "Synthetic prior violation.", $"prior-{i}"), Senior, default);
            Assert.True(done.Ok, done.Message);
        }
        var c = await SeedAsync("summary-third", account);
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.SeniorModerator);
        await page.GotoAsync($"/cases/{c.Id}");
        await ConsoleBrowser.SubmitAsync(page, "#claim-case");

        // The policy's defaults are ticked: a confirmed violation removes and strikes unless the reviewer unticks them.
        await page.CheckAsync("#verdict-violation");
        Assert.True(await page.IsCheckedAsync("#decision-form input[data-action='content.remove']"));
        Assert.True(await page.IsCheckedAsync("#decision-form input[data-action='account.strike']"));
        Assert.False(await page.IsCheckedAsync("#decision-form input[data-action='account.ban']"));
        await page.FillAsync("#note", "Synthetic caption glorifies an invented attack.");
        await ConsoleBrowser.SubmitAsync(page, "#decide-submit");

        // Nothing is recorded yet; the summary names the removal, the strike and the suspension it causes.
        var summary = await page.TextContentAsync("#decision-summary");
        Assert.Contains("strike number 3: the account will be suspended", summary);
        Assert.Equal(["content.remove", "account.strike", "account.suspend"],
            await page.Locator("#summary-actions li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.kind)"));
        Assert.Empty(await ActionsAsync("summary-third"));
        Assert.DoesNotContain("account.suspend", await ActionsAsync(account));
        await ConsoleBrowser.ScreenshotAsync(page, "restriction-decision-summary");

        await ConsoleBrowser.SubmitAsync(page, "#decide-confirm");
        // The result lists what was done, in the page's words for each measure.
        var result = await page.TextContentAsync("#result");
        Assert.Contains("Suspend the account", result);
        Assert.Equal(["content.remove"], await ActionsAsync("summary-third"));
        Assert.Equal(["account.strike", "account.strike", "account.strike", "account.suspend"], await ActionsAsync(account));
    }

    [Fact]
    public async Task A_bulk_decision_shows_its_counts_needs_them_confirmed_and_never_suspends_for_a_moderator()
    {
        ConsoleBrowser.Require();
        const string account = "acct-bulk-summary";
        var cases = new List<ReviewCaseRow>();
        foreach (var i in Enumerable.Range(1, 3)) cases.Add(await SeedAsync($"bulk-summary-{i}", account));
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync("/queues/known-content?size=1000");
        foreach (var c in cases) await page.CheckAsync($"input[name=ids][value='{c.Id}']");
        await page.CheckAsync("#bulk input[value='violation']");
        await page.SelectOptionAsync("#bulk #policy", "VE-GLORIFY");
        await page.CheckAsync("#bulk input[data-action='content.remove']");
        await page.CheckAsync("#bulk input[data-action='account.strike']");
        await page.FillAsync("#bulk #note", "Synthetic glorification, same clip family.");
        await ConsoleBrowser.SubmitAsync(page, "#bulk-decide");

        // The summary: two removals and strikes; the third case would suspend, which a moderator may not, so it is refused.
        var counts = page.Locator("#bulk-counts");
        Assert.Equal(("2", "2", "0", "0", "1"), (await counts.GetAttributeAsync("data-removals"), await counts.GetAttributeAsync("data-strikes"),
            await counts.GetAttributeAsync("data-suspensions"), await counts.GetAttributeAsync("data-bans"), await counts.GetAttributeAsync("data-refused")));
        Assert.Contains("strike number 3 (active weight 3): it causes “Suspend the account”, which your role may not take",
            await page.TextContentAsync($"#bulk-refusals li[data-case='{cases[2].Id}']"));
        Assert.Equal(RestrictionCodes.ThresholdNotPermitted, await page.GetAttributeAsync($"#bulk-refusals li[data-case='{cases[2].Id}']", "data-code"));
        Assert.Empty(await ActionsAsync(account));
        await ConsoleBrowser.ScreenshotAsync(page, "restriction-bulk-summary");

        await page.CheckAsync("#bulk-confirm-check");
        await ConsoleBrowser.SubmitAsync(page, "#bulk-apply");
        Assert.Contains("2 decided", await page.TextContentAsync("#bulk-results h2"));
        Assert.Equal("forbidden", await page.GetAttributeAsync($"#bulk-results li[data-case='{cases[2].Id}']", "data-error"));
        Assert.Equal(["account.strike", "account.strike"], await ActionsAsync(account));
    }

    [Fact]
    public async Task An_italian_moderator_reads_the_writers_refusal_and_notes_in_italian()
    {
        ConsoleBrowser.Require();
        const string account = "acct-italian-refusal";
        // Two strikes already (VE-GLORIFY weighs 1): the third suspends, which a moderator may not do.
        foreach (var i in Enumerable.Range(1, 2))
        {
            var prior = await SeedAsync($"italian-refusal-prior-{i}", account);
            var claim = (await Get<ReviewQueueService>().ClaimAsync(prior.Id, Senior, default)).Value!;
            Assert.True((await Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(prior.Id, claim.Token, ReviewVerdict.Violation, "VE-GLORIFY",
                ["content.remove", "account.strike"], null, "Synthetic prior violation.", $"italian-prior-{i}"), Senior, default)).Ok);
        }
        var c = await SeedAsync("italian-refusal-third", account);
        const string user = "moderatrice-italiana";
        await browser.CreateUserAsync(user, "una password di prova lunga", ConsoleRoles.Moderator);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(page, user, "una password di prova lunga");
        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", "it");
        await page.ClickAsync("#save-language");

        await page.GotoAsync($"/cases/{c.Id}");
        await ConsoleBrowser.SubmitAsync(page, "#claim-case");

        // A refusal of the review service itself (no note for a violation) is worded in Italian too, from its code.
        await page.CheckAsync("#verdict-violation");
        await page.UncheckAsync("#decision-form input[data-action='account.strike']");
        await ConsoleBrowser.SubmitAsync(page, "#decide-submit");
        await ConsoleBrowser.SubmitAsync(page, "#decide-confirm");
        var noNote = (await page.TextContentAsync("#errors"))!;
        Assert.Contains("Una violazione richiede una nota: spiega che cosa nel contenuto viola la policy.", noNote);
        Assert.DoesNotContain("note is required", noNote);
        Assert.Empty(await ActionsAsync("italian-refusal-third"));

        await page.CheckAsync("#verdict-violation");
        await page.FillAsync("#note", "Didascalia sintetica che glorifica un attacco inventato.");
        await ConsoleBrowser.SubmitAsync(page, "#decide-submit");

        // The writer refuses (a threshold the role may not take) and the page says so in Italian, naming the measure as the form does.
        var errors = (await page.TextContentAsync("#errors"))!;
        Assert.Contains("È il richiamo numero 3 dell'account (peso attivo 3): comporta «Sospendi l'account», che il tuo ruolo non consente.", errors);
        Assert.DoesNotContain("your role may not take", errors);
        Assert.DoesNotContain("Nothing was recorded", errors);
        Assert.Empty(await ActionsAsync("italian-refusal-third"));
        await ConsoleBrowser.ScreenshotAsync(page, "restriction-refusal-italian");

        // Leaving the strike out: the summary's note (no strike, so no threshold) and, once confirmed, the outcome are Italian too.
        await page.CheckAsync("#verdict-violation");
        await page.UncheckAsync("#decision-form input[data-action='account.strike']");
        await page.UncheckAsync("#decision-form input[data-action='content.remove']");
        await page.FillAsync("#note", "Didascalia sintetica che glorifica un attacco inventato.");
        await ConsoleBrowser.SubmitAsync(page, "#decide-submit");
        Assert.Equal(RestrictionCodes.NoContentMeasure, await page.GetAttributeAsync("#summary-notes li", "data-code"));
        Assert.Equal("Nessuna misura sul contenuto.", (await page.TextContentAsync("#summary-notes li"))!.Trim());
        await ConsoleBrowser.SubmitAsync(page, "#decide-confirm");
        Assert.Contains("nessuna misura", await page.TextContentAsync("#result"));
        Assert.DoesNotContain("confirmed", await page.TextContentAsync("#result"));
    }

    [Fact]
    public async Task A_threat_to_life_escalation_restricts_the_content_at_once_and_the_senior_lifts_it_on_the_clock()
    {
        ConsoleBrowser.Require();
        await ThreatToLifeAsync(browser);
    }

    /// <summary>The threat-to-life scenario, run on SQLite here and on PostgreSQL by <see cref="RestrictionPagesPostgresBrowserTests"/>.</summary>
    internal static async Task ThreatToLifeAsync(ConsoleBrowser browser)
    {
        T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();
        var files = ShippedPolicy.Rules().Select(r => new RuleFile(r.Name, r.Text)).ToList();
        files.Add(new RuleFile("escalate.rules",
            $"rule synthetic-escalation enforce {{\n  policy VE-THREAT\n  when any hash.match[label \"{Escalating}\"]\n  then escalate \"threat-to-life\" priority high\n  explain \"A synthetic threat to life\"\n}}\n"));
        Assert.True((await Get<PolicyStore>().ActivateAsync(files, "policy-admin", default)).Applied);
        var c = await SeedAsync(browser, "ttl-1", "acct-ttl", Escalating);
        Assert.Equal("threat-to-life", c.Queue);
        Assert.Equal(["content.restrict"], await ActionsAsync(browser, "ttl-1"));

        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.SeniorModerator);
        await page.GotoAsync("/queues/threat-to-life");
        Assert.NotEmpty(await page.TextContentAsync($"tr[data-case='{c.Id}'] td[data-col='sla']") ?? "");
        await page.GotoAsync($"/cases/{c.Id}");
        Assert.True(await page.IsVisibleAsync("#restricted-pending"));
        Assert.Matches(@"\d+ min left in the SLA", await page.TextContentAsync("#sla"));
        await ConsoleBrowser.ScreenshotAsync(page, "restriction-threat-to-life");
        await ConsoleBrowser.SubmitAsync(page, "#claim-case");
        await page.CheckAsync("#verdict-no-violation");
        await page.FillAsync("#note", "Synthetic: a song lyric, no real threat.");
        await ConsoleBrowser.SubmitAsync(page, "#decide-submit");
        await page.WaitForSelectorAsync("#result");
        Assert.Equal(["content.restrict", "content.restore"], await ActionsAsync(browser, "ttl-1"));
    }
}

/// <summary>The threat-to-life restriction in the browser on PostgreSQL (issue 17: the browser tests on both providers).</summary>
public class RestrictionPagesPostgresBrowserTests(PostgresConsoleBrowser browser) : IClassFixture<PostgresConsoleBrowser>
{
    [Fact]
    public async Task A_threat_to_life_escalation_restricts_the_content_at_once_and_the_senior_lifts_it_on_the_clock_on_postgres()
    {
        ConsoleBrowser.Require();
        TestDatabase.RequirePostgres();
        Assert.Equal(DatabaseProvider.Postgres, browser.Database.Provider);
        await RestrictionPagesBrowserTests.ThreatToLifeAsync(browser);
    }
}
