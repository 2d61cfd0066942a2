using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// Paging is keyset-based: a cursor names where the previous page of its search ended, not an offset. A page sequence returns
/// every row of the search's snapshot exactly once, while new content is ingested and indexed meanwhile and while rows that
/// were already returned leave the result (an OFFSET would then skip a row).
/// </summary>
public sealed partial class ResearchPagingTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_page_sequence_returns_every_snapshot_row_exactly_once_while_rows_arrive_and_leave(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (_, client, _, _) = await s.ProjectAsync();

        var first = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query?fields=text", Query(maxCount: 4)))).Data;
        var searchId = first.GetProperty("search_id").GetString()!;
        var seen = Texts(first);
        Assert.Equal(4, seen.Count);

        // From now on ingestion goes on while the researcher pages: public items on every day of the window, so each would sort before or
        // inside pages not yet read if the snapshot let them in.
        using var stop = new CancellationTokenSource();
        var ingested = 0;
        var ingest = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var n = ingested;
                var events = Enumerable.Range(0, 5).Select(d => Item($"new-{n + d}", "acct-adult-2", true, "public", "IT", 1 + d, $"arrived {n + d}", [])).ToArray();
                var response = await s.Host.Admin.PostAsJsonAsync("/api/v1/content/batch", new { events });
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                ingested += 5;
            }
        });


        // One item already returned leaves the result (its author deletes it), and so does one not yet returned (pub-29 is on
        // the window's last day, so it sorts last).
        Assert.True((await s.Host.Admin.PostAsJsonAsync($"/api/v1/content/pub-{Number(seen[0]):D2}/deleted", new { reason = "deleted by its author" })).IsSuccessStatusCode);
        Assert.True((await s.Host.Admin.PostAsJsonAsync("/api/v1/content/pub-29/deleted", new { reason = "deleted by its author" })).IsSuccessStatusCode);

        var cursor = first.GetProperty("cursor").GetInt32();
        var hasMore = first.GetProperty("has_more").GetBoolean();
        while (hasMore)
        {
            var (status, code, message, page) = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 4, cursor: cursor, searchId: searchId)));
            Assert.True(code == "ok", $"{status} {code}: {message}");
            seen.AddRange(Texts(page));
            Assert.Equal(seen.Count, page.GetProperty("cursor").GetInt32());
            cursor = page.GetProperty("cursor").GetInt32();
            hasMore = page.GetProperty("has_more").GetBoolean();
        }
        await stop.CancelAsync();
        await ingest;
        Assert.True(ingested > 0);

        Assert.Equal(seen.Count, seen.Distinct().Count()); // nothing twice
        Assert.All(seen, t => Assert.StartsWith("caption", t)); // nothing ingested after the search began
        var expected = Enumerable.Range(0, 29).Select(i => i).ToHashSet(); // every snapshot row but the deleted, unread pub-29
        Assert.Equal(expected, seen.Select(Number).ToHashSet());

        // A cursor the search never returned is refused, and so is a cursor without its search_id.
        var made = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 4, cursor: 5, searchId: searchId)));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_param"), (made.Status, made.Code));
        Assert.Contains("cursor 5", made.Message);
        var alone = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 4, cursor: 4)));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_param"), (alone.Status, alone.Code));
        Assert.Contains("search_id", alone.Message);

        // An earlier page asked for again starts where it started the first time.
        var again = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 4, cursor: 4, searchId: searchId)))).Data;
        Assert.Equal(seen.Skip(4).Take(4), Texts(again));
    }

    /// <summary>A sampled search (is_random) pages its permutation by keyset as well: every row once, and its search_id repeats the order.</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_random_sample_pages_every_row_once_and_repeats_its_order(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (_, client, _, _) = await s.ProjectAsync();
        var body = new Dictionary<string, object?> { ["start_date"] = "20260301", ["end_date"] = "20260305", ["max_count"] = 7, ["is_random"] = true };
        var pages = await ResearchQueryTests.PageAllAsync(client, body, "text");
        var texts = pages.Select(i => i.GetProperty("text").GetString()!).ToList();
        Assert.Equal(30, texts.Count);
        Assert.Equal(30, texts.Distinct().Count());
        Assert.NotEqual(texts.OrderBy(Number).ToList(), texts); // a permutation, not the key order

        // The search_id repeats the same sample in the same order.
        var first = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query?fields=text", body))).Data;
        var again = (await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query",
            new Dictionary<string, object?> { ["max_count"] = 7, ["search_id"] = first.GetProperty("search_id").GetString() }))).Data;
        Assert.Equal(Texts(first), Texts(again));
    }

    private static List<string> Texts(System.Text.Json.JsonElement data) =>
        data.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!).ToList();

    private static int Number(string caption) => int.Parse(CaptionNumber().Match(caption).Groups[1].Value);

    [GeneratedRegex(@"^caption (\d+) ")]
    private static partial Regex CaptionNumber();
}
