using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>The researcher API end to end on the real server: tokens, queries, snapshots, privacy, pseudonyms, aggregates, log.</summary>
public class ResearchQueryTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_member_queries_only_public_content_by_adults_and_pages_a_stable_snapshot_with_search_id(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (_, client, clientId, _) = await s.ProjectAsync();

        // Everything in the window: the 30 public items by adults, never the private, followers-only, minors', unknown-age or unmarked ones.
        var all = await PageAllAsync(client, Query(maxCount: 100), "id,text,region_code");
        Assert.Equal(30, all.Count);
        Assert.All(all, i => Assert.StartsWith("caption", i.GetProperty("text").GetString()));
        Assert.DoesNotContain(all, i => i.GetProperty("id").GetString()!.StartsWith("pub-", StringComparison.Ordinal)); // pseudonymised

        var first = await client.PostAsJsonAsync("/research/v1/content/query?fields=id,text,region_code,hashtag_names",
            Query(new { and = new[] { Cond("region_code", "IN", "IT") } }, maxCount: 10));
        var (status, code, _, data) = await EnvelopeAsync(first);
        Assert.Equal((HttpStatusCode.OK, "ok"), (status, code));
        Assert.Equal(10, data.GetProperty("items").GetArrayLength());
        Assert.True(data.GetProperty("has_more").GetBoolean());
        Assert.Equal(["hashtag_names", "id", "region_code", "text"], data.GetProperty("items")[0].EnumerateObject().Select(p => p.Name).Order());
        var searchId = data.GetProperty("search_id").GetString()!;

        // New content arriving meanwhile is not in the snapshot the search_id pages through.
        var late = await s.Host.Admin.PostAsJsonAsync("/api/v1/content/batch", new { events = new[] { Item("late-1", "acct-adult-0", true, "public", "IT", 3, "caption late", []) } });
        Assert.True(late.IsSuccessStatusCode);
        var seen = data.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        var cursor = data.GetProperty("cursor").GetInt32();
        while (true)
        {
            var page = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 10, cursor: cursor, searchId: searchId)))).Data;
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
            cursor = page.GetProperty("cursor").GetInt32();
            if (!page.GetProperty("has_more").GetBoolean()) break;
        }
        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal(31, (await PageAllAsync(client, Query(maxCount: 100), "id")).Count); // a new search sees it

        // A re-run of the same search_id from the start gives the same ids in the same order.
        var rerun = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 10, searchId: searchId)))).Data;
        Assert.Equal(seen.Take(10), rerun.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));

        // Filters: hashtag (exact, case-insensitive), keyword, not, numeric and date comparisons.
        Assert.Equal(15, (await PageAllAsync(client, Query(new { and = new[] { Cond("hashtag_name", "EQ", "#cooking") } }, maxCount: 100), "id")).Count);
        Assert.Equal(15, (await PageAllAsync(client, Query(new { and = new[] { Cond("keyword", "EQ", "FOOTBALL") } }, maxCount: 100), "id")).Count);
        Assert.Equal(5, (await PageAllAsync(client, Query(new { not = new[] { Cond("region_code", "EQ", "IT") } }, maxCount: 100), "id")).Count);
        Assert.Equal(6, (await PageAllAsync(client, Query(new { and = new[] { Cond("create_date", "EQ", "20260301") } }, maxCount: 100), "id")).Count);
        // GB items are pub-25..29 on days 1..5: three of them from the 3rd.
        Assert.Equal(3, (await PageAllAsync(client, Query(new { and = new[] { Cond("create_date", "GTE", "20260303") }, or = new[] { Cond("region_code", "EQ", "GB") } }, maxCount: 100), "id")).Count);

        // Injection attempts are values like any other: they match nothing and never widen the answer.
        var injected = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query",
            Query(new { and = new[] { Cond("region_code", "IN", "IT' OR '1'='1", "IT\") OR 1=1 --") } })));
        Assert.Equal(("ok", 0), (injected.Code, injected.Data.GetProperty("items").GetArrayLength()));
        var injectedKeyword = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query",
            Query(new { and = new[] { Cond("keyword", "EQ", "%' OR 1=1; DROP TABLE research_content; --") } })));
        Assert.Equal(("ok", 0), (injectedKeyword.Code, injectedKeyword.Data.GetProperty("items").GetArrayLength()));

        // Another project sees the same items under different pseudonyms; within a project they are stable.
        var (_, other, _, _) = await s.ProjectAsync();
        var mine = (await PageAllAsync(client, Query(maxCount: 100), "id,text")).ToDictionary(i => i.GetProperty("text").GetString()!, i => i.GetProperty("id").GetString());
        var mineAgain = (await PageAllAsync(client, Query(maxCount: 100), "id,text")).ToDictionary(i => i.GetProperty("text").GetString()!, i => i.GetProperty("id").GetString());
        var theirs = (await PageAllAsync(other, Query(maxCount: 100), "id,text")).ToDictionary(i => i.GetProperty("text").GetString()!, i => i.GetProperty("id").GetString());
        Assert.Equal(mine, mineAgain);
        Assert.All(mine, kv => Assert.NotEqual(kv.Value, theirs[kv.Key]));

        // Every answer is in the project's log with its row count and a hash of what it returned; the other project's is separate.
        var log = (await EnvelopeAsync(await client.GetAsync("/research/v1/log?limit=100"))).Data.GetProperty("entries");
        Assert.Contains(log.EnumerateArray(), e => e.GetProperty("search_id").GetString() == searchId && e.GetProperty("row_count").GetInt32() == 10
            && e.GetProperty("result_sha256").GetString()!.Length == 64 && e.GetProperty("fields").EnumerateArray().Any(f => f.GetString() == "hashtag_names"));
        // Each entry names the member and the query as run; the hash is of what was returned, so the re-run of the first page
        // (same snapshot, same items) logs the first page's hash and the second page another one.
        long memberId;
        await using (var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
            memberId = db.Set<Bulwark.Core.Reports.Research.ResearchMemberRow>().Single(m => m.ClientId == clientId).Id;
        var ofSearch = log.EnumerateArray().Where(e => e.GetProperty("search_id").GetString() == searchId).Reverse().ToList(); // oldest first
        Assert.Equal(4, ofSearch.Count); // the first page of 10, pages of 10 and 5, then the re-run of the first
        Assert.All(ofSearch, e => Assert.Equal(memberId, e.GetProperty("member_id").GetInt64()));
        Assert.All(ofSearch, e => Assert.Contains("region_code", e.GetProperty("query").GetRawText()));
        Assert.Equal(ofSearch[0].GetProperty("result_sha256").GetString(), ofSearch[^1].GetProperty("result_sha256").GetString());
        Assert.NotEqual(ofSearch[0].GetProperty("result_sha256").GetString(), ofSearch[1].GetProperty("result_sha256").GetString());
        var otherLog = (await EnvelopeAsync(await other.GetAsync("/research/v1/log?limit=100"))).Data.GetProperty("entries");
        Assert.DoesNotContain(otherLog.EnumerateArray(), e => e.GetProperty("search_id").GetString() == searchId);
        Assert.Equal(1, otherLog.GetArrayLength()); // its one search, a single page
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deleted_content_and_objections_leave_every_later_answer_even_within_a_search(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (_, client, _, _) = await s.ProjectAsync();
        var first = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query?fields=text", Query(maxCount: 100)))).Data;
        Assert.Equal(30, first.GetProperty("items").GetArrayLength());
        var searchId = first.GetProperty("search_id").GetString();
        var ids = (await PageAllAsync(client, Query(maxCount: 100), "id,text")).ToDictionary(i => i.GetProperty("text").GetString()!, i => i.GetProperty("id").GetString()!);
        var (deleted, objected) = (ids["caption 0 about pasta"], ids["caption 1 about football"]);
        foreach (var id in new[] { "pub-00", "pub-01" }) await s.Host.WaitForStatusAsync(id);
        var decisionWindow = Query(maxCount: 100, start: "20260310", end: "20260310");
        var decided = (await PageAllAsync(client, decisionWindow, "content_id", "moderation_decisions")).Select(d => d.GetProperty("content_id").GetString()).ToList();
        Assert.Contains(deleted, decided);
        Assert.Contains(objected, decided);

        Assert.True((await s.Host.Admin.PostAsJsonAsync("/api/v1/content/pub-00/deleted", new { reason = "deleted by its author" })).IsSuccessStatusCode);
        var objection = await s.Host.Admin.PostAsJsonAsync("/api/v1/research/objections", new { accountId = "acct-adult-1" }); // pub-01, 04, 07, …: 10 items
        Assert.True(objection.IsSuccessStatusCode, await objection.Content.ReadAsStringAsync());
        var bad = await s.Host.Admin.PostAsJsonAsync("/api/v1/research/objections", new { accountId = "a", contentId = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var again = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 100, searchId: searchId)))).Data;
        var texts = again.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()).ToList();
        Assert.Equal(19, texts.Count);
        Assert.DoesNotContain("caption 0 about pasta", texts);
        Assert.DoesNotContain("caption 1 about football", texts);
        Assert.Equal(19, (await PageAllAsync(client, Query(maxCount: 100), "text")).Count);

        // Their decisions leave moderation_decisions too, and the items leave the aggregates.
        var decidedAfter = (await PageAllAsync(client, decisionWindow, "content_id", "moderation_decisions")).Select(d => d.GetProperty("content_id").GetString()).ToList();
        Assert.DoesNotContain(deleted, decidedAfter);
        Assert.DoesNotContain(objected, decidedAfter);
        var counted = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/aggregate",
            new { start_date = "20260301", end_date = "20260305", group_by = new[] { "create_month" } }))).Data;
        Assert.Equal(19, counted.GetProperty("total").GetInt64());

        // The approval and the objection are in the audit log, and the refused objection is not.
        await using var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        var audited = db.AuditEntries.Where(e => e.Action.StartsWith("research.")).Select(e => new { e.Action, e.Subject }).ToList();
        Assert.Single(audited, e => e.Action == "research.project.approved");
        Assert.Equal(["account:acct-adult-1"], audited.Where(e => e.Action == "research.objection.recorded").Select(e => e.Subject));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Aggregates_suppress_small_cells_and_their_complements_and_moderation_data_is_queryable(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (_, client, _, _) = await s.ProjectAsync();

        // IT 25, GB 5: GB is below the floor, and IT would give it away from the total (30), so IT is suppressed too.
        var (status, code, _, data) = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/aggregate",
            new { start_date = "20260301", end_date = "20260305", group_by = new[] { "region_code" } }));
        Assert.Equal((HttpStatusCode.OK, "ok"), (status, code));
        Assert.Equal(30, data.GetProperty("total").GetInt64());
        Assert.Equal(10, data.GetProperty("floor").GetInt32());
        Assert.All(data.GetProperty("cells").EnumerateArray(), c => Assert.True(c.GetProperty("suppressed").GetBoolean()));
        Assert.All(data.GetProperty("cells").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("count").ValueKind));

        // By hashtag-free field with cells all above the floor: published as is.
        var byMonth = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/aggregate",
            new { start_date = "20260301", end_date = "20260305", group_by = new[] { "create_month" }, query = new { and = new[] { Cond("region_code", "EQ", "IT") } } }))).Data;
        Assert.Equal(25, byMonth.GetProperty("cells")[0].GetProperty("count").GetInt64());

        // The pipeline decides every item; its decisions on public content by adults are queryable, with the content's pseudonym.
        foreach (var id in new[] { "pub-00", "pub-29", "minor-1" }) await s.Host.WaitForStatusAsync(id);
        var decisions = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/moderation_decisions/query?fields=content_id,outcome,automated,has_statement",
            Query(maxCount: 100, start: "20260310", end: "20260310")))).Data.GetProperty("items");
        var contentIds = (await PageAllAsync(client, Query(maxCount: 100), "id")).Select(i => i.GetProperty("id").GetString()).ToHashSet();
        Assert.True(decisions.GetArrayLength() >= 2);
        Assert.All(decisions.EnumerateArray(), d => Assert.Contains(d.GetProperty("content_id").GetString(), contentIds));

        var enforcement = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/enforcement_figures/aggregate",
            new { start_date = "20260310", end_date = "20260310", group_by = new[] { "outcome", "automated" } }));
        Assert.Equal("ok", enforcement.Code);
        Assert.True(enforcement.Data.TryGetProperty("row_totals", out _));
        var banks = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/hash_bank_statistics/aggregate", new { group_by = new[] { "signal_type" } }));
        Assert.Equal("ok", banks.Code);
        var entities = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/designated_entities/query", new { max_count = 10 }));
        Assert.Equal("ok", entities.Code);
    }

    /// <summary>The floor is configurable: at 5, the GB cell (5) and IT (25) are published where the default 10 hides both.</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_suppression_floor_is_configurable(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider, new() { ["Bulwark:Research:SuppressionFloor"] = "5" });
        await s.SeedContentAsync();
        var (_, client, _, _) = await s.ProjectAsync();
        var data = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/aggregate",
            new { start_date = "20260301", end_date = "20260305", group_by = new[] { "region_code" } }))).Data;
        Assert.Equal(5, data.GetProperty("floor").GetInt32());
        var cells = data.GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("keys").GetProperty("region_code").GetString()!, c => c.GetProperty("count").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["GB"] = 5, ["IT"] = 25 }, cells);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Vetting_narrows_rejects_and_publishes_with_reasons_and_a_narrowed_grant_is_enforced(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var narrowedId = await s.ApplyAsync();
        var noReason = await s.PolicyAdmin.PostAsJsonAsync($"/api/v1/research/projects/{narrowedId}/decision", new { decision = "reject" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var widened = await s.PolicyAdmin.PostAsJsonAsync($"/api/v1/research/projects/{narrowedId}/decision",
            new { decision = "narrow", reason = "r", grant = new Dictionary<string, string[]> { ["content"] = ["id", "not_a_field"] } });
        Assert.Equal(HttpStatusCode.BadRequest, widened.StatusCode);
        var narrowed = await s.DecideAsync(narrowedId, new { decision = "narrow", reason = "text is not needed for the stated question",
            grant = new Dictionary<string, string[]> { ["content"] = ["id", "region_code", "create_date"] } });
        Assert.True(narrowed.GetProperty("narrowed").GetBoolean());
        var rejectedId = await s.ApplyAsync();
        await s.DecideAsync(rejectedId, new { decision = "reject", reason = "no safeguards described" });
        var twice = await s.PolicyAdmin.PostAsJsonAsync($"/api/v1/research/projects/{rejectedId}/decision", new { decision = "approve", reason = "changed my mind" });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Host.Client(await s.Host.KeyAsync("read")).GetAsync("/api/v1/research/projects")).StatusCode);

        var (clientId, secret) = await s.AddMemberAsync(narrowedId);
        var client = await s.ClientAsync(clientId, secret);
        var text = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query?fields=id,text", Query()));
        Assert.Equal((HttpStatusCode.Forbidden, "scope_not_authorized"), (text.Status, text.Code));
        Assert.Contains("'text'", text.Message);
        var filter = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query?fields=id", Query(new { and = new[] { Cond("keyword", "EQ", "pasta") } })));
        Assert.Equal("scope_not_authorized", filter.Code); // filtering on an ungranted field would leak it
        var dataset = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/moderation_decisions/query", Query()));
        Assert.Equal("scope_not_authorized", dataset.Code);
        var ok = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query()));
        Assert.Equal(["create_date", "id", "region_code"], ok.Data.GetProperty("items")[0].EnumerateObject().Select(p => p.Name).Order());

        // Members: a principal and at most 9 collaborators.
        for (var i = 0; i < 9; i++) await s.AddMemberAsync(narrowedId, $"collaborator {i}");
        Assert.Equal(HttpStatusCode.BadRequest, (await s.PolicyAdmin.PostAsJsonAsync($"/api/v1/research/projects/{narrowedId}/members", new { name = "one too many" })).StatusCode);

        var register = (await EnvelopeAsync(await s.Anonymous.GetAsync("/research/v1/projects"))).Data;
        Assert.Equal([narrowedId], register.EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
        Assert.DoesNotContain("ada@example.invalid", register.GetRawText());

        var audit = await s.Host.Admin.GetAsync("/api/v1/audit/verify");
        Assert.True(audit.IsSuccessStatusCode);
        await using var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        var actions = db.AuditEntries.Where(e => e.Action.StartsWith("research.")).Select(e => e.Action).ToList();
        Assert.Contains("research.project.narrowed", actions);
        Assert.Contains("research.project.rejected", actions);
        Assert.Equal(10, actions.Count(a => a == "research.member.added"));
        Assert.Equal(2, actions.Count(a => a == "research.project.applied"));
        var roles = db.Set<Bulwark.Core.Reports.Research.ResearchMemberRow>().Where(m => m.ProjectId == narrowedId).OrderBy(m => m.Id).Select(m => m.Role).ToList();
        Assert.Equal(["principal", .. Enumerable.Repeat("collaborator", 9)], roles);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_catalogue_is_public_and_has_its_own_OpenAPI_document(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        var (status, code, _, data) = await EnvelopeAsync(await s.Anonymous.GetAsync("/research/v1/catalogue"));
        Assert.Equal((HttpStatusCode.OK, "ok"), (status, code));
        Assert.Equal(["content", "moderation_decisions", "designated_entities", "hash_bank_statistics", "enforcement_figures"],
            data.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        var field = data.GetProperty("datasets")[0].GetProperty("fields").EnumerateArray().First(f => f.GetProperty("name").GetString() == "account_id");
        Assert.Equal(("pseudonymised", "string"), (field.GetProperty("sensitivity").GetString(), field.GetProperty("type").GetString()));
        Assert.True(field.GetProperty("changelog").GetArrayLength() > 0);
        Assert.Equal(["query", "query", "query", "aggregate", "aggregate"], data.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("modality").GetString()));
        Assert.All(data.GetProperty("datasets").EnumerateArray(), d => Assert.NotEmpty(d.GetProperty("changelog").EnumerateArray()));

        var research = await s.Anonymous.GetStringAsync("/openapi/research.json");
        Assert.Contains("/research/v1/{dataset}/query", research);
        Assert.Contains("/research/v1/oauth/token", research);
        var main = await s.Anonymous.GetStringAsync("/openapi/v1.json");
        Assert.DoesNotContain("/research/v1/", main);
    }

    /// <param name="whileIndexCatchesUp">Ask for the first page again while the answer is <c>index_catching_up</c> (a process that
    /// is still writing, like <c>--demo</c>'s history, can put the index behind again between two requests).</param>
    internal static async Task<List<JsonElement>> PageAllAsync(HttpClient client, object query, string fields, string dataset = "content", bool whileIndexCatchesUp = false)
    {
        var items = new List<JsonElement>();
        var body = (Dictionary<string, object?>)query;
        var (status, code, message, data) = await EnvelopeAsync(await client.PostAsJsonAsync($"/research/v1/{dataset}/query?fields={fields}", body));
        if (whileIndexCatchesUp && code == "index_catching_up")
            await Eventually.UntilAsync(async () =>
            {
                (status, code, message, data) = await EnvelopeAsync(await client.PostAsJsonAsync($"/research/v1/{dataset}/query?fields={fields}", body));
                return code != "index_catching_up";
            });
        Assert.True(code == "ok", $"{status} {code}: {message}");
        while (true)
        {
            items.AddRange(data.GetProperty("items").EnumerateArray());
            if (!data.GetProperty("has_more").GetBoolean()) return items;
            var next = new Dictionary<string, object?>(body) { ["search_id"] = data.GetProperty("search_id").GetString(), ["cursor"] = data.GetProperty("cursor").GetInt32() };
            (status, code, message, data) = await EnvelopeAsync(await client.PostAsJsonAsync($"/research/v1/{dataset}/query", next));
            Assert.True(code == "ok", $"{status} {code}: {message}");
        }
    }
}
