using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Bulwark.Core.Storage;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>One server per provider for the whole class, with two projects; each bad input is its own test case.</summary>
public sealed class ResearchBadInputHosts : IAsyncDisposable
{
    private readonly Dictionary<DatabaseProvider, (ResearchScenario S, HttpClient Client, HttpClient Other, string OtherSearch)> _hosts = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<(ResearchScenario S, HttpClient Client, HttpClient Other, string OtherSearch)> GetAsync(DatabaseProvider provider)
    {
        await _gate.WaitAsync();
        try
        {
            if (_hosts.TryGetValue(provider, out var ready)) return ready;
            var s = await StartAsync(provider);
            await s.SeedContentAsync();
            var (_, client, _, _) = await s.ProjectAsync();
            var (_, other, _, _) = await s.ProjectAsync();
            var search = (await EnvelopeAsync(await other.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 5)))).Data.GetProperty("search_id").GetString()!;
            return _hosts[provider] = (s, client, other, search);
        }
        finally { _gate.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (s, _, _, _) in _hosts.Values) await s.DisposeAsync();
    }
}

public class ResearchBadInputTests(ResearchBadInputHosts hosts) : IClassFixture<ResearchBadInputHosts>
{
    public static TheoryData<DatabaseProvider, string> Cases()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var p in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
            foreach (var c in BadInputs.Keys) data.Add(p, c);
        return data;
    }

    private const string Window = "\"start_date\":\"20260301\",\"end_date\":\"20260305\"";

    /// <summary>Name → (path, raw JSON body, expected code, a word the message must contain).</summary>
    private static readonly Dictionary<string, (string Path, string Body, string Code, string Names)> BadInputs = new()
    {
        ["malformed json"] = ("/research/v1/content/query", "{\"query\": {\"and\": [", "invalid_param", "line"),
        ["body is an array"] = ("/research/v1/content/query", "[1,2]", "invalid_param", ""),
        ["unknown top-level field"] = ("/research/v1/content/query", "{" + Window + ",\"limit\":5}", "invalid_param", "limit"),
        ["condition with a wrong type"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"and\":[{\"field_name\":\"kind\",\"operation\":\"EQ\",\"field_values\":\"video\"}]}}", "invalid_param", "field_values"),
        ["unknown field"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"and\":[{\"field_name\":\"email\",\"operation\":\"EQ\",\"field_values\":[\"x\"]}]}}", "invalid_param", "email"),
        ["field name injection"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"and\":[{\"field_name\":\"kind = kind OR 1=1 --\",\"operation\":\"EQ\",\"field_values\":[\"x\"]}]}}", "invalid_param", "unknown field_name"),
        ["unknown operation"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"and\":[{\"field_name\":\"kind\",\"operation\":\"LIKE\",\"field_values\":[\"v%\"]}]}}", "invalid_param", "LIKE"),
        ["operation the field does not support"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"and\":[{\"field_name\":\"region_code\",\"operation\":\"GT\",\"field_values\":[\"IT\"]}]}}", "invalid_param", "region_code"),
        ["EQ with two values"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"and\":[{\"field_name\":\"kind\",\"operation\":\"EQ\",\"field_values\":[\"a\",\"b\"]}]}}", "invalid_param", "exactly one"),
        ["empty field_values"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"or\":[{\"field_name\":\"kind\",\"operation\":\"IN\",\"field_values\":[]}]}}", "invalid_param", "field_values"),
        ["not a date"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"and\":[{\"field_name\":\"create_date\",\"operation\":\"GT\",\"field_values\":[\"yesterday\"]}]}}", "invalid_param", "YYYYMMDD"),
        ["not a number"] = ("/research/v1/content/query", "{" + Window + ",\"query\":{\"and\":[{\"field_name\":\"view_count\",\"operation\":\"GT\",\"field_values\":[\"1 OR 1=1\"]}]}}", "invalid_param", "integer"),
        ["window over 30 days"] = ("/research/v1/content/query", "{\"start_date\":\"20260101\",\"end_date\":\"20260201\"}", "invalid_param", "30 days"),
        ["inverted window"] = ("/research/v1/content/query", "{\"start_date\":\"20260305\",\"end_date\":\"20260301\"}", "invalid_param", "before"),
        ["missing window"] = ("/research/v1/content/query", "{\"max_count\":5}", "invalid_param", "start_date"),
        ["malformed date"] = ("/research/v1/content/query", "{\"start_date\":\"2026-03-01\",\"end_date\":\"20260305\"}", "invalid_param", "start_date"),
        ["max_count over 100"] = ("/research/v1/content/query", "{" + Window + ",\"max_count\":101}", "invalid_param", "max_count"),
        ["max_count zero"] = ("/research/v1/content/query", "{" + Window + ",\"max_count\":0}", "invalid_param", "max_count"),
        ["negative cursor"] = ("/research/v1/content/query", "{" + Window + ",\"cursor\":-1}", "invalid_param", "cursor"),
        ["unknown dataset"] = ("/research/v1/users/query", "{" + Window + "}", "invalid_param", "users"),
        ["aggregate-only dataset queried"] = ("/research/v1/enforcement_figures/query", "{" + Window + "}", "invalid_param", "aggregate"),
        ["unknown returned field"] = ("/research/v1/content/query?fields=id,linked_identifiers", "{" + Window + "}", "invalid_param", "linked_identifiers"),
        ["filter-only field returned"] = ("/research/v1/content/query?fields=keyword", "{" + Window + "}", "invalid_param", "keyword"),
        ["made-up search_id"] = ("/research/v1/content/query", "{\"search_id\":\"' OR 1=1 --\"}", "invalid_param", "search_id"),
        ["aggregate without group_by"] = ("/research/v1/content/aggregate", "{" + Window + "}", "invalid_param", "group_by"),
        ["aggregate on a field that cannot be grouped"] = ("/research/v1/content/aggregate", "{" + Window + ",\"group_by\":[\"text\"]}", "invalid_param", "text"),
        ["aggregate with three groups"] = ("/research/v1/content/aggregate", "{" + Window + ",\"group_by\":[\"kind\",\"language\",\"region_code\"]}", "invalid_param", "group_by"),
        ["window on an undated dataset"] = ("/research/v1/designated_entities/query", "{" + Window + "}", "invalid_param", "no date window"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_clear_error_in_the_envelope_and_returns_no_data(DatabaseProvider provider, string name)
    {
        var (_, client, _, _) = await hosts.GetAsync(provider);
        var (path, body, expected, names) = BadInputs[name];
        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var (status, code, message, data) = await EnvelopeAsync(response);
        Assert.Equal((expected, HttpStatusCode.BadRequest), (code, status));
        Assert.Contains(names, message);
        Assert.Empty(data.EnumerateObject());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Another_projects_search_id_is_refused_without_revealing_it_exists(DatabaseProvider provider)
    {
        var (_, client, _, otherSearch) = await hosts.GetAsync(provider);
        var (status, code, message, data) = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", new { search_id = otherSearch }));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_param"), (status, code));
        Assert.Contains("not a search of this project", message);
        Assert.Empty(data.EnumerateObject());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Missing_malformed_or_foreign_tokens_are_access_token_invalid(DatabaseProvider provider)
    {
        var (s, _, _, _) = await hosts.GetAsync(provider);
        var apiKey = await s.Host.KeyAsync("read", "admin");
        foreach (var token in new string?[] { null, "garbage", "brt_not-a-real-token", apiKey })
        {
            var client = s.Host.Client(null);
            if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var (status, code, _, data) = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query()));
            Assert.Equal((HttpStatusCode.Unauthorized, "access_token_invalid"), (status, code));
            Assert.Empty(data.EnumerateObject());
        }
        // And the research token is no API key: the platform API refuses it.
        var (_, research, _, _) = await hosts.GetAsync(provider);
        Assert.Equal(HttpStatusCode.Unauthorized, (await research.GetAsync("/api/v1/content/pub-00")).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_token_endpoint_refuses_wrong_credentials_grants_and_encodings_in_OAuth_form(DatabaseProvider provider)
    {
        var (s, _, _, _) = await hosts.GetAsync(provider);
        var id = await s.ApplyAsync();
        await s.DecideAsync(id, new { decision = "approve", reason = "ok" });
        var (clientId, secret) = await s.AddMemberAsync(id);
        var ok = await s.TokenResponseAsync(clientId, secret);
        var body = await Json(ok);
        Assert.Equal(("Bearer", 7200), (body.GetProperty("token_type").GetString(), body.GetProperty("expires_in").GetInt32()));
        Assert.Equal("no-store", ok.Headers.CacheControl?.ToString());

        var wrong = await s.TokenResponseAsync(clientId, secret + "x");
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client"), (wrong.StatusCode, (await Json(wrong)).GetProperty("error").GetString()));
        var grant = await s.TokenResponseAsync(clientId, secret, "password");
        Assert.Equal((HttpStatusCode.BadRequest, "unsupported_grant_type"), (grant.StatusCode, (await Json(grant)).GetProperty("error").GetString()));
        var json = await s.Anonymous.PostAsJsonAsync("/research/v1/oauth/token", new { client_id = clientId, client_secret = secret, grant_type = "client_credentials" });
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (json.StatusCode, (await Json(json)).GetProperty("error").GetString()));
        // An application not yet approved has no members, and a rejected one cannot get any.
        var pending = await s.ApplyAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await s.PolicyAdmin.PostAsJsonAsync($"/api/v1/research/projects/{pending}/members", new { name = "x" })).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_incomplete_application_is_refused_naming_each_problem_and_nothing_is_filed(DatabaseProvider provider)
    {
        var (s, _, _, _) = await hosts.GetAsync(provider);
        var before = (await s.PolicyAdmin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/research/projects")).GetArrayLength();
        var response = await s.Anonymous.PostAsJsonAsync("/research/v1/applications", new
        {
            title = "Synthetic study", organisation = "", applicantName = "Ada Example", applicantEmail = "not-an-address",
            independenceDeclaration = "independent", funding = "public grant", description = "d", safeguards = "s", publicSummary = "p",
            requested = new Dictionary<string, string[]> { ["content"] = ["id", "email"], ["users"] = ["id"] }, start = "2026-03-10", end = "2026-03-01",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await Json(response)).GetProperty("errors");
        foreach (var field in new[] { "organisation", "applicantEmail", "requested.content", "requested.users", "end" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        Assert.Contains("'email' is not a field of content", errors.GetProperty("requested.content").GetRawText());
        Assert.Equal(before, (await s.PolicyAdmin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/research/projects")).GetArrayLength());
    }
}
