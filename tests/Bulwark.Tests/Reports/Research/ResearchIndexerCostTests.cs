using System.Net.Http.Json;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// What the read model costs the database under steady ingestion: each tick reads only the versions accepted since the last
/// one (never the same events again), and issues a small, constant number of commands whatever has been ingested before.
/// The background worker is switched off (no scheduler role) so that the ticks counted are the test's own; the counts are
/// the indexer's own (<see cref="ResearchIndexer.Commands"/>, <see cref="ResearchIndexer.EventsRead"/>).
/// </summary>
public sealed class ResearchIndexerCostTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Each_tick_reads_only_new_versions_with_a_constant_number_of_commands(DatabaseProvider provider)
    {
        await using var s = await ResearchScenario.StartAsync(provider, new() { ["Bulwark:Roles"] = "api,worker" });
        await s.SeedContentAsync();
        var host = s.Host.Services.GetRequiredService<IBulwarkDbFactory>();
        var indexer = s.Host.Services.GetRequiredService<ResearchIndexer>();
        await indexer.CatchUpAsync(default);
        var rowsAtStart = await CountRowsAsync(host);
        Assert.Equal(30, rowsAtStart);

        var perTick = new List<(long Events, long Rows, long Commands)>();
        for (var tick = 0; tick < 6; tick++)
        {
            // Each tick 12 items arrive: 6 public by adults, 3 private, 3 with no visibility at all.
            var events = Enumerable.Range(0, 12).Select(i => ResearchScenario.Item($"t{tick}-{i}", "acct-adult-0", true,
                (i % 4) switch { 0 or 1 => "public", 2 => "private", _ => null }, "IT", 1 + i % 5, $"tick {tick} item {i}", [])).ToArray();
            var response = await s.Host.Admin.PostAsJsonAsync("/api/v1/content/batch", new { events });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

            var (events0, rows0, commands0) = (indexer.EventsRead, indexer.RowsWritten, indexer.Commands);
            await indexer.CatchUpAsync(default);
            perTick.Add((indexer.EventsRead - events0, indexer.RowsWritten - rows0, indexer.Commands - commands0));
        }

        // 9 of each tick's 12 events carry a visibility and are read, each exactly once; the 3 without one are never read.
        Assert.All(perTick, t => Assert.Equal(9, t.Events));
        Assert.All(perTick, t => Assert.Equal(6, t.Rows));
        // State, window, events, rows, compare-and-set, save; then state and an empty window to find nothing more.
        Assert.All(perTick, t => Assert.Equal(8, t.Commands)); // the same every tick: not growing with what was ingested before
        Assert.Equal(rowsAtStart + 6 * 6, await CountRowsAsync(host));

        // A tick with nothing new reads no event and asks two cheap questions (the state and the next window).
        var (e1, c1) = (indexer.EventsRead, indexer.Commands);
        await indexer.CatchUpAsync(default);
        Assert.Equal(0, indexer.EventsRead - e1);
        Assert.Equal(2, indexer.Commands - c1);
    }

    private static async Task<int> CountRowsAsync(IBulwarkDbFactory dbs)
    {
        await using var db = dbs.Create();
        return await db.Set<ResearchContentRow>().CountAsync();
    }
}
