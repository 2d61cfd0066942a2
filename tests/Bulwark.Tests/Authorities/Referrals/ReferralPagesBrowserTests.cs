using System.Text;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Authorities.Referrals;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Authorities.Referrals;

/// <summary>
/// In Debian's Chromium: a legal officer refers a threat-to-life case from the case page to the shipped EXAMPLE recipient
/// (phone channel), exports the signed package (which verifies), and records the delivery by phone; the pages read in Italian too.
/// </summary>
public class ReferralPagesBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    private async Task<ReviewCaseRow> SeedThreatAsync(string id)
    {
        var stored = await Get<IMediaStore>().PutAsync(new MemoryStream(Encoding.UTF8.GetBytes("synthetic clip " + id)), 1000, default);
        var banks = Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "referral-bank")) await banks.CreateAsync("referral-bank", null, "tester", default);
        await banks.AddExactAsync("referral-bank", "md5", stored.Md5!, [Review.ReviewScenario.Imminent], "tester", default);
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "video", Account = new AccountRef { Id = "acct-" + id }, Text = "Synthetic threat for the referral page test (invented).",
            Media = [new MediaRef { Part = "f.bin", MimeType = "video/mp4" }],
        }, new Dictionary<string, StoredMedia> { ["f.bin"] = new("f.bin", stored.Sha256!, stored.Size, "video/mp4") }, default);
        var queue = Get<IWorkQueue>();
        var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("browser-test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == id && c.Queue == "threat-to-life").FirstAsync();
    }

    [Fact]
    public async Task A_legal_officer_refers_a_threat_exports_the_signed_package_and_records_the_phone_delivery()
    {
        ConsoleBrowser.Require();
        var c = await SeedThreatAsync("referral-page");
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.LegalOfficer);
        await page.GotoAsync($"/cases/{c.Id}");
        await page.ClickAsync("#refer-to-authorities");
        await page.WaitForSelectorAsync("#refer-form");
        await page.FillAsync("#assessment", "Names a place and a time; invented test case.");
        await page.SelectOptionAsync("#urgency", "immediate");
        await page.FillAsync("#member-state", "IT");
        await ConsoleBrowser.SubmitAsync(page, "#refer");

        Assert.Equal("awaiting_manual", await page.GetAttributeAsync("#referral-status", "data-status"));
        Assert.Contains("EXAMPLE", await page.InnerTextAsync("#recipient"));
        Assert.Contains("min", await page.InnerTextAsync("#clock"));
        await ConsoleBrowser.ScreenshotAsync(page, "authorities-referral");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#package"));
        var path = Path.Combine(Path.GetTempPath(), $"referral-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(path);
        try
        {
            await using var zip = File.OpenRead(path);
            var verdict = await ReferralPackage.VerifyAsync(zip, Get<ReferralSigningKey>().PublicKey.Base64, default);
            Assert.True(verdict.Valid, string.Join("; ", verdict.Findings));
            Assert.Equal(ReferralService.ReferenceOf(c.Id), verdict.Reference);
        }
        finally { File.Delete(path); }

        await page.FillAsync("#contact", "Duty officer (invented), example unit");
        await ConsoleBrowser.SubmitAsync(page, "#record-phone");
        Assert.Equal("delivered", await page.GetAttributeAsync("#referral-status", "data-status"));
        Assert.Equal(1, await page.Locator("#deliveries tr[data-kind='phone']").CountAsync());

        await page.GotoAsync("/authorities/referrals");
        Assert.Contains(ReferralService.ReferenceOf(c.Id), await page.InnerTextAsync("#referrals"));

        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", "it");
        await ConsoleBrowser.SubmitAsync(page, "#save-language");
        await page.GotoAsync("/authorities/referrals");
        Assert.Contains("Segnalazioni", await page.InnerTextAsync("h1"));
        Assert.Contains("consegnata", await page.InnerTextAsync("#referrals"));
        await ConsoleBrowser.ScreenshotAsync(page, "authorities-referrals-it");
    }
}
