using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// The real server on a throwaway database with a fake clock, synthetic content (public and not, adult and not), and helpers
/// to file, approve and use research projects through the API.
/// </summary>
public sealed class ResearchScenario : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);
    public ApiHost Host { get; }
    public FakeTimeProvider Clock { get; }
    public HttpClient Anonymous { get; }
    public HttpClient PolicyAdmin { get; }

    private ResearchScenario(ApiHost host, FakeTimeProvider clock, HttpClient policyAdmin)
    {
        Host = host;
        Clock = clock;
        Anonymous = host.Client(null);
        PolicyAdmin = policyAdmin;
    }

    public static async Task<ResearchScenario> StartAsync(DatabaseProvider provider, Dictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(Start);
        var host = await ApiHost.StartAsync(provider, settings, s => s.AddSingleton<TimeProvider>(clock));
        var admin = host.Client(await host.KeyAsync(Scopes.PolicyAdmin));
        return new ResearchScenario(host, clock, admin);
    }

    /// <summary>
    /// Content on 2026-03-01..03-05: 30 public items by adults in IT (25) and GB (5), two private ones, two by a minor,
    /// and one without any visibility (not public by default).
    /// </summary>
    public async Task SeedContentAsync()
    {
        var events = new List<object>();
        for (var i = 0; i < 30; i++)
            events.Add(Item($"pub-{i:D2}", "acct-adult-" + (i % 3), adult: true, "public", i < 25 ? "IT" : "GB", day: 1 + i % 5, text: $"caption {i} about {(i % 2 == 0 ? "pasta" : "football")}", tags: [i % 2 == 0 ? "Cooking" : "sport"]));
        events.Add(Item("private-1", "acct-adult-0", adult: true, "private", "IT", 2, "a private note", []));
        events.Add(Item("followers-1", "acct-adult-1", adult: true, "followers", "IT", 2, "for followers", []));
        events.Add(Item("minor-1", "acct-minor", adult: false, "public", "IT", 2, "by a minor", []));
        events.Add(Item("minor-2", "acct-unknown-age", adult: null, "public", "IT", 2, "age unknown", []));
        events.Add(Item("no-visibility", "acct-adult-0", adult: true, null, "IT", 2, "no visibility given", []));
        var response = await Host.Admin.PostAsJsonAsync("/api/v1/content/batch", new { events });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static object Item(string id, string account, bool? adult, string? visibility, string region, int day, string text, string[] tags) => new
    {
        id, kind = "text", account = new { id = account, handle = "handle-" + account, adult }, text, hashtags = tags, language = region == "IT" ? "it" : "en", region,
        createdAt = new DateTimeOffset(2026, 3, day, 12, 0, 0, TimeSpan.Zero), viewCount = 10L, visibility,
    };

    public static Dictionary<string, string[]> Everything() =>
        ResearchCatalogue.All.ToDictionary(d => d.Name, d => d.Fields.Select(f => f.Name).ToArray());

    /// <summary>Files an application through the public endpoint; returns its id.</summary>
    public async Task<long> ApplyAsync(Dictionary<string, string[]>? requested = null, string end = "2026-12-31")
    {
        var response = await Anonymous.PostAsJsonAsync("/research/v1/applications", new
        {
            title = "Synthetic study", organisation = "Example Institute (fictional)", applicantName = "Ada Example", applicantEmail = "ada@example.invalid",
            independenceDeclaration = "independent", funding = "public grant", description = "how moderation varies", safeguards = "secure room",
            publicSummary = "We study moderation of public content.", requested = requested ?? Everything(), start = "2026-03-01", end,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetInt64();
    }

    public async Task<JsonElement> DecideAsync(long id, object decision)
    {
        var response = await PolicyAdmin.PostAsJsonAsync($"/api/v1/research/projects/{id}/decision", decision);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    public async Task<(string ClientId, string Secret)> AddMemberAsync(long id, string name = "Ada Example")
    {
        var response = await PolicyAdmin.PostAsJsonAsync($"/api/v1/research/projects/{id}/members", new { name });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await Json(response);
        return (body.GetProperty("client_id").GetString()!, body.GetProperty("client_secret").GetString()!);
    }

    /// <summary>An approved project granted everything (optionally with a quota); returns a client with a fresh token.</summary>
    public async Task<(long ProjectId, HttpClient Client, string ClientId, string Secret)> ProjectAsync(object? quota = null, Dictionary<string, string[]>? requested = null)
    {
        var id = await ApplyAsync(requested);
        var decision = new Dictionary<string, object?> { ["decision"] = "approve", ["reason"] = "meets the criteria" };
        if (quota is not null)
            foreach (var p in quota.GetType().GetProperties()) decision[p.Name] = p.GetValue(quota);
        await DecideAsync(id, decision);
        var (clientId, secret) = await AddMemberAsync(id);
        return (id, await ClientAsync(clientId, secret), clientId, secret);
    }

    public async Task<HttpResponseMessage> TokenResponseAsync(string clientId, string secret, string grant = "client_credentials") =>
        await Anonymous.PostAsync("/research/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId, ["client_secret"] = secret, ["grant_type"] = grant,
        }));

    public async Task<HttpClient> ClientAsync(string clientId, string secret)
    {
        var response = await TokenResponseAsync(clientId, secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await Json(response)).GetProperty("access_token").GetString()!;
        var client = Host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static object Query(object? query = null, string start = "20260301", string end = "20260305", int? maxCount = null, int? cursor = null, string? searchId = null) =>
        new Dictionary<string, object?>
        {
            ["query"] = query, ["start_date"] = start, ["end_date"] = end, ["max_count"] = maxCount, ["cursor"] = cursor, ["search_id"] = searchId,
        }.Where(kv => kv.Value is not null).ToDictionary();

    public static object Cond(string field, string op, params string[] values) => new { field_name = field, operation = op, field_values = values };

    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>The envelope's error code, after checking the envelope's shape.</summary>
    public static async Task<(HttpStatusCode Status, string Code, string Message, JsonElement Data)> EnvelopeAsync(HttpResponseMessage response)
    {
        var body = await Json(response);
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("log_id").GetString()));
        return (response.StatusCode, error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!, body.GetProperty("data"));
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        PolicyAdmin.Dispose();
        await Host.DisposeAsync();
    }
}
