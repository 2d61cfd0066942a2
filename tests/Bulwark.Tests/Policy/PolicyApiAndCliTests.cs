using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Policy;

/// <summary>The policy endpoints and the `rules`/`policies` commands as clients and users call them.</summary>
public class PolicyApiAndCliTests
{
    private const string GoodRule = "rule text-review {\n  policy VE-THREAT\n  when content.kind = \"text\"\n  then review \"all-text\"\n}\n";
    private const string BadRule = "rule broken {\n  policy VE-THREAT\n  when max classifier.threat.score\n  then review \"x\"\n}\n";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Policy_admins_change_rules_and_record_findings_and_others_are_refused(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        var reader = host.Client(await host.KeyAsync(Scopes.Read));
        var policyAdmin = host.Client(await host.KeyAsync(Scopes.PolicyAdmin));

        var catalogue = await reader.GetFromJsonAsync<JsonElement>("/api/v1/policies");
        Assert.Equal(["VE-THREAT", "VE-DOI", "VE-GLORIFY", "VE-INSTRUCT"], catalogue.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal("Il tuo contenuto è stato limitato perché minaccia o incita alla violenza contro le persone.",
            catalogue.GetProperty("policies")[0].GetProperty("explanation").GetProperty("it").GetString());

        var files = new { files = new[] { new { name = "bad.rules", text = BadRule } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/rules/activate", files)).StatusCode);
        var adminOnly = host.Client(await host.KeyAsync(Scopes.Admin));
        Assert.Equal(HttpStatusCode.Forbidden, (await adminOnly.PostAsJsonAsync("/api/v1/rules/activate", files)).StatusCode);
        var refused = await policyAdmin.PostAsJsonAsync("/api/v1/rules/activate", files);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:bulwark:problem:rules-invalid", problem.GetProperty("type").GetString());
        Assert.Equal("bad.rules:3:12: the 'when' condition must be true or false, but this is a number", problem.GetProperty("errors")[0].GetString());

        var validated = await (await policyAdmin.PostAsJsonAsync("/api/v1/rules/validate", new { files = new[] { new { name = "good.rules", text = GoodRule } } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(validated.GetProperty("valid").GetBoolean());
        var activated = await policyAdmin.PostAsJsonAsync("/api/v1/rules/activate", new { files = new[] { new { name = "good.rules", text = GoodRule } } });
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        var info = await reader.GetFromJsonAsync<JsonElement>("/api/v1/rules");
        Assert.Equal((1, validated.GetProperty("hash").GetString()), (info.GetProperty("rules").GetInt32(), info.GetProperty("hash").GetString()));

        var badFinding = await policyAdmin.PostAsJsonAsync("/api/v1/accounts/acct-9/offplatform-findings", new { source = "partner", evidenceUrl = "not a url" });
        Assert.Equal(HttpStatusCode.BadRequest, badFinding.StatusCode);
        var errors = (await badFinding.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("description", out _) && errors.TryGetProperty("evidenceUrl", out _));
        var finding = await policyAdmin.PostAsJsonAsync("/api/v1/accounts/acct-9/offplatform-findings",
            new { source = "partner", description = "Recruitment posts elsewhere", evidenceUrl = "https://example.org/e/1", linkedEntity = "entity-3" });
        Assert.Equal(HttpStatusCode.Created, finding.StatusCode);
        var state = await reader.GetFromJsonAsync<JsonElement>("/api/v1/accounts/acct-9/enforcement");
        Assert.Equal("entity-3", state.GetProperty("findings")[0].GetProperty("linkedEntity").GetString());
    }

    [Fact]
    public async Task Rules_validate_activate_backtest_and_policies_list_from_the_command_line()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(db, "db", "migrate")).ExitCode);
        var bad = Directory.CreateDirectory(Path.Combine(db.Directory, "bad")).FullName;
        await File.WriteAllTextAsync(Path.Combine(bad, "a.rules"), BadRule);
        await File.WriteAllTextAsync(Path.Combine(bad, "b.rules"), GoodRule.Replace("VE-THREAT", "VE-NOPE"));
        var validate = await CliRunner.RunAsync(db, "rules", "validate", bad);
        Assert.Equal(1, validate.ExitCode);
        Assert.Equal(
        [
            "a.rules:3:12: the 'when' condition must be true or false, but this is a number",
            "b.rules:2:10: unknown policy 'VE-NOPE' (the catalogue has VE-THREAT, VE-DOI, VE-GLORIFY, VE-INSTRUCT; or 'none' for a rule that only routes to review)",
            "2 error(s).",
        ], validate.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, (await CliRunner.RunAsync(db, "rules", "activate", bad)).ExitCode);

        // The shipped rules are copied beside the binaries as a starting point.
        var shipped = Path.Combine(AppContext.BaseDirectory, "policy", "rules");
        var ok = await CliRunner.RunAsync(db, "rules", "validate", shipped);
        Assert.True(ok.ExitCode == 0, ok.Err);
        Assert.StartsWith("OK: ", ok.Out);

        var good = Directory.CreateDirectory(Path.Combine(db.Directory, "good")).FullName;
        await File.WriteAllTextAsync(Path.Combine(good, "a.rules"), GoodRule);
        var backtest = await CliRunner.RunAsync(db, "rules", "backtest", good, "--since", "2020-01-01");
        Assert.True(backtest.ExitCode == 0, backtest.Err);
        Assert.Contains("0 of 0 decision(s)", backtest.Out);
        Assert.Equal(1, (await CliRunner.RunAsync(db, "rules", "backtest", good, "--since", "last tuesday")).ExitCode);
        var activate = await CliRunner.RunAsync(db, "rules", "activate", good);
        Assert.True(activate.ExitCode == 0, activate.Err);
        Assert.StartsWith("Activated rule set ", activate.Out);
        var exported = Path.Combine(db.Directory, "exported");
        Assert.Equal(0, (await CliRunner.RunAsync(db, "rules", "export", exported)).ExitCode);
        Assert.Equal(GoodRule, await File.ReadAllTextAsync(Path.Combine(exported, "a.rules")));

        var list = await CliRunner.RunAsync(db, "policies", "list");
        Assert.Equal(0, list.ExitCode);
        var rows = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("VE-THREAT,STATEMENT_CATEGORY_VIOLENCE,KEYWORD_INCITEMENT_VIOLENCE_HATRED,2(7)(e) 2(7)(a),remove,strike,2,true,threat-to-life,Threats and incitement to violence", rows[2]);
        Assert.Equal(6, rows.Length);
    }
}
