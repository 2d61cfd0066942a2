using Bulwark.Core.Security;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Console;

/// <summary>The exchanges page: policy admins and auditors see it, moderators do not; with no partner configured it says so.</summary>
public class ExchangesBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task Policy_admins_see_the_exchanges_page_and_moderators_are_refused()
    {
        var admin = await browser.NewPageAsync();
        await browser.LoginAsync(admin, ConsoleRoles.PolicyAdmin);
        var shown = await admin.GotoAsync("/exchanges");
        Assert.Equal(200, shown!.Status);
        Assert.Equal("Exchanges", (await admin.InnerTextAsync("h1")).Trim());
        Assert.Contains("No partner is configured", await admin.InnerTextAsync("main"));
        Assert.Equal(1, await admin.Locator("#exchanges").CountAsync());
        Assert.Equal(1, await admin.Locator("#feedback").CountAsync());

        var moderator = await browser.NewPageAsync();
        await browser.LoginAsync(moderator, ConsoleRoles.Moderator);
        Assert.Equal(403, (await moderator.GotoAsync("/exchanges"))!.Status);
    }
}
