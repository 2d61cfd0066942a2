using System.Net;
using System.Net.Http.Json;
using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// Issue 21, privacy: content removed by moderation is not served, even when the removal is a measure added to a decision whose
/// outcome is not <c>remove</c> (an authority's removal order on content the pipeline had already decided), and it comes back
/// when the removal is undone. The decision itself stays in <c>moderation_decisions</c>, whose filters are checked here too.
/// </summary>
public class ResearchRemovalTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Content_removed_by_an_order_leaves_every_answer_its_decision_stays_and_a_reinstatement_brings_it_back(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (_, client, _, _) = await s.ProjectAsync();
        await s.Host.WaitForStatusAsync("pub-02"); // the pipeline decides first: the order then adds its removal to that decision

        var before = (await ResearchQueryTests.PageAllAsync(client, Query(maxCount: 100), "id,text")).ToDictionary(i => i.GetProperty("text").GetString()!, i => i.GetProperty("id").GetString()!);
        Assert.Equal(30, before.Count);
        var removed = before["caption 2 about pasta"]; // pub-02's pseudonym in this project
        var search = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query?fields=id", Query(maxCount: 100)))).Data.GetProperty("search_id").GetString();

        // A cross-border removal order (executed on receipt) names pub-02.
        await s.Host.Services.GetRequiredService<AuthorityRegistry>().SaveAsync(new AuthorityInput("example-it", "EXAMPLE: fictional authority", "IT",
            [Competences.RemovalOrders], Channels.Manual, null, Example: true), "policy-admin", default);
        var authorities = s.Host.Client(await s.Host.KeyAsync(Scopes.Authorities));
        var order = await authorities.PostAsJsonAsync("/api/v1/authorities/removal-orders", new
        {
            reference = "IT-RESEARCH-1", authority = "example-it", memberState = "IT", issuedAt = "2026-03-10T08:00:00Z", contentIds = new[] { "pub-02" },
            ground = "threat", reasons = "Synthetic: a fictional order", crossBorder = true,
        });
        Assert.Equal(HttpStatusCode.Created, order.StatusCode);
        var orderId = (await Json(order)).GetProperty("id").GetInt64();
        Assert.Equal("executed", (await Json(await authorities.GetAsync($"/api/v1/authorities/removal-orders/{orderId}"))).GetProperty("status").GetString());

        // Gone from a new search and from a re-run of the earlier one.
        var after = await ResearchQueryTests.PageAllAsync(client, Query(maxCount: 100), "id");
        Assert.Equal(29, after.Count);
        Assert.DoesNotContain(after, i => i.GetProperty("id").GetString() == removed);
        var rerun = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 100, searchId: search)))).Data.GetProperty("items");
        Assert.Equal(29, rerun.GetArrayLength());
        Assert.DoesNotContain(rerun.EnumerateArray(), i => i.GetProperty("id").GetString() == removed);

        // Its decision is still in moderation_decisions, under the same pseudonym, and its outcome is the pipeline's, not remove:
        // only the measure says the content is down.
        var decisions = await ResearchQueryTests.PageAllAsync(client, Query(maxCount: 100, start: "20260310", end: "20260310"),
            "content_id,outcome,automated", "moderation_decisions");
        var its = Assert.Single(decisions, d => d.GetProperty("content_id").GetString() == removed);
        Assert.NotEqual("remove", its.GetProperty("outcome").GetString());

        // The decisions' filters answer what their returned values say (outcome, automated, both together, and not).
        foreach (var outcome in decisions.Select(d => d.GetProperty("outcome").GetString()!).Distinct())
        {
            var filtered = await ResearchQueryTests.PageAllAsync(client, Query(new { and = new[] { Cond("outcome", "EQ", outcome) } }, maxCount: 100, start: "20260310", end: "20260310"),
                "content_id", "moderation_decisions");
            Assert.Equal(decisions.Count(d => d.GetProperty("outcome").GetString() == outcome), filtered.Count);
            var excluded = await ResearchQueryTests.PageAllAsync(client, Query(new { not = new[] { Cond("outcome", "EQ", outcome) } }, maxCount: 100, start: "20260310", end: "20260310"),
                "content_id", "moderation_decisions");
            Assert.Equal(decisions.Count - filtered.Count, excluded.Count);
        }
        foreach (var automated in new[] { true, false })
        {
            var filtered = await ResearchQueryTests.PageAllAsync(client, Query(new { and = new[] { Cond("automated", "EQ", automated ? "true" : "false") } }, maxCount: 100, start: "20260310", end: "20260310"),
                "content_id", "moderation_decisions");
            Assert.Equal(decisions.Count(d => d.GetProperty("automated").GetBoolean() == automated), filtered.Count);
        }
        var none = await ResearchQueryTests.PageAllAsync(client, Query(new { and = new[] { Cond("outcome", "IN", "remove", "escalate"), Cond("policy", "EQ", "NO-SUCH-POLICY") } },
            maxCount: 100, start: "20260310", end: "20260310"), "content_id", "moderation_decisions");
        Assert.Empty(none);

        // Scrutiny finds the order infringes: the content is restored, and served again.
        var scrutiny = await authorities.PostAsJsonAsync($"/api/v1/authorities/removal-orders/{orderId}/scrutiny", new { outcome = "infringes", note = "Synthetic: disproportionate" });
        Assert.True(scrutiny.IsSuccessStatusCode, await scrutiny.Content.ReadAsStringAsync());
        var restored = await ResearchQueryTests.PageAllAsync(client, Query(maxCount: 100), "id");
        Assert.Equal(30, restored.Count);
        Assert.Contains(restored, i => i.GetProperty("id").GetString() == removed);
    }
}
