using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Records;

public class StatementApiTests
{
    [Fact]
    public async Task A_recorded_statement_is_read_and_its_notice_rendered_in_the_users_language()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        await using (var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
        {
            host.Services.GetRequiredService<StatementOfReasonsService>().Record(db, SorFixtures.Input("api-1"));
            await db.SaveChangesAsync();
        }
        using var reader = host.Client(await host.KeyAsync(Scopes.Read));

        var record = await reader.GetFromJsonAsync<JsonElement>("/api/v1/statements/api-1");
        Assert.Equal(("api-1", "pending", 0), (record.GetProperty("puid").GetString(), record.GetProperty("submissionStatus").GetString(), record.GetProperty("validationErrors").GetArrayLength()));
        Assert.Equal("DECISION_GROUND_INCOMPATIBLE_CONTENT", record.GetProperty("statement").GetProperty("decision_ground").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/v1/statements/nope")).StatusCode);

        var body = new { language = "it-IT", policyName = "Estremismo violento", policyExplanation = "Non è consentito glorificare attacchi.", appealUrl = "https://platform.example/appeals/api-1", appealDeadline = "2026-07-15" };
        var notice = await (await reader.PostAsJsonAsync("/api/v1/statements/api-1/notice", body)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("it", notice.GetProperty("language").GetString());
        Assert.Contains("il tuo contenuto è stato rimosso", notice.GetProperty("text").GetString());

        var bad = await reader.PostAsJsonAsync("/api/v1/statements/api-1/notice", new { language = "en", appealUrl = "javascript:alert(1)" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["policyName", "policyExplanation", "appealUrl", "appealDeadline"], errors.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_notice_fills_the_policy_and_appeal_deadline_from_the_catalogue_and_settings_when_omitted()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:Appeals:NoticeAppealUrl"] = "https://platform.example/appeals" });
        await Bulwark.Tests.Appeals.EnforcementScenario.UploadAsync(host.Services, "n-1", "acct-n", Bulwark.Tests.Appeals.EnforcementScenario.Instruction, "instruction clip");
        await host.WaitForStatusAsync("n-1");
        DecisionRowInfo decision;
        await using (var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
            decision = db.Decisions.Where(d => d.ContentId == "n-1").Select(d => new DecisionRowInfo(d.Id, d.DecidedAt)).Single();
        using var reader = host.Client(await host.KeyAsync(Scopes.Read));
        var deadline = DateOnly.FromDateTime(decision.DecidedAt.AddMonths(6).UtcDateTime);

        var italian = await reader.PostAsJsonAsync($"/api/v1/statements/bulwark-d{decision.Id}/notice", new { language = "it" });
        Assert.Equal(HttpStatusCode.OK, italian.StatusCode);
        var text = (await italian.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString()!;
        Assert.Contains("Istruzioni per reati di terrorismo: Il tuo contenuto è stato limitato perché fornisce istruzioni", text);
        Assert.Contains("https://platform.example/appeals", text);
        Assert.Contains(deadline.ToString("D", System.Globalization.CultureInfo.GetCultureInfo("it-IT")), text);

        var english = await (await reader.PostAsJsonAsync($"/api/v1/statements/bulwark-d{decision.Id}/notice", new { language = "en", appealUrl = "https://other.example/a" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var en = english.GetProperty("text").GetString()!;
        Assert.Contains("Instructions for terrorist offences: Your content was restricted because it gives instructions", en);
        Assert.Contains("https://other.example/a", en);
        Assert.DoesNotContain("https://platform.example/appeals", en);
    }

    private sealed record DecisionRowInfo(long Id, DateTimeOffset DecidedAt);
}
