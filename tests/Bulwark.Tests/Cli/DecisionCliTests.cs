using System.Net;
using System.Net.Http.Json;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Cli;

/// <summary><c>bulwark decisions confirm</c>, run as an operator would against a running server's database.</summary>
public class DecisionCliTests
{
    [Fact]
    public async Task A_person_confirms_a_decision_from_the_cli_once_and_sees_every_action_it_sent()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        // An account linked off-platform to a designated organisation posts: the shipped rules send it to a person.
        Assert.Equal(HttpStatusCode.Created, (await host.Admin.PostAsJsonAsync("/api/v1/accounts/acct-cli/offplatform-findings",
            new { source = "partner", description = "Recruits for Synthetic Front", linkedEntity = "entity-1" })).StatusCode);
        var posted = await host.Admin.PostAsJsonAsync("/api/v1/content",
            new { id = "cli-1", kind = "text", text = "join us", language = "en", account = new { id = "acct-cli", handle = "@cli.user" } });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var decided = await host.WaitForStatusAsync("cli-1");
        var id = decided.GetProperty("decision").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var process = await CliRunner.RunAsync(host.Database, "decisions", "confirm", id, "--by", "pipeline", "--violation", "support");
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("names a process, not a person", process.Err);

        // Measures are named explicitly: without them nothing is confirmed.
        var unnamed = await CliRunner.RunAsync(host.Database, "decisions", "confirm", id, "--by", "Ada Reviewer", "--violation", "support");
        Assert.Equal(1, unnamed.ExitCode);
        Assert.Contains("name the measures to take", unnamed.Err);
        // The preview says what zero tolerance causes and records nothing.
        var preview = await CliRunner.RunAsync(host.Database, "decisions", "confirm", id, "--by", "Ada Reviewer", "--violation", "support", "--preview");
        Assert.Equal(0, preview.ExitCode);
        Assert.Contains("account.ban account acct-cli (VE-DOI)", preview.Out);
        Assert.Contains("zero tolerance", preview.Out);

        // An off-platform account case: the account is banned, the innocent post is left alone (no content measure named).
        var confirmed = await CliRunner.RunAsync(host.Database, "decisions", "confirm", id, "--by", "Ada Reviewer", "--violation", "support", "--account", "account.ban", "--reason", "checked the finding");
        Assert.Equal(0, confirmed.ExitCode);
        Assert.Contains($"Decision {id} confirmed by Ada Reviewer", confirmed.Out);
        Assert.Contains("account.ban account acct-cli (VE-DOI)", confirmed.Out);
        Assert.DoesNotContain("content.remove", confirmed.Out);

        var again = await CliRunner.RunAsync(host.Database, "decisions", "confirm", id, "--by", "Ada Reviewer", "--no-measures");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"Decision {id} is already confirmed.", again.Err);
        var unknown = await CliRunner.RunAsync(host.Database, "decisions", "confirm", "999999", "--by", "Ada Reviewer", "--no-measures");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no decision 999999.", unknown.Err);
    }
}
