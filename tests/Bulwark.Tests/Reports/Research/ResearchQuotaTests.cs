using System.Net;
using System.Net.Http.Json;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>Tokens, quotas and project ends against a fake clock advanced by the test (never by waiting).</summary>
public class ResearchQuotaTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Tokens_last_two_hours_and_can_be_revoked_as_can_a_member(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (_, client, clientId, secret) = await s.ProjectAsync();
        Assert.Equal("ok", (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query()))).Code);
        s.Clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal("ok", (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query()))).Code);
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query()));
        Assert.Equal((HttpStatusCode.Unauthorized, "access_token_invalid"), (expired.Status, expired.Code));
        Assert.Contains("expired", expired.Message);

        var fresh = await s.ClientAsync(clientId, secret);
        var token = fresh.DefaultRequestHeaders.Authorization!.Parameter!;
        Assert.Equal(HttpStatusCode.OK, (await s.Anonymous.PostAsync("/research/v1/oauth/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }))).StatusCode);
        var revoked = await EnvelopeAsync(await fresh.PostAsJsonAsync("/research/v1/content/query", Query()));
        Assert.Equal("access_token_invalid", revoked.Code);
        Assert.Contains("revoked", revoked.Message);

        var third = await s.ClientAsync(clientId, secret);
        Assert.True((await s.PolicyAdmin.PostAsJsonAsync($"/api/v1/research/members/{clientId}/revoke", new { reason = "left the project" })).IsSuccessStatusCode);
        Assert.Equal("access_token_invalid", (await EnvelopeAsync(await third.PostAsJsonAsync("/research/v1/content/query", Query()))).Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.TokenResponseAsync(clientId, secret)).StatusCode);
        await using var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        var revokedEntry = db.AuditEntries.Single(e => e.Action == "research.member.revoked");
        Assert.Equal((clientId, "left the project"), (revokedEntry.Before, revokedEntry.Reason));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Daily_requests_run_out_with_429_and_Retry_After_and_reset_at_midnight_UTC(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (_, client, clientId, secret) = await s.ProjectAsync(new { dailyRequests = 3, perMinute = 100 });
        for (var i = 0; i < 3; i++)
        {
            var ok = await client.PostAsJsonAsync("/research/v1/content/query", Query());
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(("3", $"{2 - i}"), (ok.Headers.GetValues("X-RateLimit-Limit").Single(), ok.Headers.GetValues("X-RateLimit-Remaining").Single()));
            Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(), ok.Headers.GetValues("X-RateLimit-Reset").Single());
        }
        var refused = await client.PostAsJsonAsync("/research/v1/content/query", Query());
        var (status, code, _, _) = await EnvelopeAsync(refused);
        Assert.Equal((HttpStatusCode.TooManyRequests, "daily_quota_limit_exceeded"), (status, code));
        Assert.Equal(TimeSpan.FromHours(14), refused.Headers.RetryAfter!.Delta); // 10:00 → 00:00 UTC

        s.Clock.Advance(TimeSpan.FromHours(14) - TimeSpan.FromSeconds(1));
        client = await s.ClientAsync(clientId, secret); // the first token expired at noon
        Assert.Equal("daily_quota_limit_exceeded", (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query()))).Code);
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        var reset = await client.PostAsJsonAsync("/research/v1/content/query", Query());
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal("2", reset.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_per_minute_limit_answers_429_with_the_seconds_to_the_next_minute(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (_, client, _, _) = await s.ProjectAsync(new { perMinute = 2 });
        s.Clock.Advance(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/research/v1/content/query", Query())).StatusCode);
        var refused = await client.PostAsJsonAsync("/research/v1/content/query", Query());
        Assert.Equal((HttpStatusCode.TooManyRequests, "rate_limit_exceeded"), ((await EnvelopeAsync(refused)).Status, (await EnvelopeAsync(refused)).Code));
        Assert.Equal(TimeSpan.FromSeconds(45), refused.Headers.RetryAfter!.Delta);
        s.Clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/research/v1/content/query", Query())).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_records_quota_runs_out_mid_paging_with_a_short_page_then_an_error(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (_, client, _, _) = await s.ProjectAsync(new { dailyRecords = 15 });
        var first = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 10)))).Data;
        Assert.Equal(10, first.GetProperty("items").GetArrayLength());
        var search = first.GetProperty("search_id").GetString();
        var second = await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 10, cursor: 10, searchId: search));
        var secondData = (await EnvelopeAsync(second)).Data;
        Assert.Equal(5, secondData.GetProperty("items").GetArrayLength());
        Assert.Equal("0", second.Headers.GetValues("X-RateLimit-Records-Remaining").Single());
        var third = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 10, cursor: 15, searchId: search)));
        Assert.Equal((HttpStatusCode.TooManyRequests, "daily_quota_limit_exceeded"), (third.Status, third.Code));
        Assert.Contains("records", third.Message);
        Assert.Empty(third.Data.EnumerateObject());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Concurrent_requests_never_overshoot_the_daily_limit(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (_, client, _, _) = await s.ProjectAsync(new { dailyRequests = 5, perMinute = 1000 });
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.PostAsJsonAsync("/research/v1/content/query", Query())));
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(11, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
    }

    /// <summary>
    /// Two server instances on one database (the second serves the API only, as a scaled-out deployment does) share a
    /// project's daily limit: requests fired at both at once never overshoot it. An approved project without its own quota
    /// gets the defaults (1,000 requests and 100,000 records a day).
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_server_instances_share_the_daily_limit_and_a_project_gets_the_default_quota(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (_, standard, _, _) = await s.ProjectAsync();
        var first = await standard.PostAsJsonAsync("/research/v1/content/query", Query());
        // Nothing is seeded: the page is empty and gives its reservation of 20 records back.
        Assert.Equal(("1000", "999", "100000"), (first.Headers.GetValues("X-RateLimit-Limit").Single(), first.Headers.GetValues("X-RateLimit-Remaining").Single(),
            first.Headers.GetValues("X-RateLimit-Records-Remaining").Single()));

        var (_, one, clientId, secret) = await s.ProjectAsync(new { dailyRequests = 7, perMinute = 1000 });
        await using var otherInstance = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (k, v) in s.Host.Database.Settings()) b.UseSetting(k, v);
            b.UseSetting(ProcessRoles.Key, "api");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.ConfigureTestServices(x => x.AddSingleton<TimeProvider>(s.Clock));
        });
        var two = otherInstance.CreateClient();
        two.DefaultRequestHeaders.Authorization = one.DefaultRequestHeaders.Authorization; // a token issued by the first instance
        Assert.Equal(HttpStatusCode.OK, (await two.PostAsJsonAsync("/research/v1/content/query", Query())).StatusCode);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? one : two).PostAsJsonAsync("/research/v1/content/query", Query())));
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(14, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests), a => Assert.Equal("0", a.Headers.GetValues("X-RateLimit-Remaining").Single()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_ended_project_is_refused_its_searches_and_new_tokens(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var id = await s.ApplyAsync(end: "2026-03-10");
        await s.DecideAsync(id, new { decision = "approve", reason = "short study" });
        var (clientId, secret) = await s.AddMemberAsync(id);
        s.Clock.Advance(TimeSpan.FromHours(13)); // 23:00 on the project's last day
        var client = await s.ClientAsync(clientId, secret);
        var search = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 5)))).Data.GetProperty("search_id").GetString();
        s.Clock.Advance(TimeSpan.FromMinutes(90)); // 00:30 the next day: the token is still valid, the project is not
        var again = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(searchId: search)));
        Assert.Equal((HttpStatusCode.Forbidden, "scope_not_authorized"), (again.Status, again.Code));
        Assert.Contains("ended on 2026-03-10", again.Message);
        Assert.Empty(again.Data.EnumerateObject());
        var token = await s.TokenResponseAsync(clientId, secret);
        Assert.Equal((HttpStatusCode.BadRequest, "unauthorized_client"), (token.StatusCode, (await Json(token)).GetProperty("error").GetString()));
        Assert.Contains("ended", (await Json(token)).GetProperty("error_description").GetString());
    }
}
