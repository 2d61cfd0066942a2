using System.Collections;
using System.Globalization;
using System.Resources;
using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Ingest;
using Bulwark.Core.Security;
using Bulwark.Server;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bulwark.Tests.Authorities;

/// <summary>
/// The Authorities area in Debian's Chromium: a legal officer receives a removal order in the console and sees it executed
/// with its Annex II feedback, files Annex III for a second one; policy admins keep the registry; the pages in Italian.
/// </summary>
public class AuthoritiesConsoleBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private T Get<T>() where T : notnull => browser.Services.GetRequiredService<T>();

    private async Task SeedAsync()
    {
        if (await Get<AuthorityRegistry>().GetAsync("example-it", default) is null)
            await Get<AuthorityRegistry>().SaveAsync(new AuthorityInput("example-it", "EXAMPLE: fictional Italian authority", "IT",
                [Competences.RemovalOrders, Competences.Referrals], Channels.Manual, "example only", Example: true), "policy-admin", default);
        foreach (var id in new[] { "console-order-1", "console-order-2" })
            await Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = id, Kind = "text", Text = "synthetic post named by a test order" }, null, default);
    }

    private static async Task ReceiveAsync(IPage page, string reference, string items)
    {
        await page.GotoAsync("/authorities/orders/new");
        await page.FillAsync("#reference", reference);
        await page.SelectOptionAsync("#authority", "example-it");
        await page.FillAsync("#memberState", "IT");
        await page.FillAsync("#issuedAt", "2026-01-15T08:30");
        await page.SelectOptionAsync("#ground", "incitement");
        await page.FillAsync("#reasons", "Synthetic: the post glorifies a fictional attack.");
        await page.FillAsync("#items", items);
        await ConsoleBrowser.SubmitAsync(page, "#receive");
    }

    [Fact]
    public async Task A_legal_officer_receives_an_order_sees_it_executed_with_Annex_II_and_files_Annex_III_for_a_second()
    {
        ConsoleBrowser.Require();
        await SeedAsync();
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.LegalOfficer);

        await ReceiveAsync(page, "IT-CONSOLE-1", "console-order-1");
        Assert.Matches("/authorities/orders/\\d+$", page.Url);
        Assert.Equal("executed", await page.GetAttributeAsync("#order-status", "data-status"));
        Assert.Equal("executed", await page.GetAttributeAsync("#items tbody tr", "data-status"));
        Assert.NotNull(await page.QuerySelectorAsync("#executed"));
        await ConsoleBrowser.ScreenshotAsync(page, "authorities-order-executed");
        await page.ClickAsync("#annex-ii-link");
        Assert.Contains("IT-CONSOLE-1", await page.TextContentAsync("#form-fields"));
        await ConsoleBrowser.ScreenshotAsync(page, "authorities-annex-ii");

        await ReceiveAsync(page, "IT-CONSOLE-2", "https://elsewhere.example/not-ours/7");
        Assert.Equal("received", await page.GetAttributeAsync("#order-status", "data-status"));
        await page.SelectOptionAsync("#impossible-ground", "insufficient_information");
        await page.FillAsync("#impossible-reasons", "Synthetic: the URL names another service.");
        await ConsoleBrowser.SubmitAsync(page, "#file-annex-iii");
        Assert.Equal("not_executed", await page.GetAttributeAsync("#order-status", "data-status"));
        await page.ClickAsync("#annex-iii-link");
        Assert.Contains("insufficient_information", await page.TextContentAsync("#form-fields"));

        // A second order with a reference already received is refused on the form, naming it; nothing runs twice.
        await ReceiveAsync(page, "IT-CONSOLE-1", "console-order-2");
        Assert.Contains("already received", await page.TextContentAsync(".errors"));
        await page.GotoAsync("/authorities");
        // This test's two orders (the class's other test shares the server and may have received its own first).
        Assert.Equal(2, await page.Locator("#orders tbody tr", new() { HasTextString = "IT-CONSOLE-" }).CountAsync());
        await ConsoleBrowser.ScreenshotAsync(page, "authorities-orders");

        // Only policy admins change the registry: the legal officer sees no form, and a forged post is refused.
        await page.GotoAsync("/authorities/registry");
        Assert.Null(await page.QuerySelectorAsync("#registry-form"));
        var admin = await browser.NewPageAsync();
        await browser.LoginAsync(admin, ConsoleRoles.PolicyAdmin);
        await admin.GotoAsync("/authorities/registry");
        await admin.FillAsync("#id", "example-fr");
        await admin.FillAsync("#name", "EXAMPLE: fictional French authority");
        await admin.FillAsync("#memberState", "FR");
        await admin.CheckAsync("input[name=competences][value=referrals]");
        await admin.SelectOptionAsync("#channel", "manual");
        await ConsoleBrowser.SubmitAsync(admin, "#save-authority");
        Assert.NotNull(await admin.QuerySelectorAsync("tr[data-authority=example-fr]"));
        Assert.NotNull(await admin.QuerySelectorAsync("tr[data-authority=europol]"));
        await ConsoleBrowser.ScreenshotAsync(admin, "authorities-registry");
    }

    [Fact]
    public async Task The_authorities_pages_in_italian_show_no_english_interface_text()
    {
        ConsoleBrowser.Require();
        await SeedAsync();
        const string user = "legale-italiano";
        await browser.CreateUserAsync(user, "una password di prova lunga", ConsoleRoles.LegalOfficer, ConsoleRoles.PolicyAdmin);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(page, user, "una password di prova lunga");
        await page.GotoAsync("/account");
        await page.SelectOptionAsync("#lang", "it");
        await page.ClickAsync("#save-language");
        await ReceiveAsync(page, "IT-ITALIANO-1", "console-order-2");
        var order = page.Url;

        var english = new HashSet<string>(StringComparer.Ordinal);
        var manager = new ResourceManager("Bulwark.Server.Resources.AuthoritiesText", typeof(AuthoritiesText).Assembly);
        foreach (DictionaryEntry e in manager.GetResourceSet(CultureInfo.InvariantCulture, true, false)!)
        {
            var en = (string)e.Value!;
            if (en != manager.GetString((string)e.Key, CultureInfo.GetCultureInfo("it")) && !en.Contains('{') && en.Count(char.IsLetter) >= 4) english.Add(en);
        }
        const string data = ".user-text, .mono, .explanation, .tag, code, pre";
        var found = new List<string>();
        foreach (var url in new[] { "/authorities", "/authorities/orders/new", order, "/authorities/registry" })
        {
            await page.GotoAsync(url);
            var blocks = await page.EvaluateAsync<string[]>(
                @"(data) => [...document.querySelectorAll('main h1, main h2, main p, main label, main legend, main th, main td, main button, main option, main a, title')]
                    .map(b => { const c = b.cloneNode(true); c.querySelectorAll(data).forEach(d => d.remove()); return (b.matches(data) ? '' : c.textContent).replace(/\s+/g, ' ').trim(); })
                    .filter(t => t.length > 0)", data);
            foreach (var text in blocks)
                if (EnglishText.LooksEnglish(text) || english.Contains(text)) found.Add($"{url}: {text}");
        }
        await ConsoleBrowser.ScreenshotAsync(page, "authorities-order-it");
        Assert.True(found.Count == 0, "English on Italian pages:\n" + string.Join("\n", found.Distinct()));
    }
}
