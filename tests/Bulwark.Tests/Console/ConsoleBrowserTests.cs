using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Security;
using Bulwark.Core.Signals.Entities;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bulwark.Tests.Console;

/// <summary>The moderator console in Debian's Chromium: sign-in per role, refusals, TOTP, lockout, languages, XSS, headers, designations.</summary>
public class ConsoleBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    public static TheoryData<string, string[]> HomeLinks => new()
    {
        { ConsoleRoles.Moderator, ["queues", "search", "appeals", "notices", "account"] },
        { ConsoleRoles.SeniorModerator, ["queues", "search", "team", "qa", "appeals", "notices", "authorities-referrals", "account"] },
        { ConsoleRoles.LegalOfficer, ["queues", "search", "appeals", "notices", "legal", "authorities", "authorities-referrals", "account"] },
        { ConsoleRoles.PolicyAdmin, ["routing", "notices", "flaggers", "designations", "entities", "research", "authorities", "reports", "exchanges", "account"] },
        { ConsoleRoles.Auditor, ["queues", "search", "team", "routing", "qa", "appeals", "notices", "flaggers", "designations", "entities", "research", "legal", "authorities", "authorities-referrals", "reports", "exchanges", "audit", "users", "account"] },
        { ConsoleRoles.Administrator, ["audit", "users", "account"] },
    };

    [Theory]
    [MemberData(nameof(HomeLinks))]
    public async Task Each_role_signs_in_and_lands_on_home_seeing_only_its_links(string role, string[] expected)
    {
        ConsoleBrowser.Require();
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, role);
        Assert.EndsWith("/", page.Url);
        Assert.Contains(ConsoleBrowser.UserName(role), await page.TextContentAsync("h1"));
        var links = await page.Locator("#home-links a").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.area)");
        Assert.Equal(expected, links);
        Assert.Equal([role], await page.Locator("#my-roles .tag").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.role)"));
        await ConsoleBrowser.ScreenshotAsync(page, $"home-{role}");
        foreach (var area in expected.Where(a => a != "account"))
        {
            var response = await page.GotoAsync(area switch { "users" => "/admin/users", "authorities-referrals" => "/authorities/referrals", _ => "/" + area });
            Assert.Equal(200, response!.Status);
            await ConsoleBrowser.ScreenshotAsync(page, $"{area}-as-{role}");
        }
    }

    [Fact]
    public async Task A_moderator_is_refused_the_legal_page_and_forged_posts_to_legal_and_admin_handlers()
    {
        ConsoleBrowser.Require();
        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.Moderator);
        var refused = await page.GotoAsync("/legal");
        Assert.Equal(403, refused!.Status);
        Assert.Equal("403", await page.GetAttributeAsync("#status", "data-status"));
        Assert.Contains("legal-officer", await page.TextContentAsync("#needed"));
        Assert.Contains(ConsoleBrowser.UserName(ConsoleRoles.Moderator), await page.TextContentAsync("#status"));
        await ConsoleBrowser.ScreenshotAsync(page, "refused-legal-as-moderator");

        // A valid antiforgery token from the moderator's own page makes the forged POSTs otherwise well-formed.
        await page.GotoAsync("/account");
        var token = await page.InputValueAsync("input[name=__RequestVerificationToken] >> nth=0");
        var hold = await PostFromPageAsync(page, "/legal/items/1?handler=Hold", ("__RequestVerificationToken", token), ("reference", "forged"), ("reason", "forged"));
        Assert.Equal(403, hold.Status);
        var create = await PostFromPageAsync(page, "/admin/users?handler=Create", ("__RequestVerificationToken", token), ("userName", "intruder"), ("password", "a long forged password"), ("roles", "administrator"));
        Assert.Equal(403, create.Status);
        await using (var scope = browser.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<Bulwark.Core.Security.Users.ConsoleUserService>().GetAsync("intruder", default));

        // An auditor reads the designations page but every change through it is refused.
        var auditor = await browser.NewPageAsync();
        await browser.LoginAsync(auditor, ConsoleRoles.Auditor);
        Assert.Equal(200, (await auditor.GotoAsync("/designations"))!.Status);
        Assert.Equal(0, await auditor.Locator("form.decide").CountAsync());
        await auditor.GotoAsync("/account");
        var auditorToken = await auditor.InputValueAsync("input[name=__RequestVerificationToken] >> nth=0");
        var approve = await PostFromPageAsync(auditor, "/designations?handler=Approve", ("__RequestVerificationToken", auditorToken), ("id", "1"), ("reason", "forged"));
        Assert.Equal(403, approve.Status);
    }

    [Fact]
    public async Task An_administrator_creates_a_user_changes_its_roles_and_locks_and_unlocks_it_through_the_page()
    {
        ConsoleBrowser.Require();
        var admin = await browser.NewPageAsync();
        admin.Dialog += (_, dialog) => dialog.AcceptAsync(); // the lock button asks for confirmation
        await browser.LoginAsync(admin, ConsoleRoles.Administrator);
        await admin.GotoAsync("/admin/users");

        // A password under the minimum is refused by name and nobody is created.
        await admin.FillAsync("#new-name", "page-made");
        await admin.FillAsync("#new-password", "short");
        await admin.CheckAsync("#create-user input[value='moderator']");
        await ConsoleBrowser.SubmitAsync(admin, "#create");
        Assert.Contains("12", await admin.TextContentAsync(".errors"));
        Assert.Equal(0, await admin.Locator("tr[data-user='page-made']").CountAsync());

        await admin.FillAsync("#new-name", "page-made");
        await admin.FillAsync("#new-password", "a page-made password 7");
        await admin.CheckAsync("#create-user input[value='moderator']");
        await ConsoleBrowser.SubmitAsync(admin, "#create");
        var row = admin.Locator("tr[data-user='page-made']");
        Assert.Equal(1, await row.CountAsync());
        await ConsoleBrowser.ScreenshotAsync(admin, "admin-users");

        var user = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(user, "page-made", "a page-made password 7");
        Assert.Equal(200, (await user.GotoAsync("/queues"))!.Status);
        Assert.Equal(403, (await user.GotoAsync("/audit"))!.Status);

        // Roles: moderator becomes auditor; the next sign-in carries the new roles.
        await row.Locator("input[name=roles][value='moderator']").UncheckAsync();
        await row.Locator("input[name=roles][value='auditor']").CheckAsync();
        await ConsoleBrowser.SubmitAsync(admin, "tr[data-user='page-made'] form[action*='handler=Roles'] button");
        await row.Locator("form[action*='handler=Disable'] button").ClickAsync();
        await admin.WaitForSelectorAsync("tr[data-user='page-made'] form[action*='handler=Enable']");

        var locked = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(locked, "page-made", "a page-made password 7");
        Assert.EndsWith("/login", new Uri(locked.Url).AbsolutePath);
        Assert.Equal(1, await locked.Locator(".errors").CountAsync());

        await ConsoleBrowser.SubmitAsync(admin, "tr[data-user='page-made'] form[action*='handler=Enable'] button");
        await ConsoleBrowser.LoginAsAsync(locked, "page-made", "a page-made password 7");
        Assert.Equal(200, (await locked.GotoAsync("/audit"))!.Status);

        await using var scope = browser.Services.CreateAsyncScope();
        await using var db = scope.ServiceProvider.GetRequiredService<Bulwark.Core.Storage.IBulwarkDbFactory>().Create();
        var actions = db.AuditEntries.Where(e => e.Subject == "console-user:page-made" && e.Action.StartsWith("console.user_")).OrderBy(e => e.Seq).Select(e => e.Action).ToList();
        Assert.Equal(["console.user_created", "console.user_roles_set", "console.user_disabled", "console.user_enabled"], actions);
    }

    [Fact]
    public async Task Totp_is_enabled_with_a_computed_code_and_then_asked_for_at_sign_in()
    {
        ConsoleBrowser.Require();
        await browser.CreateUserAsync("totp-user", "totp user password 1", ConsoleRoles.Moderator);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(page, "totp-user", "totp user password 1");
        await page.GotoAsync("/account/2fa");
        var key = (await page.GetAttributeAsync("#shared-key", "data-key"))!;
        Assert.StartsWith("otpauth://totp/Bulwark:totp-user?secret=" + key, await page.TextContentAsync("#otpauth-uri"));
        Assert.Equal("image/png", await page.EvaluateAsync<string>("async () => (await fetch('/account/2fa?handler=Qr')).headers.get('content-type')"));
        await ConsoleBrowser.ScreenshotAsync(page, "account-2fa-setup");
        await page.FillAsync("#code", "000000" == Totp(key) ? "111111" : "000000");
        await page.ClickAsync("#confirm-2fa");
        Assert.Contains("code is not valid", await page.TextContentAsync(".errors"));
        await page.FillAsync("#code", Totp(key));
        await page.ClickAsync("#confirm-2fa");
        Assert.Equal(10, await page.Locator("#recovery-codes li").CountAsync());
        var recovery = (await page.TextContentAsync("#recovery-codes li"))!.Trim();
        await page.ClickAsync("#logout");

        await ConsoleBrowser.LoginAsAsync(page, "totp-user", "totp user password 1");
        Assert.EndsWith("/login/2fa", page.Url);
        await ConsoleBrowser.ScreenshotAsync(page, "login-second-factor");
        await page.FillAsync("#code", Totp(key));
        await page.ClickAsync("#verify");
        Assert.Contains("totp-user", await page.TextContentAsync("h1"));

        // A recovery code instead of the app's code signs in once; the same code is refused the second time.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await page.ClickAsync("#logout");
            await ConsoleBrowser.LoginAsAsync(page, "totp-user", "totp user password 1");
            Assert.EndsWith("/login/2fa", page.Url);
            await page.FillAsync("#recovery", recovery);
            await ConsoleBrowser.SubmitAsync(page, "#verify");
            if (attempt == 1) Assert.Contains("totp-user", await page.TextContentAsync("h1"));
            else
            {
                Assert.EndsWith("/login/2fa", page.Url);
                Assert.Equal(1, await page.Locator(".errors").CountAsync());
            }
        }
        await page.FillAsync("#code", Totp(key));
        await ConsoleBrowser.SubmitAsync(page, "#verify");

        // Once on, the set-up page shows nothing of the key: it sends the user back to the account page.
        await page.GotoAsync("/account/2fa");
        Assert.EndsWith("/account", page.Url);
        Assert.Contains("already on", await page.TextContentAsync("main"));
        Assert.Equal(0, await page.Locator("#shared-key").CountAsync());
        Assert.Equal(404, await page.EvaluateAsync<int>("async () => (await fetch('/account/2fa?handler=Qr')).status"));

        // Turning it off asks for the password again.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.FillAsync("#disable-2fa-password", "not the password 123");
        await ConsoleBrowser.SubmitAsync(page, "#disable-2fa");
        Assert.Contains("password is not correct", await page.TextContentAsync(".errors"));
        await page.GotoAsync("/account");
        Assert.Equal(1, await page.Locator("#disable-2fa").CountAsync());
        await page.FillAsync("#disable-2fa-password", "totp user password 1");
        await ConsoleBrowser.SubmitAsync(page, "#disable-2fa");
        Assert.Equal(1, await page.Locator("#enable-2fa").CountAsync());
        await page.ClickAsync("#logout");
        await ConsoleBrowser.LoginAsAsync(page, "totp-user", "totp user password 1");
        Assert.Contains("totp-user", await page.TextContentAsync("h1"));
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_for_the_right_password()
    {
        ConsoleBrowser.Require();
        await browser.CreateUserAsync("lock-me", "the right password", ConsoleRoles.Auditor);
        var page = await browser.NewPageAsync();
        for (var i = 0; i < 4; i++)
        {
            await ConsoleBrowser.LoginAsAsync(page, "lock-me", "a wrong password " + i);
            Assert.Contains("Wrong user name or password", await page.TextContentAsync(".errors"));
        }
        await ConsoleBrowser.LoginAsAsync(page, "lock-me", "a wrong password 5");
        Assert.Contains("locked", await page.TextContentAsync(".errors"));
        await ConsoleBrowser.LoginAsAsync(page, "lock-me", "the right password");
        Assert.Contains("locked", await page.TextContentAsync(".errors"));
        Assert.EndsWith("/login", page.Url);
        await ConsoleBrowser.ScreenshotAsync(page, "login-locked-out");
    }

    [Fact]
    public async Task Switching_to_italian_changes_the_text_and_the_date_and_number_formats_and_is_kept_per_user()
    {
        ConsoleBrowser.Require();
        await browser.CreateUserAsync("italiano", "password italiana 1", ConsoleRoles.Moderator);
        var page = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(page, "italiano", "password italiana 1");
        await page.GotoAsync("/account");
        Assert.Equal("Account security", await page.TextContentAsync("h1"));
        Assert.Contains("1,234,567", await page.TextContentAsync("#now"));
        await page.SelectOptionAsync("#lang", "it");
        await page.ClickAsync("#save-language");
        Assert.Equal("Sicurezza dell'account", await page.TextContentAsync("h1"));
        var now = (await page.TextContentAsync("#now"))!;
        Assert.Contains("1.234.567", now);
        var month = DateTime.UtcNow.ToString("MMM", System.Globalization.CultureInfo.GetCultureInfo("it"));
        Assert.Contains(month, now);
        await ConsoleBrowser.ScreenshotAsync(page, "account-italian");

        // A new browser: the language comes back from the stored preference at sign-in.
        var other = await browser.NewPageAsync();
        await ConsoleBrowser.LoginAsAsync(other, "italiano", "password italiana 1");
        Assert.Contains("Accesso effettuato come italiano", await other.TextContentAsync("h1"));
        Assert.Equal("Esci", (await other.TextContentAsync("#logout"))!.Trim());
    }

    [Fact]
    public async Task Console_responses_carry_a_strict_csp_and_the_session_cookie_is_secure_httponly_and_strict()
    {
        ConsoleBrowser.Require();
        var page = await browser.NewPageAsync();
        var login = await page.GotoAsync("/login");
        var headers = await login!.AllHeadersAsync();
        var csp = headers["content-security-policy"];
        foreach (var part in (string[])["default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "script-src 'self'"])
            Assert.Contains(part, csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);

        // Chromium keeps a Secure cookie on http://127.0.0.1 (a secure context), so the Secure default works locally.
        await browser.LoginAsync(page, ConsoleRoles.Moderator);
        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "bulwark.console");
        Assert.True(session.Secure);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.True(session.Expires < 0, "a session cookie: it ends with the browser, and the ticket inside ends after the idle timeout");
        // The API keeps its API-key scheme: the console cookie alone opens nothing there.
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/api/v1/content/anything')).status"));
    }

    [Fact]
    public async Task Script_payloads_in_an_entity_are_shown_as_text_and_a_policy_admin_approves_a_designation_through_the_page()
    {
        ConsoleBrowser.Require();
        var registry = browser.Services.GetRequiredService<EntityRegistry>();
        const string payload = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";
        var hostile = await registry.CreateAsync(new EntityInput(EntityKinds.Organisation, "Test group " + payload, EntityTiers.HatefulOrganisation,
            Notes: "notes " + payload, Evidence: ["https://example.org/report?q=<script>alert(1)</script>"]), "test", default);
        var plain = await registry.CreateAsync(new EntityInput(EntityKinds.Organisation, "Invented Test Front", EntityTiers.ViolentExtremistOrganisation,
            Evidence: ["https://example.org/invented-evidence"]), "test", default);

        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.PolicyAdmin);
        await page.GotoAsync("/designations");
        Assert.Equal("Test group " + payload, await page.TextContentAsync($"[data-entity='{hostile.Id}'] .entity-name"));
        Assert.Equal("notes " + payload, await page.TextContentAsync($"[data-entity='{hostile.Id}'] .entity-notes"));
        Assert.Equal(0, await page.Locator($"[data-entity='{hostile.Id}'] script, [data-entity='{hostile.Id}'] img").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Equal("https://example.org/invented-evidence", await page.GetAttributeAsync($"[data-entity='{plain.Id}'] .evidence a", "href"));
        await ConsoleBrowser.ScreenshotAsync(page, "designations");

        var card = page.Locator($"[data-entity='{plain.Id}']");
        await card.Locator("textarea").FillAsync("Reviewed the invented evidence for this test.");
        await card.Locator("button.approve").ClickAsync();
        Assert.Contains("Approved entity", await page.TextContentAsync(".flash"));
        var approved = await registry.GetAsync(plain.Id, default);
        Assert.Equal(EntityStatuses.Approved, approved.Status);
        Assert.Equal(ConsoleBrowser.UserName(ConsoleRoles.PolicyAdmin), approved.StatusChangedBy);
        Assert.Equal("Reviewed the invented evidence for this test.", approved.StatusReason);

        // Approving again (a stale tab) is refused with the registry's own message, and nothing changes.
        var token = await page.InputValueAsync("input[name=__RequestVerificationToken] >> nth=0");
        var again = await PostFromPageAsync(page, "/designations?handler=Approve", ("__RequestVerificationToken", token), ("id", plain.Id.ToString()), ("reason", "again"));
        Assert.Equal(422, again.Status);
        Assert.Contains("is approved; it can only become approved from proposed", again.Text);
    }

    [Fact]
    public async Task A_policy_admin_reads_an_import_runs_diff_and_approves_its_proposed_entries_in_bulk()
    {
        ConsoleBrowser.Require();
        // An expert CSV list (SPLC's columns) of invented groups: entries arrive as proposed.
        var csv = "Title,City,State,Group,Ideology,Headquarters,Statewide,Year\n" +
                  "Invented Lantern Circle,,Nowhere,,Invented ideology,TRUE,FALSE,2026\n" +
                  "Invented Granite Watch,,Elsewhere,,Invented ideology,TRUE,FALSE,2026\n";
        var run = await browser.Services.GetRequiredService<ListImportService>().ImportAsync("expert-browser", new MemoryStream(Encoding.UTF8.GetBytes(csv)), "invented.csv",
            new ImportRequest(), "test", default);
        Assert.Equal(2, run.Added);

        var page = await browser.NewPageAsync();
        await browser.LoginAsync(page, ConsoleRoles.PolicyAdmin);
        await page.GotoAsync($"/designations/runs/{run.Id}");
        Assert.Equal(2, await page.Locator("#diff-added tbody tr").CountAsync());
        Assert.Contains("Invented Granite Watch", await page.TextContentAsync("#diff-added"));
        await ConsoleBrowser.ScreenshotAsync(page, "designations-import-run");

        await page.CheckAsync("#run-decide input[data-select-all]");
        Assert.Equal(2, await page.Locator("#run-decide input[name=ids]:checked").CountAsync());
        await page.FillAsync("#run-reason", "Synthetic: invented groups approved for the browser test.");
        await ConsoleBrowser.SubmitAsync(page, "#run-decide button[formaction*='handler=Approve']");
        var entities = (await browser.Services.GetRequiredService<EntityRegistry>().ListAsync(new EntityFilter(Source: "expert-browser"), 0, 10, default)).Entities;
        Assert.Equal(2, entities.Count);
        Assert.All(entities, e => Assert.Equal((EntityStatuses.Approved, ConsoleBrowser.UserName(ConsoleRoles.PolicyAdmin)), (e.Status, e.StatusChangedBy)));
        Assert.Equal(0, await page.Locator("#run-decide input[name=ids]").CountAsync()); // nothing left proposed from this run
    }

    private sealed record Posted(int Status, string Text);

    /// <summary>A form POST sent by the page itself (same origin, its cookies), as a tampered form or a script would; redirects are not followed (status 0).</summary>
    private static async Task<Posted> PostFromPageAsync(IPage page, string url, params (string Name, string Value)[] fields)
    {
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async ([url, fields]) => { const body = new URLSearchParams(); for (const [k, v] of fields) body.append(k, v); " +
            "const r = await fetch(url, { method: 'POST', body, redirect: 'manual' }); return { status: r.status, text: await r.text() }; }",
            new object[] { url, fields.Select(f => new[] { f.Name, f.Value }).ToArray() });
        return new Posted(result.GetProperty("status").GetInt32(), result.GetProperty("text").GetString() ?? "");
    }

    /// <summary>RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits) from a base32 key, computed independently of Identity.</summary>
    internal static string Totp(string base32Key, DateTimeOffset? at = null)
    {
        var key = Base32(base32Key);
        var step = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        var counter = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6");
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.Trim().TrimEnd('=').ToUpperInvariant())
        {
            value = (value << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
