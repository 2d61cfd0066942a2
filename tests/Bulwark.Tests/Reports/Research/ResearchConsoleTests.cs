using System.Net;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Reports.Research;

/// <summary>The application form (anonymous), a policy admin narrowing it and adding a member, and the public register, in Chromium.</summary>
public class ResearchConsoleTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_researcher_applies_a_policy_admin_narrows_and_adds_a_member_and_the_project_is_listed_publicly()
    {
        ConsoleBrowser.Require();
        await ApplyNarrowAddAndListAsync(browser);
    }

    internal static async Task ApplyNarrowAddAndListAsync(ConsoleBrowser browser)
    {
        var title = "Browser study " + Guid.NewGuid().ToString("N")[..8];
        var applicant = await browser.NewPageAsync();
        var form = await applicant.GotoAsync("/research/apply");
        Assert.Equal(200, form!.Status);
        await applicant.FillAsync("#Title", title);
        await applicant.FillAsync("#Organisation", "Example Institute (fictional)");
        await applicant.FillAsync("#ApplicantName", "Ada Example");
        await applicant.FillAsync("#ApplicantEmail", "ada@example.invalid");
        await applicant.FillAsync("#IndependenceDeclaration", "No commercial interests.");
        await applicant.FillAsync("#Funding", "A public grant.");
        await applicant.FillAsync("#Description", "How moderation outcomes vary by region.");
        await applicant.FillAsync("#Safeguards", "A secured workstation.");
        await applicant.FillAsync("#PublicSummary", "We study moderation of public content: " + title);
        await applicant.FillAsync("#Start", "2026-01-01");
        await applicant.FillAsync("#End", "2027-12-31");
        foreach (var f in new[] { "content:id", "content:region_code", "content:text", "moderation_decisions:outcome" })
            await applicant.CheckAsync($"input[value='{f}']");
        await ConsoleBrowser.ScreenshotAsync(applicant, "research-apply");
        await ConsoleBrowser.SubmitAsync(applicant, "form.research-apply button[type=submit]");
        Assert.Contains("received", await applicant.TextContentAsync("#filed"));

        var admin = await browser.NewPageAsync();
        await browser.LoginAsync(admin, ConsoleRoles.PolicyAdmin);
        // A console session is no research credential: the researcher API refuses the signed-in admin's cookie.
        var withSession = await admin.Context.APIRequest.PostAsync("/research/v1/content/query", new()
        {
            DataObject = new { start_date = "20260301", end_date = "20260305" },
        });
        Assert.Equal(401, withSession.Status);
        Assert.Equal("access_token_invalid", (await withSession.JsonAsync())!.Value.GetProperty("error").GetProperty("code").GetString());
        await admin.GotoAsync("/research");
        var card = admin.Locator("article.research-application", new() { HasText = title });
        await card.Locator("input[value='content:text']").UncheckAsync();
        await card.Locator("textarea[name=reason]").FillAsync("Text is not needed for the stated question.");
        await ConsoleBrowser.ScreenshotAsync(admin, "research-admin");
        await ConsoleBrowser.SubmitAsync(admin, $"article.research-application:has-text('{title}') button.narrow");
        Assert.Equal(0, await admin.Locator("article.research-application", new() { HasText = title }).CountAsync());
        var row = admin.Locator("#research-projects tr", new() { HasText = title });
        Assert.Contains("narrowed", await row.TextContentAsync());

        await row.Locator("input[name=name]").FillAsync("Ada Example");
        await ConsoleBrowser.SubmitAsync(admin, $"#research-projects tr:has-text('{title}') button[type=submit]");
        var clientId = (await admin.TextContentAsync("#member-created .client-id"))!;
        var secret = (await admin.TextContentAsync("#member-created .client-secret"))!;
        using var http = new HttpClient { BaseAddress = new Uri(browser.BaseUrl) };
        var token = await http.PostAsync("/research/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);

        var register = await browser.NewPageAsync();
        await register.GotoAsync("/research/projects");
        var listed = register.Locator("article.research-project", new() { HasText = title });
        Assert.Equal(1, await listed.CountAsync());
        Assert.DoesNotContain("ada@example.invalid", await register.ContentAsync());
        await ConsoleBrowser.ScreenshotAsync(register, "research-projects");

        // A moderator may not see the research administration.
        var moderator = await browser.NewPageAsync();
        await browser.LoginAsync(moderator, ConsoleRoles.Moderator);
        Assert.Equal(403, (await moderator.GotoAsync("/research"))!.Status);
    }
}

/// <summary>The same flow on PostgreSQL (issue 21: every rule on both providers).</summary>
public class ResearchConsolePostgresTests(PostgresConsoleBrowser browser) : IClassFixture<PostgresConsoleBrowser>
{
    [Fact]
    public async Task A_researcher_applies_a_policy_admin_narrows_and_adds_a_member_and_the_project_is_listed_publicly_on_postgres()
    {
        ConsoleBrowser.Require();
        TestDatabase.RequirePostgres();
        Assert.Equal(DatabaseProvider.Postgres, browser.Database.Provider);
        await ResearchConsoleTests.ApplyNarrowAddAndListAsync(browser);
    }
}
