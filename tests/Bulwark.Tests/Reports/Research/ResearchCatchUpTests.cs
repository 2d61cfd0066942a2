using System.Net;
using System.Net.Http.Json;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// A query never holds a request open while the read model catches up with a large backlog: it does a bounded amount of
/// indexing inline and, when stored versions older than the allowed lag are still waiting, answers <c>index_catching_up</c>
/// (503 with Retry-After, nothing counted against the quota) while the background worker catches up.
/// </summary>
public sealed class ResearchCatchUpTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_query_over_an_unindexed_backlog_answers_index_catching_up_without_charging_the_quota(DatabaseProvider provider)
    {
        // No inline indexing and no background worker (no scheduler role): the backlog stays until the test indexes it.
        await using var s = await StartAsync(provider, new()
        {
            ["Bulwark:Roles"] = "api,worker", ["Bulwark:Research:InlineCatchUpBatches"] = "0", ["Bulwark:Research:MaxIndexLagSeconds"] = "60",
        });
        var (_, client, _, _) = await s.ProjectAsync(new { dailyRequests = 3 });
        await s.SeedContentAsync();

        // A backlog younger than the allowed lag is answered from the read model as it stands.
        var fresh = await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 100));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal("2", fresh.Headers.GetValues("X-RateLimit-Remaining").Single());

        s.Clock.Advance(TimeSpan.FromMinutes(2));
        foreach (var path in new[] { "/research/v1/content/query", "/research/v1/content/aggregate" })
        {
            object body = path.EndsWith("query") ? Query(maxCount: 10) : new { start_date = "20260301", end_date = "20260305", group_by = new[] { "region_code" } };
            var response = await client.PostAsJsonAsync(path, body);
            var (status, code, message, data) = await EnvelopeAsync(response);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, ResearchErrors.IndexCatchingUp), (status, code));
            Assert.Equal("30", response.Headers.GetValues("Retry-After").Single());
            Assert.Contains("catching up", message);
            var index = data.GetProperty("index");
            Assert.Equal("catching_up", index.GetProperty("status").GetString());
            Assert.Equal(35, index.GetProperty("pending_versions").GetInt64());
        }

        // Once the worker has caught up, the same query is answered, and the refused ones were not counted.
        await s.Host.Services.GetRequiredService<ResearchIndexer>().CatchUpAsync(default);
        var answered = await client.PostAsJsonAsync("/research/v1/content/query?fields=text", Query(maxCount: 100));
        var (okStatus, okCode, _, okData) = await EnvelopeAsync(answered);
        Assert.Equal((HttpStatusCode.OK, "ok"), (okStatus, okCode));
        Assert.Equal(30, okData.GetProperty("items").GetArrayLength());
        Assert.Equal("1", answered.Headers.GetValues("X-RateLimit-Remaining").Single());
    }
}
