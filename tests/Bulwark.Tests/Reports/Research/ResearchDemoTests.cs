using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// Issue 21's "done when": the demo project's credentials give a token, demo content and moderation data, paging, suppressed
/// cells and the quota; and the real <c>--demo</c> process prints working credentials in its banner.
/// </summary>
public partial class ResearchDemoTests
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

        // Moderation data: the pipeline's decisions on the demo's public items, under the same pseudonyms, and enforcement counts.
        await host.WaitForStatusAsync("demo-research-000"); // public, by an adult account
        var decisions = await ResearchQueryTests.PageAllAsync(client, window, "content_id,outcome,automated", "moderation_decisions");
        var first = items.Single(i => i.GetProperty("text").GetString()!.StartsWith("DEMO: synthetic public caption 0 ", StringComparison.Ordinal)).GetProperty("id").GetString();
        Assert.Contains(decisions, d => d.GetProperty("content_id").GetString() == first);
        Assert.All(decisions, d => Assert.Contains(d.GetProperty("content_id").GetString(), items.Select(i => i.GetProperty("id").GetString())));
        var enforcement = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/enforcement_figures/aggregate",
            new { start_date = today.AddDays(-25).ToString("yyyyMMdd"), end_date = today.ToString("yyyyMMdd"), group_by = new[] { "outcome" } }));
        Assert.Equal("ok", enforcement.Code);
        Assert.NotEmpty(enforcement.Data.GetProperty("cells").EnumerateArray());

        // The demo's quota is 50 requests a day: use what is left, then the next one is refused.
        HttpResponseMessage last;
        do last = await client.PostAsJsonAsync("/research/v1/designated_entities/query", new { max_count = 1 });
        while (last.StatusCode == HttpStatusCode.OK && last.Headers.GetValues("X-RateLimit-Remaining").Single() != "0");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        var refused = await client.PostAsJsonAsync("/research/v1/designated_entities/query", new { max_count = 1 });
        Assert.Equal((HttpStatusCode.TooManyRequests, "daily_quota_limit_exceeded"), ((await EnvelopeAsync(refused)).Status, (await EnvelopeAsync(refused)).Code));
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_demo_process_prints_the_research_client_credentials_and_they_work(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        using var server = new ServerProcess(db.Settings(), "--demo");
        await server.StartAsync();
        Match? printed = null;
        Assert.True(await Eventually.UntilAsync(() => (printed = Banner().Match(server.Output)).Success), $"no research credentials in the banner:\n{server.Output}");
        var (clientId, secret) = (printed!.Groups["id"].Value, printed.Groups["secret"].Value);

        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        var token = await http.PostAsync("/research/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await Json(token)).GetProperty("access_token").GetString());
        var today = DateTime.UtcNow.Date;
        var query = Query(start: today.AddDays(-25).ToString("yyyyMMdd"), end: today.ToString("yyyyMMdd"), maxCount: 100);
        // The demo also writes a synthetic quarter of history after start-up; until the research index has caught up with it a
        // new search answers index_catching_up (503, not counted against the quota), and it can fall behind again while the
        // history is still being written, so the first page is asked for until the index has caught up.
        var items = await ResearchQueryTests.PageAllAsync(http, query, "id,text", whileIndexCatchesUp: true);
        Assert.Equal(46, items.Count(i => i.GetProperty("text").GetString()!.StartsWith("DEMO: synthetic public caption", StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"Demo research client_id\s*:\s*(?<id>brc_\S+)\s+Demo research client_secret\s*:\s*(?<secret>brs_\S+)")]
    private static partial Regex Banner();
}
