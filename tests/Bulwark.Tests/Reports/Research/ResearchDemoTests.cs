using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>Issue 21's "done when": the demo project's printed credentials give a token, demo content, paging, suppressed cells and the quota.</summary>
public class ResearchDemoTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_demo_research_project_queries_pages_sees_suppressed_cells_and_hits_its_quota(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        var demo = host.Services.GetRequiredService<DemoResearch>();
        var (staleId, staleSecret) = await demo.SeedAsync(default);
        var (clientId, secret) = await demo.SeedAsync(default); // a restart: fresh credentials, the old ones stop working
        var anonymous = host.Client(null);
        FormUrlEncodedContent Form(string id, string s) => new(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = id, ["client_secret"] = s });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/research/v1/oauth/token", Form(staleId, staleSecret))).StatusCode);
        var token = await Json(await anonymous.PostAsync("/research/v1/oauth/token", Form(clientId, secret)));
        var client = host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());

        var today = DateTime.UtcNow.Date;
        var window = Query(start: today.AddDays(-25).ToString("yyyyMMdd"), end: today.ToString("yyyyMMdd"), maxCount: 20);
        // 60 synthetic items: every 10th private, every 6th by an account not marked adult (two are both): 46 served.
        var items = await ResearchQueryTests.PageAllAsync(client, window, "id,text,region_code");
        Assert.Equal(46, items.Count);
        Assert.All(items, i => Assert.StartsWith("DEMO: synthetic public caption", i.GetProperty("text").GetString()));

        var aggregate = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/aggregate",
            new { start_date = today.AddDays(-25).ToString("yyyyMMdd"), end_date = today.ToString("yyyyMMdd"), group_by = new[] { "region_code" } }));
        Assert.Equal("ok", aggregate.Code);
        Assert.Contains(aggregate.Data.GetProperty("cells").EnumerateArray(), c => c.GetProperty("suppressed").GetBoolean());
        Assert.Contains(aggregate.Data.GetProperty("cells").EnumerateArray(), c => !c.GetProperty("suppressed").GetBoolean());

        // The demo's quota is 50 requests a day: use what is left, then the next one is refused.
        HttpResponseMessage last;
        do last = await client.PostAsJsonAsync("/research/v1/designated_entities/query", new { max_count = 1 });
        while (last.StatusCode == HttpStatusCode.OK && last.Headers.GetValues("X-RateLimit-Remaining").Single() != "0");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        var refused = await client.PostAsJsonAsync("/research/v1/designated_entities/query", new { max_count = 1 });
        Assert.Equal((HttpStatusCode.TooManyRequests, "daily_quota_limit_exceeded"), ((await EnvelopeAsync(refused)).Status, (await EnvelopeAsync(refused)).Code));
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
    }
}
