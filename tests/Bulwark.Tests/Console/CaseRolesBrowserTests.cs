using System.Text;
using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
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
/// Role checks follow the case (issue 17, item 6): an appeal of a threat-to-life removal, its media and its history are for
/// those who may see threat-to-life cases; a moderator, who gets 403 on the case, gets 403 on its appeal too.
/// </summary>
public class CaseRolesBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    /// <summary>A generated picture on a review-only bank label: the shipped rules open a case for it.</summary>
    private async Task<ReviewCaseRow> SeedAsync(string id)
    {
        using var bitmap = new SKBitmap(64, 48);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(200, 60, 60));
        var bytes = Encoding.UTF8.GetBytes(id);
        for (var x = 0; x < bytes.Length; x++) bitmap.SetPixel(x, 0, new SKColor(bytes[x], (byte)x, 3));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var stored = await Get<IMediaStore>().PutAsync(new MemoryStream(png.ToArray()), 10_000_000, default);
        var banks = Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "roles-bank")) await banks.CreateAsync("roles-bank", null, "tester", default);
        await banks.AddExactAsync("roles-bank", "md5", stored.Md5!, ["synthetic-review-label"], "tester", default);
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "image", Language = "en", Text = "Synthetic caption for " + id, Account = new AccountRef { Id = "acct-" + id },
            Media = [new MediaRef { Part = "p.png", MimeType = "image/png" }],
        }, new Dictionary<string, StoredMedia> { ["p.png"] = new("p.png", stored.Sha256!, stored.Size, "image/png") }, default);
        var queue = Get<IWorkQueue>();
        var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("roles-test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == id).OrderBy(c => c.Id).FirstAsync();
    }

    /// <summary>The case was a threat-to-life case whose content was removed; the user appeals. Returns the appeal's case.</summary>
    private async Task<ReviewCaseRow> AppealOfThreatToLifeRemovalAsync(string id)
    {
        var c = await SeedAsync(id);
        var removal = JsonSerializer.Serialize(new List<DecisionAction> { new("content.remove", "content", id, "VE-THREAT", null) }, JsonSerializerOptions.Web);
        await using (var db = Get<IBulwarkDbFactory>().Create())
        {
            await db.Set<ReviewCaseRow>().Where(x => x.Id == c.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Queue, "threat-to-life"));
            await db.Decisions.Where(d => d.Id == c.DecisionId).ExecuteUpdateAsync(u => u.SetProperty(d => d.Queue, "threat-to-life").SetProperty(d => d.ActionsJson, removal));
        }
        var appeal = await Get<AppealService>().SubmitAsync(new NewAppeal(c.DecisionId, null, "It was a quote from a film."), "platform", default);
        Assert.True(appeal.Appeal is not null, appeal.Message);
        await using var read = Get<IBulwarkDbFactory>().Create();
        return await read.Set<ReviewCaseRow>().AsNoTracking().SingleAsync(x => x.AppealId == appeal.Appeal!.Id);
    }

    private static async Task<int> StatusAsync(IPage page, string url) =>
        await page.EvaluateAsync<int>("async (url) => (await fetch(url, { redirect: 'manual' })).status", url);

    [Fact]
    public async Task A_moderator_is_refused_the_appeal_of_a_threat_to_life_removal_its_media_and_its_claim_as_on_the_case()
    {
        ConsoleBrowser.Require();
        var appeal = await AppealOfThreatToLifeRemovalAsync("roles-ttl");
        Assert.Equal(ReviewQueues.Appeals, appeal.Queue);

        var moderator = await browser.NewPageAsync();
        await browser.LoginAsync(moderator, ConsoleRoles.Moderator);
        Assert.Equal(403, (await moderator.GotoAsync($"/cases/{appeal.Id}"))!.Status);
        Assert.Equal(403, await StatusAsync(moderator, $"/cases/{appeal.Id}?handler=Media&index=0"));
        await moderator.GotoAsync("/appeals");
        Assert.Equal(0, await moderator.Locator($"[data-case='{appeal.Id}'], button[data-claim='{appeal.Id}']").CountAsync());

        // The services refuse it too: no claim, and claim-next passes it by.
        var user = new ReviewUser(ConsoleBrowser.UserName(ConsoleRoles.Moderator), ConsoleRoles.Moderator);
        var queues = Get<ReviewQueueService>();
        Assert.Equal(ReviewError.Forbidden, (await queues.ClaimAsync(appeal.Id, user, default)).Error);
        var next = await queues.ClaimNextAsync(ReviewQueues.Appeals, user, default);
        Assert.NotEqual(appeal.Id, next.Value?.CaseId);

        // A senior moderator, who works threat-to-life cases, sees it and its media.
        var senior = await browser.NewPageAsync();
        await browser.LoginAsync(senior, ConsoleRoles.SeniorModerator);
        Assert.Equal(200, (await senior.GotoAsync($"/cases/{appeal.Id}"))!.Status);
        Assert.Equal(200, await StatusAsync(senior, $"/cases/{appeal.Id}?handler=Media&index=0"));
        await senior.GotoAsync("/appeals");
        Assert.Equal(1, await senior.Locator($"tr[data-case='{appeal.Id}']").CountAsync());
    }
}
