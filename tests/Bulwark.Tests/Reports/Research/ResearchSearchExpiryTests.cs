using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Reports.Research.ResearchScenario;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// Search snapshots do not grow for ever: a cursor is forgotten <see cref="ResearchOptions.CursorDays"/> after its page was
/// served (a later request with it is refused and the search re-runs from cursor 0 to the same items), and a project's searches
/// go when the project ends. Time passes on the fake clock; the expiry job is run directly (its worker runs the same code on
/// the same clock).
/// </summary>
public sealed class ResearchSearchExpiryTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_expired_cursor_is_refused_and_the_search_re_runs_from_cursor_0_to_the_same_items(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (_, client, clientId, secret) = await s.ProjectAsync();
        var expiry = s.Host.Services.GetRequiredService<ResearchSearchExpiry>();
        var options = s.Host.Services.GetRequiredService<ResearchOptions>();

        var first = await OkAsync(client, Query(maxCount: 4));
        var searchId = first.GetProperty("search_id").GetString()!;
        var second = await OkAsync(client, Query(maxCount: 4, cursor: 4, searchId: searchId));
        Assert.Equal(8, second.GetProperty("cursor").GetInt32());

        // Just before the cursors' lifetime ends nothing is forgotten.
        s.Clock.Advance(TimeSpan.FromDays(options.CursorDays) - TimeSpan.FromMinutes(1));
        await expiry.RunAsync(default);
        client = await s.ClientAsync(clientId, secret); // the two-hour token has expired meanwhile
        await OkAsync(client, Query(maxCount: 4, cursor: 8, searchId: searchId));
        Assert.Equal(3, await CountAsync<ResearchSearchPageRow>(s));

        s.Clock.Advance(TimeSpan.FromMinutes(2));
        await expiry.RunAsync(default);
        // The positions of cursors 4 and 8 are gone (served over CursorDays ago); cursor 12's page was served a minute ago.
        Assert.Equal(1, await CountAsync<ResearchSearchPageRow>(s));
        var refused = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query", Query(maxCount: 4, cursor: 8, searchId: searchId)));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_param"), (refused.Status, refused.Code));
        Assert.Contains("expired", refused.Message);
        Assert.Contains("cursor 0", refused.Message);

        // The search itself lasts as long as the project: re-run from cursor 0, it gives the same items and cursors again.
        var again = await OkAsync(client, Query(maxCount: 4, cursor: 0, searchId: searchId));
        Assert.Equal(Ids(first), Ids(again));
        var againSecond = await OkAsync(client, Query(maxCount: 4, cursor: 4, searchId: searchId));
        Assert.Equal(Ids(second), Ids(againSecond));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_project_s_searches_and_cursors_are_removed_once_it_has_ended_and_others_are_kept(DatabaseProvider provider)
    {
        await using var s = await StartAsync(provider);
        await s.SeedContentAsync();
        var (ending, endingClient, _, _) = await s.ProjectAsync(new { endDate = "2026-03-11" });
        var (lasting, lastingClient, _, _) = await s.ProjectAsync();
        var expiry = s.Host.Services.GetRequiredService<ResearchSearchExpiry>();

        foreach (var client in new[] { endingClient, lastingClient })
        {
            var first = await OkAsync(client, Query(maxCount: 4));
            await OkAsync(client, Query(maxCount: 4, cursor: 4, searchId: first.GetProperty("search_id").GetString()));
        }
        await expiry.RunAsync(default);
        // Each project: one search and the cursors of its two pages.
        Assert.Equal(3, await SearchesOfAsync(s, ending));
        Assert.Equal(3, await SearchesOfAsync(s, lasting));

        // 2026-03-11 is the ending project's last day; on the 12th it has ended.
        s.Clock.Advance(TimeSpan.FromDays(1)); // 2026-03-11 10:00
        await expiry.RunAsync(default);
        Assert.Equal(3, await SearchesOfAsync(s, ending));
        s.Clock.Advance(TimeSpan.FromDays(1)); // 2026-03-12 10:00
        await expiry.RunAsync(default);
        Assert.Equal(0, await SearchesOfAsync(s, ending));
        Assert.Equal(3, await SearchesOfAsync(s, lasting));
    }

    private static async Task<JsonElement> OkAsync(HttpClient client, object query)
    {
        var (status, code, message, data) = await EnvelopeAsync(await client.PostAsJsonAsync("/research/v1/content/query?fields=id,text", query));
        Assert.True(code == "ok", $"{status} {code}: {message}");
        return data;
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();

    private static async Task<int> CountAsync<T>(ResearchScenario s) where T : class
    {
        await using var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        return await db.Set<T>().CountAsync();
    }

    /// <summary>The project's searches plus their cursors.</summary>
    private static async Task<int> SearchesOfAsync(ResearchScenario s, long projectId)
    {
        await using var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        var searches = db.Set<ResearchSearchRow>().Where(x => x.ProjectId == projectId);
        return await searches.CountAsync() + await db.Set<ResearchSearchPageRow>().CountAsync(p => searches.Any(x => x.SearchId == p.SearchId));
    }
}
