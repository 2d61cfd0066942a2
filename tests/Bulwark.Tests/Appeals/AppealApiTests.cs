using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Appeals;

/// <summary>The appeal endpoints on the real server: scopes, problem types, the decider taken from the key's name.</summary>
public class AppealApiTests
{
    [Fact]
    public async Task An_appeal_is_submitted_listed_and_reversed_through_the_API_with_clear_refusals()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        await UploadAsync(host.Services, "api-i1", "acct-api", Instruction, "instruction clip over the API");
        var decided = await host.WaitForStatusAsync("api-i1");
        Assert.Equal("remove", decided.GetProperty("decision").GetProperty("outcome").GetString());

        var platform = host.Client(await host.KeyAsync(Scopes.Ingest));
        var reader = host.Client(await host.KeyAsync(Scopes.Read, Scopes.Admin));
        var decider = host.Client(await host.KeyAsync(Scopes.AppealsDecide));

        var missing = await platform.PostAsJsonAsync("/api/v1/appeals", new { contentId = "api-i1" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await Json(missing)).GetProperty("errors").TryGetProperty("reason", out _));
        var unknownField = await platform.PostAsJsonAsync("/api/v1/appeals", new { contentId = "api-i1", reason = "x", extra = 1 });
        Assert.Equal("urn:bulwark:problem:malformed-json", (await Json(unknownField)).GetProperty("type").GetString());
        var unknown = await platform.PostAsJsonAsync("/api/v1/appeals", new { decisionId = 4242, reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var created = await platform.PostAsJsonAsync("/api/v1/appeals", new { contentId = "api-i1", reason = "It is a chemistry lesson." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var appealId = (await Json(created)).GetProperty("id").GetInt64();
        var duplicate = await platform.PostAsJsonAsync("/api/v1/appeals", new { contentId = "api-i1", reason = "again" });
        Assert.Equal((HttpStatusCode.Conflict, "urn:bulwark:problem:appeal-duplicate"), (duplicate.StatusCode, (await Json(duplicate)).GetProperty("type").GetString()));

        // Neither read nor admin may see or decide appeals; the integration key may not decide them either.
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/appeals?status=open")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.PostAsJsonAsync($"/api/v1/appeals/{appealId}/decision", new { outcome = "reversed", statement = "s" })).StatusCode);

        var open = await Json(await decider.GetAsync("/api/v1/appeals?status=open"));
        Assert.Equal(appealId, open.GetProperty("items")[0].GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await decider.GetAsync("/api/v1/appeals?status=closed")).StatusCode);

        // No decidedBy: the key itself (apikey:{id}) is the decider.
        var decision = await decider.PostAsJsonAsync($"/api/v1/appeals/{appealId}/decision", new { outcome = "reversed", statement = "Educational context; restored." });
        Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
        var body = await Json(decision);
        Assert.Equal("reversed", body.GetProperty("outcome").GetString());
        Assert.StartsWith("apikey:", body.GetProperty("decidedBy").GetString());
        var again = await decider.PostAsJsonAsync($"/api/v1/appeals/{appealId}/decision", new { outcome = "upheld", statement = "s" });
        Assert.Equal("urn:bulwark:problem:appeal-already-decided", (await Json(again)).GetProperty("type").GetString());
        Assert.Equal(0, (await Json(await decider.GetAsync("/api/v1/appeals?status=open"))).GetProperty("items").GetArrayLength());
        Assert.Equal("decided", (await Json(await decider.GetAsync($"/api/v1/appeals/{appealId}"))).GetProperty("status").GetString());

        var stats = await Json(await reader.GetAsync("/api/v1/appeals/statistics"));
        Assert.Equal((1, 1, 0), (stats.GetProperty("received").GetInt32(), stats.GetProperty("reversed").GetInt32(), stats.GetProperty("upheld").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync("/api/v1/appeals/statistics?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z")).StatusCode);

        await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        Assert.Equal(["content.restore", "strike.remove", "account.reinstate"],
            await db.Set<ActionRow>().Where(a => a.IdempotencyKey.StartsWith($"appeal{appealId}:")).OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync());
    }

    [Fact]
    public async Task The_key_that_confirmed_a_decision_cannot_decide_its_appeal_and_no_key_can_decide_as_a_named_person()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var keys = host.Services.GetRequiredService<ApiKeyService>();
        var platform = host.Client(await host.KeyAsync(Scopes.Ingest));
        // One key both confirms decisions (admin) and decides appeals; a second one only decides appeals. Both work appeals as
        // senior moderators: the decision is routed to account-ban, which moderators do not work.
        var (both, bothKey) = await keys.CreateAsync("analyst-ana", [Scopes.PolicyAdmin, Scopes.AccountsRestrict, Scopes.AppealsDecide, Scopes.AppealsSenior, Scopes.Read], "test", default);
        var confirmer = host.Client(bothKey);
        var (other, otherKey) = await keys.CreateAsync("appeals-bo", [Scopes.AppealsDecide, Scopes.AppealsSenior], "test", default);
        var officer = host.Client(otherKey);

        Assert.Equal(HttpStatusCode.Created, (await host.Admin.PostAsJsonAsync("/api/v1/accounts/acct-indep/offplatform-findings",
            new { source = "partner", description = "Recruits for Synthetic Front", linkedEntity = "entity-1" })).StatusCode);
        Assert.True((await platform.PostAsJsonAsync("/api/v1/content",
            new { id = "indep-1", kind = "text", text = "join us", language = "en", account = new { id = "acct-indep" } })).IsSuccessStatusCode);
        var decisionId = (await host.WaitForStatusAsync("indep-1")).GetProperty("decision").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await confirmer.PostAsJsonAsync($"/api/v1/decisions/{decisionId}/confirm", new { violation = "support", reason = "checked", content = new[] { "content.remove" }, account = new[] { "account.ban" } })).StatusCode);
        var appeal = await platform.PostAsJsonAsync("/api/v1/appeals", new { decisionId, reason = "I was quoting them." });
        Assert.Equal(HttpStatusCode.Created, appeal.StatusCode);
        var appealId = (await Json(appeal)).GetProperty("id").GetInt64();
        var url = $"/api/v1/appeals/{appealId}/decision";

        // Another name in decidedBy does not make the confirming key someone else.
        var renamed = await confirmer.PostAsJsonAsync(url, new { outcome = "upheld", statement = "Stands.", decidedBy = "reviewer-carla" });
        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.True((await Json(renamed)).GetProperty("errors").TryGetProperty("decidedBy", out _));
        var itself = await confirmer.PostAsJsonAsync(url, new { outcome = "upheld", statement = "Stands." });
        Assert.Equal((HttpStatusCode.Conflict, "urn:bulwark:problem:appeal-decider-conflict"), (itself.StatusCode, (await Json(itself)).GetProperty("type").GetString()));
        var byName = await confirmer.PostAsJsonAsync(url, new { outcome = "upheld", statement = "Stands.", decidedBy = "analyst-ana" });
        Assert.Equal(HttpStatusCode.Conflict, byName.StatusCode);

        // The other key cannot decide as the confirming key, nor as a console user.
        foreach (var impersonated in new[] { $"apikey:{both.Id}", "test-moderator" })
        {
            var forged = await officer.PostAsJsonAsync(url, new { outcome = "upheld", statement = "Stands.", decidedBy = impersonated });
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        var decided = await officer.PostAsJsonAsync(url, new { outcome = "upheld", statement = "Stands." });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal($"apikey:{other.Id}", (await Json(decided)).GetProperty("decidedBy").GetString());
    }

    /// <summary>
    /// Role checks follow the appealed decision for keys as they do in the console: an appeal of a decision routed to
    /// threat-to-life (worked by senior moderators and legal officers) is hidden from, and refused to, a key that works appeals
    /// as a moderator; a key with <c>appeals:senior</c> reads and decides it.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_key_works_an_appeal_of_a_threat_to_life_decision_only_with_the_senior_scope(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        var platform = host.Client(await host.KeyAsync(Scopes.Ingest));
        var moderatorKey = host.Client(await host.KeyAsync(Scopes.AppealsDecide));
        var seniorKey = host.Client(await host.KeyAsync(Scopes.AppealsDecide, Scopes.AppealsSenior));

        Assert.Equal(HttpStatusCode.Created, (await host.Admin.PostAsJsonAsync("/api/v1/accounts/acct-ttl/offplatform-findings",
            new { source = "partner", description = "Recruits for Synthetic Front", linkedEntity = "entity-1" })).StatusCode);
        Assert.True((await platform.PostAsJsonAsync("/api/v1/content",
            new { id = "ttl-1", kind = "text", text = "join us", language = "en", account = new { id = "acct-ttl" } })).IsSuccessStatusCode);
        var decisionId = (await host.WaitForStatusAsync("ttl-1")).GetProperty("decision").GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PostAsJsonAsync($"/api/v1/decisions/{decisionId}/confirm",
            new { violation = "support", reason = "checked", content = new[] { "content.remove" }, account = new[] { "account.ban" } })).StatusCode);
        await using (var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
        {
            // As if the rules had routed it to the threat-to-life queue.
            var decision = await db.Decisions.SingleAsync(d => d.Id == decisionId);
            decision.Queue = "threat-to-life";
            await db.SaveChangesAsync();
        }
        var appeal = await platform.PostAsJsonAsync("/api/v1/appeals", new { decisionId, reason = "It was a line from a film." });
        Assert.Equal(HttpStatusCode.Created, appeal.StatusCode);
        var appealId = (await Json(appeal)).GetProperty("id").GetInt64();

        var hidden = await moderatorKey.GetAsync($"/api/v1/appeals/{appealId}");
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        Assert.Contains("threat-to-life", (await Json(hidden)).GetProperty("detail").GetString());
        Assert.Equal(0, (await Json(await moderatorKey.GetAsync("/api/v1/appeals?status=open"))).GetProperty("items").GetArrayLength());
        var refused = await moderatorKey.PostAsJsonAsync($"/api/v1/appeals/{appealId}/decision", new { outcome = "reversed", statement = "A film quote." });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("open", (await Json(await seniorKey.GetAsync($"/api/v1/appeals/{appealId}"))).GetProperty("status").GetString());

        Assert.Equal(1, (await Json(await seniorKey.GetAsync("/api/v1/appeals?status=open"))).GetProperty("items").GetArrayLength());
        var decided = await seniorKey.PostAsJsonAsync($"/api/v1/appeals/{appealId}/decision", new { outcome = "reversed", statement = "A film quote." });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => await r.Content.ReadFromJsonAsync<JsonElement>();
}
