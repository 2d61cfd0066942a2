using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Entities;

/// <summary>The screening, entity and list-import endpoints through the real server: scopes, transitions, imports and bad input.</summary>
public class EntityApiTests
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static StringContent Raw(string text, string type) => new(text, Encoding.UTF8, type);

    private const string Head = """<?xml version="1.0" encoding="UTF-8"?>""";

    private static string UnList(int count) =>
        Head + "<CONSOLIDATED_LIST><INDIVIDUALS/><ENTITIES>" +
        string.Concat(Enumerable.Range(1, count).Select(i => $"<ENTITY><DATAID>{i}</DATAID><FIRST_NAME>Synthetic Front Number {Words[i]}</FIRST_NAME>" +
            $"<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDe.{900 + i}</REFERENCE_NUMBER><LISTED_ON>2020-01-01</LISTED_ON></ENTITY>")) +
        "</ENTITIES></CONSOLIDATED_LIST>";

    private static readonly string[] Words = ["zero", "Alder", "Birchwood", "Cobalt", "Driftmoor", "Emberline"];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Entities_are_proposed_approved_screened_and_revoked_with_scopes_enforced(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        var admin = host.Admin;
        var reader = host.Client(await host.KeyAsync(Scopes.Read));
        var anonymous = host.Client(null);

        var entity = new
        {
            kind = "organisation", primaryName = "Brotherhood of the Hollow Sun", tier = "violent_extremist_organisation",
            terms = new object[] { new { type = "alias", value = "Hollow Sun" }, new { type = "hashtag", value = "#hollowsunrising" } },
            evidence = new[] { "https://example.org/hollow-sun" },
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/screen", new { text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/entities", entity)).StatusCode);
        var created = await admin.PostAsJsonAsync("/api/v1/entities", entity);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await Json(created)).GetProperty("id").GetInt64();
        Assert.Equal("proposed", (await Json(await reader.GetAsync($"/api/v1/entities/{id}"))).GetProperty("status").GetString());

        var noReason = await admin.PostAsJsonAsync($"/api/v1/entities/{id}/approve", new { });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", (await Json(noReason)).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync($"/api/v1/entities/{id}/approve", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/entities/{id}/approve", new { reason = "two reports" })).StatusCode);
        var twice = await admin.PostAsJsonAsync($"/api/v1/entities/{id}/approve", new { reason = "again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("urn:bulwark:problem:invalid-transition", (await Json(twice)).GetProperty("type").GetString());

        var screened = await Json(await reader.PostAsJsonAsync("/api/v1/screen", new { text = "all hail the H\u200Bollow $un" }));
        var match = Assert.Single(screened.GetProperty("matches").EnumerateArray());
        Assert.Equal(id, match.GetProperty("entity").GetProperty("id").GetInt64());
        Assert.Equal("Hollow Sun", match.GetProperty("term").GetString());
        Assert.Equal((13, 24), (match.GetProperty("start").GetInt32(), match.GetProperty("end").GetInt32()));
        Assert.Contains("Leetspeak", match.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        var byName = await Json(await reader.PostAsJsonAsync("/api/v1/screen", new { name = "Brotherhood 0f the Hollow Sun" }));
        var nameMatch = Assert.Single(byName.GetProperty("nameMatches").EnumerateArray());
        Assert.True(nameMatch.GetProperty("score").GetDouble() >= 0.88);
        Assert.NotEmpty(nameMatch.GetProperty("tokens").EnumerateArray());

        var list = await Json(await reader.GetAsync("/api/v1/entities?status=approved&q=hollow"));
        Assert.Single(list.GetProperty("entities").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync("/api/v1/entities?status=maybe")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/v1/entities/424242")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/entities/{id}/revoke", new { reason = "lapsed" })).StatusCode);
        Assert.Empty((await Json(await reader.PostAsJsonAsync("/api/v1/screen", new { text = "all hail the Hollow Sun" }))).GetProperty("matches").EnumerateArray());

        var paths = (await Json(await anonymous.GetAsync("/openapi/v1.json"))).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/screen", "/api/v1/entities", "/api/v1/entities/{id}/approve", "/api/v1/lists/{source}/imports", "/api/v1/lists/{source}/imports/{id}" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");

        var ready = await Json(await admin.GetAsync("/health/ready"));
        Assert.StartsWith("entity screening: 0 approved entities", ready.GetProperty("checks").GetProperty("entity-screening").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Screening_refuses_empty_gigantic_ambiguous_and_broken_texts_naming_the_problem()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:Entities:MaxScreenChars"] = "1000" });
        var client = host.Client(await host.KeyAsync(Scopes.Read));
        async Task<(HttpStatusCode, string)> Screen(HttpContent body)
        {
            var r = await client.PostAsync("/api/v1/screen", body);
            return (r.StatusCode, await r.Content.ReadAsStringAsync());
        }
        var (status, text) = await Screen(JsonContent.Create(new { text = "" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("text must not be empty", text);
        (status, text) = await Screen(JsonContent.Create(new { text = new string('a', 1001) }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("1,001 characters; at most 1,000", text);
        (status, text) = await Screen(JsonContent.Create(new { text = "a", name = "b" }));
        Assert.Contains("exactly one of text or name", text);
        (status, text) = await Screen(Raw("""{"text":"abc\uD800def"}""", "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("surrogate", text, StringComparison.OrdinalIgnoreCase);
        (status, text) = await Screen(Raw("""{"text": """, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("urn:bulwark:problem:malformed-json", text);
        (status, text) = await Screen(JsonContent.Create(new { name = "x", threshold = 2.0 }));
        Assert.Contains("threshold", text);
    }

    [Fact]
    public async Task Lists_are_imported_as_dry_runs_applied_and_refused_with_problem_details()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var admin = host.Admin;
        var reader = host.Client(await host.KeyAsync(Scopes.Read));

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/v1/lists/un-sc/imports", Raw(UnList(5), "application/xml"))).StatusCode);
        var dry = await admin.PostAsync("/api/v1/lists/un-sc/imports?dryRun=true", Raw(UnList(5), "application/xml"));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var dryRun = await Json(dry);
        Assert.Equal(("dry-run", 5), (dryRun.GetProperty("status").GetString(), dryRun.GetProperty("added").GetInt32()));
        Assert.Equal("QDe.901", dryRun.GetProperty("diff").GetProperty("added")[0].GetProperty("referenceNumber").GetString());

        var form = new MultipartFormDataContent { { new StringContent(UnList(5)), "file", "un.xml" } };
        var applied = await admin.PostAsync("/api/v1/lists/un-sc/imports", form);
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var run = await Json(applied);
        Assert.Equal(("applied", "un.xml"), (run.GetProperty("status").GetString(), run.GetProperty("fileName").GetString()));
        var fetched = await Json(await reader.GetAsync(applied.Headers.Location));
        Assert.Equal(5, fetched.GetProperty("added").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/v1/lists/eu/imports/" + run.GetProperty("id").GetInt64())).StatusCode);

        // Auto-approved (ISIL/Al-Qaida list): screenable at once.
        var hit = await Json(await reader.PostAsJsonAsync("/api/v1/screen", new { text = "praise to Synthetic Front Number Cobalt" }));
        Assert.Equal("QDe.903", hit.GetProperty("matches")[0].GetProperty("entity").GetProperty("referenceNumber").GetString());

        var shrink = await admin.PostAsync("/api/v1/lists/un-sc/imports", Raw(UnList(2), "application/xml"));
        Assert.Equal(HttpStatusCode.Conflict, shrink.StatusCode);
        var shrinkProblem = await Json(shrink);
        Assert.Equal("urn:bulwark:problem:list-shrink-refused", shrinkProblem.GetProperty("type").GetString());
        Assert.Contains("shrank from 5 to 2", shrinkProblem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/lists/un-sc/imports?force=true", Raw(UnList(2), "application/xml"))).StatusCode);

        foreach (var (body, expected) in new[]
        {
            (Head + "<CONSOLIDATED_LIST><ENTITIES>", "Malformed XML"),
            (Head + """<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>""", "DTDs and entity declarations are refused"),
            (Head + "<export/>", "Not a UN consolidated list"),
        })
        {
            var refused = await admin.PostAsync("/api/v1/lists/un-sc/imports", Raw(body, "application/xml"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            var problem = await Json(refused);
            Assert.Equal("urn:bulwark:problem:invalid-list", problem.GetProperty("type").GetString());
            Assert.Contains(expected, problem.GetProperty("detail").GetString());
            Assert.True(problem.GetProperty("importId").GetInt64() > 0);
        }
        var garbled = new ByteArrayContent([.. Encoding.UTF8.GetBytes(Head + "<CONSOLIDATED_LIST>"), 0xFF, .. Encoding.UTF8.GetBytes("</CONSOLIDATED_LIST>")]);
        var garbledProblem = await Json(await admin.PostAsync("/api/v1/lists/un-sc/imports", garbled));
        Assert.Contains($"Invalid UTF-8 at byte offset {Head.Length + 19}", garbledProblem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/v1/lists/Bad Name!/imports", Raw("x", "text/csv"))).StatusCode);
    }

    [Fact]
    public async Task The_demo_catches_a_caption_and_a_handle_naming_a_fictional_group_through_obfuscation()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        await host.Services.GetRequiredService<DemoSeeder>().SeedAsync(default);

        var caption = await host.WaitForStatusAsync(DemoEntities.CaptionItem);
        var mentions = caption.GetProperty("signals").EnumerateArray().Where(s => s.GetProperty("type").GetString() == "entity.mention").ToList();
        var hollow = Assert.Single(mentions, s => s.GetProperty("explanation").GetString()!.Contains(DemoEntities.HollowSun));
        Assert.Contains("Confusable", hollow.GetProperty("explanation").GetString());
        Assert.Contains("tier:violent_extremist_organisation", hollow.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var cinder = Assert.Single(mentions, s => s.GetProperty("explanation").GetString()!.Contains(DemoEntities.CinderOath));
        Assert.Contains("FormatRemoved", cinder.GetProperty("explanation").GetString());

        var profile = await host.WaitForStatusAsync(DemoEntities.HandleItem);
        var handle = Assert.Single(profile.GetProperty("signals").EnumerateArray(), s => s.GetProperty("type").GetString() == "entity.name_match");
        Assert.Contains(DemoEntities.CinderOath, handle.GetProperty("explanation").GetString());
        Assert.Contains("field:account.handle", handle.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
    }
}
