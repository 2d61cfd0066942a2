using System.Net.Http.Json;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// The read model holds only what the catalogue may serve: content marked public by an adult account. Everything else is not
/// copied (copying every accepted event cost the pipeline a quarter of its throughput), but a row it holds is corrected when a
/// later version takes the item out of public view.
/// </summary>
public sealed class ResearchIndexerTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Only_public_content_by_adults_is_copied_and_a_copied_row_follows_later_versions(DatabaseProvider provider)
    {
        await using var s = await ResearchScenario.StartAsync(provider);
        await s.SeedContentAsync();
        var indexer = s.Host.Services.GetRequiredService<ResearchIndexer>();
        await indexer.CatchUpAsync(default);

        await using (var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
        {
            var ids = await db.Set<ResearchContentRow>().Select(r => r.ContentId).OrderBy(i => i).ToListAsync();
            Assert.Equal(Enumerable.Range(0, 30).Select(i => $"pub-{i:D2}"), ids);
        }

        // pub-00 turns private; private-1 stays private in a new version (still not copied).
        var update = await s.Host.Admin.PostAsJsonAsync("/api/v1/content/batch", new
        {
            events = new[]
            {
                ResearchScenario.Item("pub-00", "acct-adult-0", adult: true, "private", "IT", 1, "now private", []),
                ResearchScenario.Item("private-1", "acct-adult-0", adult: true, "private", "IT", 2, "still private", []),
            },
        });
        Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());
        await indexer.CatchUpAsync(default);

        await using (var db = s.Host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
        {
            var row = await db.Set<ResearchContentRow>().SingleAsync(r => r.ContentId == "pub-00");
            Assert.False(row.IsPublic);
            Assert.Equal("now private", row.Text);
            Assert.False(await db.Set<ResearchContentRow>().AnyAsync(r => r.ContentId == "private-1"));
            Assert.Equal(30, await db.Set<ResearchContentRow>().CountAsync());
        }
    }
}
