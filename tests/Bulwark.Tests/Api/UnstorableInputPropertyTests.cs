using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Api;

/// <summary>
/// Text the databases cannot store as given never costs an item its moderation and never gives a 500. Random Unicode — NUL,
/// lone surrogates, noncharacters, bidi controls, very long strings — goes through every text-accepting endpoint on both
/// providers: the answer is a 4xx problem, or a success; and every accepted content event reaches a decision (never a dead
/// letter). PostgreSQL is where this used to fail (its text refuses U+0000).
/// </summary>
public sealed class UnstorableInputPropertyTests
{
    private const int CasesPerEndpoint = 24;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Pieces chosen to hurt: NUL and C0 controls, lone and paired surrogates, noncharacters, bidi and zero-width
    /// controls, a designated name, quotes and backslashes, and any BMP or astral code point.</summary>
    private static readonly Gen<string> Piece = Gen.Frequency(
        (6, Gen.Elements("\0", "\uD800", "\uDFFF", "\uDBFF\uDFFF", "\uFFFE", "\uFFFF", "\uFDD0", "\u202E", "\u2066", "\u2069", "\u200B", "\uFEFF",
            "\u0001", "\u007F", "\r\n", "\t", "'", "\"", "\\", "%00", "\\u0000", "Cinder", " Oath", "😀", "é", "a", " ")),
        (3, Gen.Choose(0, 0xFFFF).Select(c => ((char)c).ToString())),
        (1, Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)));

    private static readonly Gen<string> Text = Gen.Frequency(
        (1, Gen.Constant("")),
        (12, Gen.ListOf(Piece).Select(p => string.Concat(p))),
        (1, Gen.Choose(64 * 1024 - 8, 70 * 1024).Select(n => "Cinder\0Oath " + new string('x', n))));

    private static IReadOnlyList<string> Samples(int seed) =>
        Gen.Sample(Text, 40, new Rnd((ulong)seed, 0x9E3779B97F4A7C15UL), CasesPerEndpoint).Append("join Cinder\0Oath now").ToList();

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, Web), Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Random_unicode_through_every_text_endpoint_gives_4xx_or_a_decision_never_500(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        var c = host.Admin;
        var entity = await TestEntities.ApproveCinderOathAsync(host.Services);
        Assert.Equal(HttpStatusCode.Accepted, (await c.PostAsync("/api/v1/content", Json(new { id = "base", kind = "text", text = "join Cinder Oath now" }))).StatusCode);
        var decisionId = await DecisionIdAsync(host, "base");
        Assert.Equal(HttpStatusCode.Created, (await c.PostAsync("/api/v1/banks", Json(new { name = "prop-bank" }))).StatusCode);
        var proposed = await (await c.PostAsync("/api/v1/entities", Json(new { kind = "organisation", primaryName = "Ashen Quill Front", tier = "hateful_organisation" })))
            .Content.ReadFromJsonAsync<JsonElement>();
        var proposal = proposed.GetProperty("id").GetInt64();

        var accepted = new List<string>();
        var failures = new List<string>();
        var n = 0;
        // Each endpoint gets its own seeded sample (reproducible), plus the NUL-in-a-designated-name case of issue #16.
        var endpoints = new (string Name, Func<string, string, Task<HttpResponseMessage>> Send)[]
        {
            ("content.text", (id, s) => c.PostAsync("/api/v1/content", Json(new { id, kind = "text", text = s }))),
            ("content.fields", (id, s) => c.PostAsync("/api/v1/content", Json(new
            {
                id, kind = "comment", transcript = s, hashtags = new[] { s }, links = new[] { "https://example.org/" + s },
                account = new { id = "acct-" + id, handle = s, displayName = s, bio = s },
            }))),
            ("content.source", (id, s) => c.PostAsync("/api/v1/content", Json(new { id, kind = "text", text = "x", source = new { type = "user_report", reference = s, name = s } }))),
            ("content.media-url", (id, s) => c.PostAsync("/api/v1/content", Json(new { id, kind = "image", media = new[] { new { url = "https://media.bulwark-test.invalid/" + s, mimeType = "image/png" } } }))),
            ("content.batch", (id, s) => c.PostAsync("/api/v1/content/batch", Json(new { events = new object[] { new { id, kind = "text", text = s } } }))),
            ("content.deleted", (_, s) => c.PostAsync("/api/v1/content/base/deleted", Json(new { reason = s }))),
            // ASP.NET's URL decoder (Kestrel's, and the test server's) refuses %00 in a path before any of our code runs.
            ("content.get", (_, s) => c.GetAsync("/api/v1/content/" + Uri.EscapeDataString(s.Replace("\0", "")))),
            ("accounts", (id, s) => c.PostAsync("/api/v1/accounts", Json(new { id = "acct-" + id, handle = s, displayName = s, bio = s, links = new[] { s } }))),
            ("entities.create", (_, s) => c.PostAsync("/api/v1/entities", Json(new
            {
                kind = "organisation", primaryName = s, tier = "hateful_organisation", ideology = s, notes = s, evidence = new[] { s },
                terms = new[] { new { type = "alias", value = s } },
            }))),
            ("entities.patch", (_, s) => c.PatchAsync($"/api/v1/entities/{proposal}", Json(new { notes = s }))),
            ("entities.search", (_, s) => c.GetAsync("/api/v1/entities?q=" + Uri.EscapeDataString(s))),
            ("entities.revoke", (_, s) => c.PostAsync($"/api/v1/entities/{entity}/revoke", Json(new { reason = s }))),
            ("screen", (_, s) => c.PostAsync("/api/v1/screen", Json(new { text = s }))),
            ("screen.name", (_, s) => c.PostAsync("/api/v1/screen", Json(new { name = s }))),
            ("banks.create", (_, s) => c.PostAsync("/api/v1/banks", Json(new { name = s, description = s }))),
            ("banks.patch", (_, s) => c.PatchAsync("/api/v1/banks/prop-bank", Json(new { description = s }))),
            ("banks.entries", (_, s) => c.PostAsync("/api/v1/banks/prop-bank/entries", Json(new
            {
                entries = new[] { new { signalType = "md5", value = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(s))), labels = new[] { s }, entity = s, source = s } },
            }))),
            ("match", (_, s) => c.PostAsync("/api/v1/match", Json(new { signalType = "url", hash = s }))),
            ("lists.csv", (_, s) => c.PostAsync("/api/v1/lists/prop-csv/imports?dryRun=true", new StringContent(
                "Title,City,State,Group,Ideology,Headquarters,Statewide,Year\n\"" + s.Replace("\"", "\"\"") + "\",Town,ST,Group,Ideology,,,2020\n", Encoding.UTF8, "text/csv"))),
            ("findings", (_, s) => c.PostAsync("/api/v1/accounts/acct-base/offplatform-findings", Json(new { source = s, description = s }))),
            ("confirm", (_, s) => c.PostAsync($"/api/v1/decisions/{decisionId}/confirm", Json(new { reason = s, content = Array.Empty<string>(), account = Array.Empty<string>() }))),
            ("appeals", (_, s) => c.PostAsync("/api/v1/appeals", Json(new { contentId = "base", reason = s }))),
            ("rules.validate", (_, s) => c.PostAsync("/api/v1/rules/validate", Json(new { files = new[] { new { name = "x.rules", text = s } } }))),
            ("webhooks", (_, s) => c.PostAsync("/api/v1/webhooks", Json(new { name = s, url = "https://hooks.bulwark-test.invalid/" }))),
        };
        for (var e = 0; e < endpoints.Length; e++)
        {
            var (name, send) = endpoints[e];
            foreach (var s in Samples(1000 + e))
            {
                var id = $"p{n++}";
                using var response = await send(id, s);
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500 || status < 200 || (status >= 300 && status < 400))
                    failures.Add($"{name} answered {status} for {Show(s)}: {Clip(body)}");
                else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{name} answered {status} without a problem document for {Show(s)}");
                else if (status is 202 && name.StartsWith("content.", StringComparison.Ordinal)) accepted.Add(id);
                else if (status is 200 && name == "content.batch" && body.Contains("\"accepted\":1", StringComparison.Ordinal)) accepted.Add(id);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.NotEmpty(accepted);

        // Every accepted event is decided; none is dead-lettered.
        foreach (var id in accepted) await host.WaitForStatusAsync(id);
        var queue = await c.GetFromJsonAsync<JsonElement>("/api/v1/queue");
        Assert.Equal(0, queue.GetProperty("deadLettered").GetInt32());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_nul_inside_a_designated_name_is_replaced_and_the_item_decided_the_same_on_both_providers(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider);
        await TestEntities.ApproveCinderOathAsync(host.Services);
        var response = await host.Admin.PostAsync("/api/v1/content", Json(new
        {
            id = "nul-1", kind = "text", text = "join Cinder\0Oath now", account = new { id = "acct-nul", handle = "cinder\0oath", bio = "a\0b" }, hashtags = new[] { "#cinder\0oath" },
        }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var decided = await host.WaitForStatusAsync("nul-1");
        Assert.NotEqual("no_action", decided.GetProperty("decision").GetProperty("outcome").GetString());
        Assert.Contains(decided.GetProperty("signals").EnumerateArray(), s => s.GetProperty("type").GetString() == "entity.mention");

        await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        var stored = JsonSerializer.Deserialize(await db.ContentVersions.Where(v => v.ContentId == "nul-1").Select(v => v.EventJson).SingleAsync(), IngestJson.Default.ContentEvent)!;
        Assert.Equal("join Cinder\uFFFDOath now", stored.Text);
        Assert.Equal(("cinder\uFFFDoath", "a\uFFFDb", "#cinder\uFFFDoath"), (stored.Account!.Handle, stored.Account.Bio, stored.Hashtags![0]));

        // The same event again is the same version: the replacement happens before the fingerprint.
        var again = await host.Admin.PostAsync("/api/v1/content", Json(new
        {
            id = "nul-1", kind = "text", text = "join Cinder\0Oath now", account = new { id = "acct-nul", handle = "cinder\0oath", bio = "a\0b" }, hashtags = new[] { "#cinder\0oath" },
        }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_nul_in_an_identifier_name_or_reason_is_a_400_naming_the_field()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var c = host.Admin;
        Assert.Equal(HttpStatusCode.Accepted, (await c.PostAsync("/api/v1/content", Json(new { id = "n-1", kind = "text", text = "hi" }))).StatusCode);
        var cases = new (Func<Task<HttpResponseMessage>> Send, string Field)[]
        {
            (() => c.PostAsync("/api/v1/accounts", Json(new { id = "a-1", displayName = "x\0y" })), "displayName"),
            (() => c.PostAsync("/api/v1/content/n-1/deleted", Json(new { reason = "gone\0" })), "reason"),
            (() => c.PostAsync("/api/v1/entities", Json(new { kind = "organisation", primaryName = "Quiet", tier = "hateful_organisation", terms = new[] { new { type = "alias", value = "a", grade = "strong" }, new { type = "alias", value = "b\0", grade = "strong" } } })), "terms[1].value"),
            (() => c.PostAsync("/api/v1/banks", Json(new { name = "ok-bank", description = "\0" })), "description"),
            (() => c.PostAsync("/api/v1/content", Json(new { id = "n-2", kind = "text", source = new { type = "trusted_flagger", name = "Flag\0ger" } })), "source.name"),
            (() => c.PostAsync("/api/v1/content", Json(new { id = "n-3", kind = "image", media = new[] { new { url = "https://example.org/a\0.png", mimeType = "image/png" } } })), "media[0].url"),
            (() => c.GetAsync("/api/v1/entities?q=" + Uri.EscapeDataString("a\0")), "q"),
        };
        foreach (var (send, field) in cases)
        {
            var response = await send();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("urn:bulwark:problem:validation", problem.GetProperty("type").GetString());
            Assert.Contains("NUL", problem.GetProperty("errors").GetProperty(field)[0].GetString());
        }
        var csv = await c.PostAsync("/api/v1/lists/nul-csv/imports", new StringContent("Title,City,State,Group,Ideology,Headquarters,Statewide,Year\nA\0B,T,ST,G,I,,,2020\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, csv.StatusCode);
        Assert.Contains("NUL byte (U+0000) at byte offset", (await csv.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    private static async Task<long> DecisionIdAsync(ApiHost host, string contentId)
    {
        await host.WaitForStatusAsync(contentId);
        await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        return await db.Decisions.Where(d => d.ContentId == contentId).Select(d => d.Id).SingleAsync();
    }

    private static string Show(string s) => JsonSerializer.Serialize(s.Length > 60 ? s[..60] + $"…({s.Length} chars)" : s);
    private static string Clip(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
