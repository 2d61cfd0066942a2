using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Security;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Server;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SkiaSharp;

namespace Bulwark.Tests.Console;

/// <summary>
/// Every console page in Italian has no English paragraph (issue 17, item 4): headings, labels, buttons, table headers, policy
/// titles and outcome words come from the Italian resources or the catalogue's Italian names. What people or machines wrote
/// (captions, names, the pipeline's evidence, audit details, ids) is data, marked as such on the pages, and left out.
/// </summary>
public class ItalianPagesBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    // Data, not interface text: user text, ids and hashes, the pipeline's explanations and rule evidence, entity names and notes, queue
    // names, and the audit log's recorded details (kept verbatim as they were written).
    private const string DataSelector = ".user-text, .mono, .explanation, #rules, bdi, code, pre, .entity-name, .entity-notes, .evidence, .tag, #audit-log td, #runs td, time";

    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    /// <summary>English resource values whose Italian differs (placeholders removed): shown on an Italian page, they are untranslated.</summary>
    private static HashSet<string> EnglishOnly()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in new[] { typeof(ConsoleText), typeof(ReviewText), typeof(NoticeText) })
        {
            var manager = new ResourceManager($"Bulwark.Server.Resources.{type.Name}", type.Assembly);
            var english = manager.GetResourceSet(CultureInfo.InvariantCulture, true, false)!;
            foreach (DictionaryEntry e in english)
            {
                var en = (string)e.Value!;
                var it = manager.GetString((string)e.Key, CultureInfo.GetCultureInfo("it"));
                if (en != it && !en.Contains('{') && en.Count(char.IsLetter) >= 4) result.Add(en.Trim());
            }
        }
        return result;
    }

    private async Task<ReviewCaseRow> SeedAsync(string id)
    {
        using var bitmap = new SKBitmap(64, 48);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(60, 160, 90));
        var bytes = Encoding.UTF8.GetBytes(id);
        for (var x = 0; x < bytes.Length; x++) bitmap.SetPixel(x, 0, new SKColor(bytes[x], (byte)x, 5));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var stored = await Get<IMediaStore>().PutAsync(new MemoryStream(png.ToArray()), 10_000_000, default);
        var banks = Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "italian-bank")) await banks.CreateAsync("italian-bank", null, "tester", default);
        await banks.AddExactAsync("italian-bank", "md5", stored.Md5!, ["synthetic-review-label"], "tester", default);
        await Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "image", Language = "it", Text = "Una didascalia di prova", Account = new AccountRef { Id = "acct-" + id },
            Media = [new MediaRef { Part = "p.png", MimeType = "image/png" }],
        }, new Dictionary<string, StoredMedia> { ["p.png"] = new("p.png", stored.Sha256!, stored.Size, "image/png") }, default);
        var queue = Get<IWorkQueue>();
        var outcome = await Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync("italian-test", 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await using var db = Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == id).OrderBy(c => c.Id).FirstAsync();
    }

    /// <summary>The interface text of the page: the text of each block element, without the data inside it.</summary>
    private static Task<string[]> BlocksAsync(IPage page) => page.EvaluateAsync<string[]>(
        @"(data) => {
            const blocks = [...document.querySelectorAll('main h1, main h2, main h3, main p, main li, main label, main legend, main th, main td, main button, main summary, main option, main dt, main dd, main a, title')];
            return blocks.map(b => { const c = b.cloneNode(true); c.querySelectorAll(data).forEach(d => d.remove()); return (b.matches(data) ? '' : c.textContent).replace(/\s+/g, ' ').trim(); })
                .filter(t => t.length > 0);
        }", DataSelector);

    [Fact]
    public async Task No_console_page_in_italian_shows_an_english_paragraph()
    {
        ConsoleBrowser.Require();
        var c = await SeedAsync("italian-pages");
        const string user = "revisore-italiano";
        await browser.CreateUserAsync(user, "una password di prova lunga", ConsoleRoles.SeniorModerator, ConsoleRoles.LegalOfficer, ConsoleRoles.PolicyAdmin,
            ConsoleRoles.Auditor, ConsoleRoles.Administrator);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(page, user, "una password di prova lunga");
        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", "it");
        await page.ClickAsync("#save-language");

        var english = EnglishOnly();
        var found = new List<string>();
        foreach (var url in new[] { "/", "/queues", $"/queues/{c.Queue}", $"/cases/{c.Id}", "/search?q=italian-pages", "/team", "/appeals", "/qa", "/designations", "/legal", "/audit", "/admin/users", "/account", "/notices", "/flaggers", "/report" })
        {
            await page.GotoAsync(url);
            foreach (var text in await BlocksAsync(page))
                if (EnglishText.LooksEnglish(text) || english.Contains(text)) found.Add($"{url}: {text}");
        }
        Assert.True(found.Count == 0, "English on Italian pages:\n" + string.Join("\n", found.Distinct()));
    }
}
