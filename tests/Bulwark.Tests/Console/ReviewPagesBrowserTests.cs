using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Server.Pages.Queues;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SkiaSharp;
using System.Globalization;
using System.Text;

namespace Bulwark.Tests.Console;

/// <summary>
/// The review pages in Debian's Chromium: claiming, blurred media and recorded reveals, keyboard decisions, bulk, appeals,
/// stale claims, double submits, tampered forms, a script payload shown as text, and Italian. Cases come from synthetic
/// uploads through the real pipeline and the shipped rules (a generated picture whose MD5 is on a review-only bank label).
/// </summary>
public class ReviewPagesBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Label = "synthetic-review-label";
    private static string Name(string role) => ConsoleBrowser.UserName(role);
    private static ReviewUser Moderator => new(Name(ConsoleRoles.Moderator), ConsoleRoles.Moderator);
    private static ReviewUser Senior => new(Name(ConsoleRoles.SeniorModerator), ConsoleRoles.SeniorModerator);

    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    /// <summary>A generated picture (unique per id) uploaded with <paramref name="text"/>; its MD5 is in the bank, so the rules send it to review.</summary>
    private async Task<ReviewCaseRow> SeedAsync(string id, string? text = null, byte[]? bytes = null)
    {
        var stored = await Get<IMediaStore>().PutAsync(new MemoryStream(bytes ?? Picture(id)), 10_000_000, default);
        var banks = Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "browser-bank")) await banks.CreateAsync("browser-bank", null, "tester", default);
        await banks.AddExactAsync("browser-bank", "md5", stored.Md5!, [Label], "tester", default);
        var accepted = await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "image", Account = new AccountRef { Id = "acct-" + id }, Text = text ?? $"Synthetic test caption for {id}", Language = "en", ViewCount = 100,
            Media = [new MediaRef { Part = "p.png", MimeType = "image/png" }],
        }, new Dictionary<string, StoredMedia> { ["p.png"] = new("p.png", stored.Sha256!, stored.Size, "image/png") }, default);
        var queue = Get<IWorkQueue>();
        var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("browser-test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == id).OrderBy(c => c.Id).FirstAsync();
    }

    /// <summary>A generated PNG, unique per id.</summary>
    private static byte[] Picture(string id)
    {
        using var bitmap = new SKBitmap(160, 90);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((byte)(id.GetHashCode() & 0xff), 90, 140));
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawCircle(40 + (id.Length * 7 % 80), 45, 30, paint);
        }
        // The id's bytes in the top row make every picture (and so its MD5) unique, whatever the colour above.
        var bytes = Encoding.UTF8.GetBytes(id);
        for (var x = 0; x < bytes.Length && x < bitmap.Width; x++) bitmap.SetPixel(x, 0, new SKColor(bytes[x], (byte)x, 0));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private async Task<ReviewCaseRow> CaseAsync(long id)
    {
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().SingleAsync(c => c.Id == id);
    }

    private async Task<int> AuditCountAsync(string action, long caseId)
    {
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.AuditEntries.CountAsync(e => e.Action == action && e.Subject == $"review-case:{caseId}");
    }

    [Fact]
    public async Task A_moderator_claims_a_case_reveals_the_blurred_media_and_decides_with_the_keyboard()
    {
        ConsoleBrowser.Require();
        var c = await SeedAsync("browser-keys");
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);

        await page.GotoAsync("/queues");
        Assert.NotNull(await page.QuerySelectorAsync($"#queues tr[data-queue='{c.Queue}']"));
        Assert.Null(await page.QuerySelectorAsync("#queues tr[data-queue='threat-to-life']")); // senior moderators' queue
        await ConsoleBrowser.ScreenshotAsync(page, "review-dashboard");
        await page.GotoAsync($"/queues/{c.Queue}");
        await ConsoleBrowser.ScreenshotAsync(page, "review-queue");
        await page.ClickAsync($"button[data-claim='{c.Id}']");
        Assert.EndsWith($"/cases/{c.Id}", page.Url);
        Assert.Contains("Claimed by you", await page.TextContentAsync("#claim-state"));
        Assert.Equal(Name(ConsoleRoles.Moderator), (await CaseAsync(c.Id)).ClaimedBy);

        // Blurred and greyscale until revealed; the image itself comes from the authorised media handler.
        var figure = page.Locator("figure.media[data-media='0']");
        Assert.Equal("image", await figure.GetAttributeAsync("data-state"));
        await page.WaitForFunctionAsync("() => document.querySelector('figure.media img').complete");
        var filter = "() => getComputedStyle(document.querySelector('figure.media img')).filter";
        var before = await page.EvaluateAsync<string>(filter);
        Assert.Contains("blur", before);
        Assert.Contains("grayscale", before);
        await ConsoleBrowser.ScreenshotAsync(page, "review-case-blurred");
        await page.Keyboard.PressAsync("r");
        // The filter eases out over 150 ms; it ends at none.
        await page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector('figure.media img')).filter === 'none'");
        Assert.Contains("revealed", await figure.GetAttributeAsync("class"));
        await ConsoleBrowser.ScreenshotAsync(page, "review-case-revealed");
        await page.WaitForTimeoutAsync(300);
        var posted = page.WaitForResponseAsync(r => r.Url.Contains("handler=Reveal"));
        await page.Keyboard.PressAsync("r");
        Assert.Equal(204, (await posted).Status);
        Assert.Contains("blur", await page.EvaluateAsync<string>(filter));
        var exposure = await Get<WellnessService>().ExposureAsync(Name(ConsoleRoles.Moderator), null, default);
        Assert.Equal(1, exposure.MediaRevealed);
        Assert.True(exposure.SecondsRevealed >= 0.2, $"revealed for {exposure.SecondsRevealed} s");

        // v: violation with the suggested policy focused; the note; Ctrl+Enter submits.
        await page.Keyboard.PressAsync("v");
        Assert.True(await page.IsCheckedAsync("#verdict-violation"));
        Assert.Equal("policy", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Equal(c.Policy, await page.InputValueAsync("#policy"));
        await page.CheckAsync("input[data-action='content.remove']");
        await page.FocusAsync("#note");
        await page.Keyboard.TypeAsync("Synthetic picture praises an invented attack.");
        await page.Keyboard.PressAsync("Control+Enter");
        // A violation first shows what it will do; the reviewer confirms that summary.
        await page.WaitForSelectorAsync("#decision-summary");
        await ConsoleBrowser.SubmitAsync(page, "#decide-confirm");
        await page.WaitForSelectorAsync("#result");
        var decided = await CaseAsync(c.Id);
        Assert.Equal((ReviewCaseStatus.Decided, ReviewVerdict.Violation, c.Policy), (decided.Status, decided.Verdict, decided.VerdictPolicy));
        Assert.Contains("decided", await page.TextContentAsync(".flash"));
    }

    [Fact]
    public async Task A_stale_claim_and_a_double_submit_give_clear_messages_and_record_once()
    {
        ConsoleBrowser.Require();
        var stale = await SeedAsync("browser-stale");
        var twice = await SeedAsync("browser-twice");
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);

        // The moderator's form is made under a claim; meanwhile the claim is released and a senior moderator decides the case.
        await page.GotoAsync($"/cases/{stale.Id}");
        await page.ClickAsync("#claim-case");
        var queues = Get<ReviewQueueService>();
        var token = await page.InputValueAsync("#decision-form input[name=claimToken]");
        Assert.True((await queues.ReleaseAsync(stale.Id, token, Moderator, default)).Ok);
        var claim = (await queues.ClaimAsync(stale.Id, Senior, default)).Value!;
        Assert.True((await Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(stale.Id, claim.Token, ReviewVerdict.NoViolation, null, null, null, null, "senior-form"), Senior, default)).Ok);
        await page.CheckAsync("#verdict-no-violation");
        await page.ClickAsync("#decide-submit");
        var errors = await page.TextContentAsync("#errors");
        Assert.Contains("Someone else got there first", errors);
        Assert.Contains("Nothing was recorded", errors);
        Assert.Equal(Name(ConsoleRoles.SeniorModerator), (await CaseAsync(stale.Id)).DecidedBy);
        Assert.Equal(1, await AuditCountAsync("review.decided", stale.Id));

        // The same form sent twice (a double click, a resubmitted page): one decision, and the second answer says so.
        await page.GotoAsync($"/cases/{twice.Id}");
        await page.ClickAsync("#claim-case");
        await page.CheckAsync("#verdict-violation");
        await page.CheckAsync("input[data-action='content.remove']");
        await page.FillAsync("#note", "Synthetic caption glorifies an invented attack.");
        var statuses = await page.EvaluateAsync<int[]>(
            "async () => { const f = document.querySelector('#decision-form'); const out = []; for (let i = 0; i < 2; i++) { " +
            "const d = new FormData(f); d.set('confirmed', '1'); const r = await fetch(f.action, { method: 'POST', body: d, redirect: 'manual' }); out.push(r.status || 302); } return out; }");
        Assert.All(statuses, s => Assert.True(s is 0 or 302 or 303, $"status {s}"));
        Assert.Equal(1, await AuditCountAsync("review.decided", twice.Id));
        await page.GotoAsync($"/cases/{twice.Id}");
        Assert.Contains("recorded once", await page.TextContentAsync(".flash"));
        Assert.Equal(ReviewCaseStatus.Decided, (await CaseAsync(twice.Id)).Status);
    }

    [Fact]
    public async Task Tampered_forms_are_refused_with_a_message_and_auditors_only_read()
    {
        ConsoleBrowser.Require();
        var c = await SeedAsync("browser-tamper");
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync($"/cases/{c.Id}");
        await page.ClickAsync("#claim-case");
        var token = await page.InputValueAsync("#decision-form input[name=claimToken]");
        var antiforgery = await page.InputValueAsync("#decision-form input[name=__RequestVerificationToken]");
        (string, string)[] Form(string policy, string action) =>
            [("__RequestVerificationToken", antiforgery), ("claimToken", token), ("submissionId", Guid.NewGuid().ToString("N")), ("verdict", "violation"),
             ("policy", policy), ("actions", action), ("note", "forged")];

        var unknown = await PostAsync(page, $"/cases/{c.Id}?handler=Decide", Form("NO-SUCH-POLICY", "content.remove"));
        Assert.Equal(422, unknown.Status);
        Assert.Contains("NO-SUCH-POLICY", unknown.Text);
        Assert.Contains("is not in the catalogue in force", unknown.Text);
        var ban = await PostAsync(page, $"/cases/{c.Id}?handler=Decide", Form(c.Policy!, "account.ban"));
        Assert.True(ban.Status is 403 or 422, $"status {ban.Status}");
        // The refusal names the measure as the form does (worded from its code, issue 17).
        Assert.Contains("Ban the account", ban.Text);
        Assert.Contains("Nothing was recorded", ban.Text);
        Assert.DoesNotContain("data-action=\"account.ban\"", await page.ContentAsync()); // never offered to a moderator
        // A decision that would otherwise be valid, posted without the antiforgery token (a cross-site form), is refused.
        var noToken = await PostAsync(page, $"/cases/{c.Id}?handler=Decide", [.. Form(c.Policy!, "content.remove").Where(f => f.Item1 != "__RequestVerificationToken")]);
        Assert.Equal(400, noToken.Status);
        Assert.Equal(ReviewCaseStatus.Open, (await CaseAsync(c.Id)).Status);
        Assert.Equal(0, await AuditCountAsync("review.decided", c.Id));

        // An auditor reads the case and its media but has no form, and a forged decision is refused before any handler runs.
        var auditor = await browser.NewPageAsync();
        await browser.LoginAsync(auditor, ConsoleRoles.Auditor);
        Assert.Equal(200, (await auditor.GotoAsync($"/cases/{c.Id}"))!.Status);
        Assert.Equal(0, await auditor.Locator("#decision-form").CountAsync());
        var media = await GetAsync(auditor, $"/cases/{c.Id}?handler=Media&index=0");
        Assert.Equal((200, "image/png", "nosniff"), (media.Status, media.Type, media.NoSniff));
        Assert.Equal("no-store", media.CacheControl); // disturbing media never lands in a browser's disk cache
        await auditor.GotoAsync("/account");
        var auditorToken = await auditor.InputValueAsync("input[name=__RequestVerificationToken] >> nth=0");
        var forged = await PostAsync(auditor, $"/cases/{c.Id}?handler=Decide", [("__RequestVerificationToken", auditorToken), ("verdict", "no-violation"), ("submissionId", "x")]);
        Assert.Equal(403, forged.Status);

        // Signed out, neither the case nor its media is served.
        var anonymous = await browser.NewPageAsync();
        await anonymous.GotoAsync("/login");
        var refused = await GetAsync(anonymous, $"/cases/{c.Id}?handler=Media&index=0");
        Assert.NotEqual(200, refused.Status);
        Assert.NotEqual("image/png", refused.Type);
    }

    [Fact]
    public async Task A_bulk_decision_reports_each_case_including_one_decided_meanwhile()
    {
        ConsoleBrowser.Require();
        var cases = new List<ReviewCaseRow>();
        foreach (var id in new[] { "browser-bulk-1", "browser-bulk-2", "browser-bulk-3" }) cases.Add(await SeedAsync(id));
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync($"/queues/{cases[0].Queue}");
        foreach (var c in cases) await page.CheckAsync($"input[name=ids][value='{c.Id}']");

        // j moves through the rows, space selects the current one (the first row was not picked above unless it is ours).
        await page.Keyboard.PressAsync("j");
        Assert.Equal(1, await page.Locator("#cases tbody tr.current").CountAsync());

        var claim = (await Get<ReviewQueueService>().ClaimAsync(cases[2].Id, Senior, default)).Value!;
        Assert.True((await Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(cases[2].Id, claim.Token, ReviewVerdict.NoViolation, null, null, null, null, "senior-bulk"), Senior, default)).Ok);
        foreach (var box in await page.QuerySelectorAllAsync("input[name=ids]:checked"))
            if (!cases.Select(c => c.Id.ToString()).Contains(await box.GetAttributeAsync("value"))) await box.UncheckAsync();
        await page.CheckAsync("#bulk input[value='no-violation']");
        await ConsoleBrowser.SubmitAsync(page, "#bulk-decide");
        await page.CheckAsync("#bulk-confirm-check");
        await ConsoleBrowser.SubmitAsync(page, "#bulk-apply");
        var summary = await page.TextContentAsync("#bulk-results h2");
        Assert.Contains("2 decided", summary);
        Assert.Contains("1 already decided or claimed by someone else", summary);
        Assert.Equal("stale", await page.GetAttributeAsync($"#bulk-results li[data-case='{cases[2].Id}']", "data-error"));
        await ConsoleBrowser.ScreenshotAsync(page, "review-bulk-results");
        foreach (var c in cases.Take(2))
        {
            var row = await CaseAsync(c.Id);
            Assert.Equal((ReviewCaseStatus.Decided, Name(ConsoleRoles.Moderator)), (row.Status, row.DecidedBy));
            Assert.Equal(1, await AuditCountAsync("review.decided", c.Id));
        }
    }

    [Fact]
    public async Task A_larger_page_lets_one_bulk_decision_cover_more_cases_than_the_default_page()
    {
        ConsoleBrowser.Require();
        var cases = new List<ReviewCaseRow>();
        for (var i = 0; i < 60; i++) cases.Add(await SeedAsync($"browser-bulk-many-{i}"));
        var queue = cases[0].Queue;
        Assert.All(cases, c => Assert.Equal(queue, c.Queue));
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);

        // An unknown page size is named and the default page is shown.
        await page.GotoAsync($"/queues/{queue}?size=lots");
        var sizeError = await page.TextContentAsync("#errors");
        Assert.Contains("'lots' is not one of 50, 200, 1,000; showing 50", sizeError);
        Assert.Equal(QueueModel.PageSize, await page.Locator("#cases tbody tr").CountAsync());
        Assert.Equal(1, await page.Locator("#next-page").CountAsync());

        await page.SelectOptionAsync("#page-size", "200");
        await ConsoleBrowser.SubmitAsync(page, "#page-size-show");
        Assert.Contains("size=200", page.Url);
        Assert.True(await page.Locator("#cases tbody tr").CountAsync() >= cases.Count);
        await page.CheckAsync("#select-all");
        var ours = cases.Select(c => c.Id.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        foreach (var box in await page.QuerySelectorAllAsync("input[name=ids]:checked"))
            if (!ours.Contains(await box.GetAttributeAsync("value") ?? "")) await box.UncheckAsync();
        Assert.Equal(cases.Count, await page.Locator("input[name=ids]:checked").CountAsync());
        await page.CheckAsync("#bulk input[value='no-violation']");
        await ConsoleBrowser.SubmitAsync(page, "#bulk-decide");
        await page.CheckAsync("#bulk-confirm-check");
        await ConsoleBrowser.SubmitAsync(page, "#bulk-apply");

        Assert.Contains($"{cases.Count} decided", await page.TextContentAsync("#bulk-results h2"));
        Assert.Equal(cases.Count, await page.Locator("#bulk-results li[data-error='none']").CountAsync());
        Assert.Equal("200", await page.InputValueAsync("#page-size"));
        foreach (var c in cases)
        {
            var row = await CaseAsync(c.Id);
            Assert.Equal((ReviewCaseStatus.Decided, Name(ConsoleRoles.Moderator)), (row.Status, row.DecidedBy));
            Assert.Equal(1, await AuditCountAsync("review.decided", c.Id));
        }
    }

    [Fact]
    public async Task Undecodable_media_and_a_platform_deletion_are_shown_and_a_long_stretch_brings_the_break_reminder()
    {
        ConsoleBrowser.Require();
        // "PNG" bytes that are not a picture: the case page shows a placeholder instead of a broken image.
        var broken = await SeedAsync("browser-undecodable", bytes: Encoding.ASCII.GetBytes("\u0089PNG but not really: synthetic corrupt bytes"));
        Assert.True((await Get<ReviewQaService>().MarkDeletedUpstreamAsync("browser-undecodable", "author deleted it", "apikey:platform", default)).Value);
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.LegalOfficer);
        await page.GotoAsync($"/cases/{broken.Id}");
        Assert.Equal("undecodable", await page.GetAttributeAsync("figure[data-media='0']", "data-state"));
        Assert.Equal("The media file cannot be decoded.", (await page.TextContentAsync("figure[data-media='0'] .placeholder"))?.Trim());
        Assert.Equal(0, await page.Locator("figure[data-media='0'] img").CountAsync());
        Assert.Contains("Deleted on the platform", await page.TextContentAsync("#deleted-upstream"));
        Assert.Equal(0, await page.Locator("#break-reminder").CountAsync());

        // Forty minutes of reveals with no gap of a pause (10 minutes), against a 30-minute reminder: the banner shows.
        var user = Name(ConsoleRoles.LegalOfficer);
        Assert.True((await Get<WellnessService>().SetPreferencesAsync(user, null, null, 30, default)).Ok);
        var now = TimeProvider.System.GetUtcNow();
        await using (var db = Get<IBulwarkDbFactory>().Create())
        {
            for (var minutes = 40; minutes >= 0; minutes -= 5)
                db.Set<MediaRevealRow>().Add(new MediaRevealRow { UserName = user, CaseId = broken.Id, MediaIndex = 0, Milliseconds = 1000, RevealedAt = now.AddMinutes(-minutes) });
            await db.SaveChangesAsync();
        }
        await page.GotoAsync($"/cases/{broken.Id}");
        Assert.Contains("without a break", await page.TextContentAsync("#break-reminder"));
        await page.GotoAsync($"/queues/{broken.Queue}");
        Assert.Equal(1, await page.Locator("#break-reminder").CountAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "review-break-reminder");
    }

    [Fact]
    public async Task A_moderator_escalates_a_case_with_the_form_and_a_senior_finds_it_in_the_chosen_queue()
    {
        ConsoleBrowser.Require();
        var c = await SeedAsync("browser-escalate");
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync($"/cases/{c.Id}");
        await page.ClickAsync("#claim-case");
        await page.WaitForSelectorAsync("#claim-state");

        // e: escalate, with the queue list focused.
        await page.Keyboard.PressAsync("e");
        Assert.True(await page.IsCheckedAsync("#verdict-escalate"));
        Assert.Equal("escalate-to", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Equal(0, await page.Locator($"#escalate-to option[value='{c.Queue}']").CountAsync());
        Assert.Equal(1, await page.Locator("#escalate-to option[value='regional-experts']").CountAsync()); // configured, not built in
        Assert.Equal(0, await page.Locator("#escalate-to option[value='appeals'], #escalate-to option[value='qa']").CountAsync());
        await page.SelectOptionAsync("#escalate-to", "threat-to-life");
        await page.FillAsync("#note", "Synthetic: the caption names a date and a place; a senior should look now.");
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForSelectorAsync("#result");
        var escalated = await CaseAsync(c.Id);
        Assert.Equal((ReviewCaseStatus.Decided, ReviewVerdict.Escalate, "threat-to-life"), (escalated.Status, escalated.Verdict, escalated.EscalatedTo));
        await using var db = Get<IBulwarkDbFactory>().Create();
        var followUp = await db.Set<ReviewCaseRow>().AsNoTracking().SingleAsync(x => x.SubjectCaseId == c.Id);
        Assert.Equal(("threat-to-life", ReviewCaseStatus.Open), (followUp.Queue, followUp.Status));

        // The moderator may not work threat-to-life; a senior moderator sees the case there.
        Assert.Equal(403, (await page.GotoAsync("/queues/threat-to-life"))!.Status);
        var senior = await browser.NewPageAsync();
        await browser.LoginAsync(senior, ConsoleRoles.SeniorModerator);
        await senior.GotoAsync("/queues/threat-to-life");
        Assert.Equal(1, await senior.Locator($"#cases tr[data-case='{followUp.Id}']").CountAsync());

        // Its media likewise: refused to the moderator, served to the senior; an index the content lacks is not found.
        Assert.Equal(403, (await GetAsync(page, $"/cases/{followUp.Id}?handler=Media&index=0")).Status);
        var served = await GetAsync(senior, $"/cases/{followUp.Id}?handler=Media&index=0");
        Assert.Equal((200, "image/png"), (served.Status, served.Type));
        Assert.Equal(404, (await GetAsync(senior, $"/cases/{followUp.Id}?handler=Media&index=7")).Status);
        Assert.Equal(404, (await GetAsync(senior, "/cases/999999?handler=Media&index=0")).Status);
    }

    [Fact]
    public async Task A_legal_officer_places_and_releases_a_hold_on_a_preserved_removal_through_the_page()
    {
        ConsoleBrowser.Require();
        var c = await SeedAsync("browser-preserved");
        var claim = (await Get<ReviewQueueService>().ClaimAsync(c.Id, Moderator, default)).Value!;
        var decided = await Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(c.Id, claim.Token, ReviewVerdict.Violation, c.Policy, ["content.remove"], null,
            "Synthetic picture on a review-only list, removed for the hold test.", "legal-hold-1"), Moderator, default);
        Assert.True(decided.Ok, decided.Message);
        long itemId;
        await using (var db = Get<IBulwarkDbFactory>().Create())
            itemId = (await db.Set<PreservedItemRow>().AsNoTracking().SingleAsync(i => i.ContentId == "browser-preserved")).Id;

        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.LegalOfficer);
        await page.GotoAsync($"/legal/items/{itemId}");
        Assert.Equal(0, await page.Locator("#holds tbody tr").CountAsync());
        await page.FillAsync("#reference", "SYNTHETIC-ORDER-1");
        await page.FillAsync("#hold-reason", "Synthetic authority request to keep the copy.");
        await ConsoleBrowser.SubmitAsync(page, "#place");
        var hold = page.Locator("#holds tbody tr");
        Assert.Equal(1, await hold.CountAsync());
        Assert.Contains("SYNTHETIC-ORDER-1", await hold.TextContentAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "legal-item-held");

        await hold.Locator("input[name=reason]").FillAsync("Synthetic: the authority closed its case.");
        await ConsoleBrowser.SubmitAsync(page, "#holds tbody tr form button");
        Assert.Contains("the authority closed its case", await page.TextContentAsync("#holds tbody tr"));
        Assert.Equal(0, await page.Locator("#holds tbody tr form").CountAsync());
        await using var read = Get<IBulwarkDbFactory>().Create();
        var stored = await read.Set<PreservationHoldRow>().AsNoTracking().SingleAsync(h => h.ItemId == itemId);
        Assert.Equal((Name(ConsoleRoles.LegalOfficer), Name(ConsoleRoles.LegalOfficer)), (stored.PlacedBy, stored.ReleasedBy));
        Assert.NotNull(stored.ReleasedAt);
    }

    [Fact]
    public async Task An_appeal_is_refused_to_the_original_decider_and_reversed_by_a_second_user()
    {
        ConsoleBrowser.Require();
        var c = await SeedAsync("browser-appeal");
        var claim = (await Get<ReviewQueueService>().ClaimAsync(c.Id, Moderator, default)).Value!;
        var decided = await Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(c.Id, claim.Token, ReviewVerdict.Violation, c.Policy, ["content.remove"], null,
            "Synthetic picture praises an invented attack.", "first-decision"), Moderator, default);
        Assert.True(decided.Ok, decided.Message);
        var appeal = await Get<AppealService>().SubmitAsync(new NewAppeal(c.DecisionId, null, "It is a cooking picture (synthetic appeal)."), "platform", default);
        await using (var db = Get<IBulwarkDbFactory>().Create())
            c = await db.Set<ReviewCaseRow>().AsNoTracking().SingleAsync(x => x.Queue == ReviewQueues.Appeals && x.ContentId == "browser-appeal");

        var original = await browser.NewPageAsync();
        await browser.LoginAsync(original, ConsoleRoles.Moderator);
        await original.GotoAsync("/appeals");
        await original.ClickAsync($"button[data-claim='{c.Id}']");
        Assert.Contains("/appeals", original.Url);
        Assert.Contains("must be decided by someone else", await original.TextContentAsync(".flash"));
        Assert.Null((await CaseAsync(c.Id)).ClaimedBy);

        // An operator who gives the appeals queue to senior moderators only closes its list page to moderators too.
        var settings = Get<ReviewOptions>();
        settings.Queues[ReviewQueues.Appeals] = new ReviewQueueOptions { Roles = [ConsoleRoles.SeniorModerator] };
        try { Assert.Equal(403, (await original.GotoAsync("/appeals"))!.Status); }
        finally { settings.Queues.Remove(ReviewQueues.Appeals); }
        Assert.Equal(200, (await original.GotoAsync("/appeals"))!.Status);

        var second = await browser.NewPageAsync();
        await browser.LoginAsync(second, ConsoleRoles.SeniorModerator);
        await second.GotoAsync("/appeals");
        await ConsoleBrowser.ScreenshotAsync(second, "review-appeals");
        await second.ClickAsync($"button[data-claim='{c.Id}']");
        Assert.EndsWith($"/cases/{c.Id}", second.Url);
        Assert.Contains("cooking picture", await second.TextContentAsync("#appeal"));
        await second.Keyboard.PressAsync("x");
        Assert.True(await second.IsCheckedAsync("#verdict-reverse"));
        await second.Keyboard.TypeAsync("On a second look the picture breaks no rule.");
        await second.Keyboard.PressAsync("Control+Enter");
        await second.WaitForSelectorAsync("#result");
        var row = await CaseAsync(c.Id);
        Assert.Equal((ReviewCaseStatus.Decided, ReviewVerdict.Reverse, Name(ConsoleRoles.SeniorModerator)), (row.Status, row.Verdict, row.DecidedBy));
        Assert.Equal("reversed", (await Get<AppealService>().GetAsync(appeal.Appeal!.Id, default))!.Outcome);

        await second.GotoAsync("/qa");
        Assert.NotNull(await second.QuerySelectorAsync("#agreement-overall"));
        await ConsoleBrowser.ScreenshotAsync(second, "review-qa");
    }

    [Fact]
    public async Task A_script_payload_in_a_caption_is_shown_as_text_and_a_case_is_worked_in_italian()
    {
        ConsoleBrowser.Require();
        const string payload = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> synthetic caption";
        var c = await SeedAsync("browser-xss", payload);
        await browser.CreateUserAsync("moderatrice", "password di prova lunga", ConsoleRoles.Moderator);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(page, "moderatrice", "password di prova lunga");
        await page.GotoAsync($"/cases/{c.Id}");
        Assert.Equal(payload, await page.TextContentAsync("#content-text"));
        Assert.Equal(0, await page.Locator("#content-text script, #content-text img").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));

        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", "it");
        await page.ClickAsync("#save-language");
        await page.GotoAsync($"/cases/{c.Id}");
        Assert.StartsWith($"Caso {c.Id}", (await page.TextContentAsync("h1"))!.Trim());
        Assert.Contains("Nessuno ha preso in carico", await page.TextContentAsync("#claim-state"));
        Assert.Contains("Mostra", await page.TextContentAsync("button.reveal"));
        Assert.Contains("Scorciatoie da tastiera", await page.TextContentAsync("#shortcuts"));
        await ConsoleBrowser.ScreenshotAsync(page, "review-case-italian");

        // The rest of the round in Italian: dashboard, queue page, claim, a keyboard decision and its message.
        await page.GotoAsync("/queues");
        Assert.Equal("Code di revisione", (await page.TextContentAsync("h1"))!.Trim());
        await page.GotoAsync($"/queues/{c.Queue}");
        Assert.Equal($"Coda {c.Queue}", (await page.TextContentAsync("h1"))!.Trim());
        Assert.Equal("Righe per pagina", (await page.TextContentAsync("label[for=page-size]"))!.Trim());
        await ConsoleBrowser.SubmitAsync(page, $"button[data-claim='{c.Id}']");
        Assert.EndsWith($"/cases/{c.Id}", page.Url);
        Assert.Contains("Preso in carico da te", await page.TextContentAsync("#claim-state"));
        await page.Keyboard.PressAsync("n");
        Assert.True(await page.IsCheckedAsync("#verdict-no-violation"));
        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForSelectorAsync("#result");
        Assert.StartsWith($"Caso {c.Id} deciso", (await page.TextContentAsync(".flash"))!.Trim());
        Assert.Equal((ReviewCaseStatus.Decided, ReviewVerdict.NoViolation), ((await CaseAsync(c.Id)).Status, (await CaseAsync(c.Id)).Verdict));
        await ConsoleBrowser.ScreenshotAsync(page, "review-decided-italian");
    }

    private sealed record Posted(int Status, string Text);
    private sealed record Fetched(int Status, string? Type, string? NoSniff, string? CacheControl = null);

    /// <summary>A GET from the page itself, so the browser's own (Secure, SameSite) cookies go with it; redirects are not followed.</summary>
    private static async Task<Fetched> GetAsync(IPage page, string url)
    {
        var r = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async (url) => { const r = await fetch(url, { redirect: 'manual' }); " +
            "return { status: r.status, type: r.headers.get('content-type'), nosniff: r.headers.get('x-content-type-options'), cache: r.headers.get('cache-control') }; }", url);
        return new Fetched(r.GetProperty("status").GetInt32(), r.GetProperty("type").GetString(), r.GetProperty("nosniff").GetString(), r.GetProperty("cache").GetString());
    }

    private static async Task<Posted> PostAsync(IPage page, string url, (string Name, string Value)[] fields)
    {
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async ([url, fields]) => { const body = new URLSearchParams(); for (const [k, v] of fields) body.append(k, v); " +
            "const r = await fetch(url, { method: 'POST', body, redirect: 'manual' }); return { status: r.status, text: await r.text() }; }",
            new object[] { url, fields.Select(f => new[] { f.Name, f.Value }).ToArray() });
        return new Posted(result.GetProperty("status").GetInt32(), result.GetProperty("text").GetString() ?? "");
    }
}
