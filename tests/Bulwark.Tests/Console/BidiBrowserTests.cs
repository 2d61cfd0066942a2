using System.Text;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SkiaSharp;

namespace Bulwark.Tests.Console;

/// <summary>
/// Right-to-left override characters in user-supplied text cannot reverse what the console shows (issue 17, item 7): an
/// account named "\u202Enimda" must not read "admin", a file "\u202Egnp.exe" must not read "exe.png", an entity
/// "\u202Enoigel" must not read "legion". The marker ⟨U+202E⟩ shows where the control was; the letters keep their order on screen.
/// </summary>
public class BidiBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Rlo = "\u202E";
    private const string Marker = "\u27E8U+202E\u27E9";

    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    /// <summary>Whether, on screen, the first <paramref name="left"/> of the element's text is drawn left of its last <paramref name="right"/>.</summary>
    private static Task<bool> DrawnLeftOfAsync(IPage page, string selector, char left, char right) => page.EvaluateAsync<bool>(
        @"([selector, left, right]) => {
            const el = document.querySelector(selector);
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            let node, text = '', nodes = [];
            while ((node = walker.nextNode())) { nodes.push([node, text.length]); text += node.data; }
            const rect = (i) => { for (const [n, start] of nodes) if (i < start + n.data.length) { const r = document.createRange(); r.setStart(n, i - start); r.setEnd(n, i - start + 1); return r.getBoundingClientRect(); } };
            return rect(text.indexOf(left)).left < rect(text.lastIndexOf(right)).left;
        }", new object[] { selector, left.ToString(), right.ToString() });

    private async Task<ReviewCaseRow> SeedAsync()
    {
        using var bitmap = new SKBitmap(64, 48);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(30, 120, 200));
        var bytes = Encoding.UTF8.GetBytes("bidi-sample");
        for (var x = 0; x < bytes.Length; x++) bitmap.SetPixel(x, 0, new SKColor(bytes[x], (byte)x, 7));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var stored = await Get<IMediaStore>().PutAsync(new MemoryStream(png.ToArray()), 10_000_000, default);
        var banks = Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "bidi-bank")) await banks.CreateAsync("bidi-bank", null, "tester", default);
        await banks.AddExactAsync("bidi-bank", "md5", stored.Md5!, ["synthetic-review-label"], "tester", default);
        var part = Rlo + "gnp.exe";
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = "bidi-1", Kind = "image", Language = "en", ViewCount = 10, Text = "Synthetic caption " + Rlo + "esrever",
            Account = new AccountRef { Id = "acct-bidi", Handle = "@" + Rlo + "nimda", DisplayName = Rlo + "nimda" },
            Media = [new MediaRef { Part = part, MimeType = "image/png" }],
        }, new Dictionary<string, StoredMedia> { [part] = new(part, stored.Sha256!, stored.Size, "image/png") }, default);
        var queue = Get<IWorkQueue>();
        var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("bidi-test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == "bidi-1").OrderBy(c => c.Id).FirstAsync();
    }

    [Fact]
    public async Task Override_characters_in_names_files_entities_and_form_values_are_marked_and_do_not_reverse_the_text()
    {
        ConsoleBrowser.Require();
        var c = await SeedAsync();
        var entity = await Get<EntityRegistry>().CreateAsync(new EntityInput(EntityKinds.Organisation, Rlo + "noigel", EntityTiers.HatefulOrganisation,
            Evidence: ["https://example.org/invented-evidence"]), "test", default);

        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);
        await page.GotoAsync($"/cases/{c.Id}");
        // The text the user reads: the marker where the override was, then the letters in the order they were written.
        Assert.Equal(Marker + "nimda", await page.InnerTextAsync("#account-name"));
        Assert.Equal("@" + Marker + "nimda", await page.InnerTextAsync("#account-handle"));
        Assert.Equal(Marker + "gnp.exe", await page.InnerTextAsync(".media-part"));
        Assert.Contains("Synthetic caption " + Marker + "esrever", await page.InnerTextAsync("#content-text"));
        // And on screen: "n" is drawn left of "a" (an override would have drawn "admin"), "g" left of "e" (not "exe.png").
        Assert.True(await DrawnLeftOfAsync(page, "#account-name", 'n', 'a'));
        Assert.True(await DrawnLeftOfAsync(page, ".media-part", 'g', 'e'));
        Assert.True(await DrawnLeftOfAsync(page, "#content-text", 'e', 'r'));
        var html = await page.ContentAsync();
        var at = html.IndexOf(Rlo, StringComparison.Ordinal);
        Assert.True(at < 0, at < 0 ? "" : "A bidi control reached the page: …" + html[Math.Max(0, at - 300)..Math.Min(html.Length, at + 100)] + "…");
        await ConsoleBrowser.ScreenshotAsync(page, "bidi-case");

        var admin = await browser.NewPageAsync();
        await browser.LoginAsync(admin, ConsoleRoles.PolicyAdmin);
        await admin.GotoAsync("/designations");
        var name = $"[data-entity='{entity.Id}'] .entity-name";
        Assert.Equal(Marker + "noigel", await admin.InnerTextAsync(name));
        Assert.True(await DrawnLeftOfAsync(admin, name, 'n', 'l'));
        await ConsoleBrowser.ScreenshotAsync(admin, "bidi-designations");

        // Form values: an override typed into a filter comes back marked in the field, not as a live control character.
        var auditor = await browser.NewPageAsync();
        await browser.LoginAsync(auditor, ConsoleRoles.Auditor);
        await auditor.GotoAsync("/audit?actor=" + Uri.EscapeDataString(Rlo + "nimda"));
        Assert.Equal(Marker + "nimda", await auditor.InputValueAsync("#actor"));
    }
}
