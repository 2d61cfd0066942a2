using Bulwark.Core.Actions;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Actions;

public class ActionOutboxTests
{
    private static PlatformAction Remove(string key) =>
        new("content.remove", "content", "video-1", "VE-GLORIFY", null, key, new Dictionary<string, string> { ["reason"] = "test" });

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_action_commits_with_its_unit_of_work_once_per_key(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var outbox = core.Get<IActionOutbox>();
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            outbox.Enqueue(db, Remove("decision-1-content.remove"));
            outbox.Enqueue(db, Remove("decision-1-content.remove"));
            outbox.Enqueue(db, Remove("decision-2-content.remove"));
            await db.SaveChangesAsync();
        }
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var rows = await db.Set<ActionRow>().OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(["decision-1-content.remove", "decision-2-content.remove"], rows.Select(r => r.IdempotencyKey));
            Assert.Equal("{\"reason\":\"test\"}", rows[0].DetailsJson);
            Assert.Equal(core.Clock.GetUtcNow(), rows[0].CreatedAt);
        }
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            // A replayed cause in a later transaction is refused by the unique key, so the caller knows it is already done.
            outbox.Enqueue(db, Remove("decision-1-content.remove"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    [Fact]
    public async Task A_discarded_unit_of_work_leaves_no_action()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await using (var db = core.Get<IBulwarkDbFactory>().Create()) core.Get<IActionOutbox>().Enqueue(db, Remove("k"));
        await using (var db = core.Get<IBulwarkDbFactory>().Create()) Assert.Equal(0, await db.Set<ActionRow>().CountAsync());
    }

    [Theory]
    [InlineData("", "content")]
    [InlineData("k", "user")]
    public async Task Malformed_actions_are_refused(string key, string target)
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var e = Assert.Throws<ArgumentException>(() => core.Get<IActionOutbox>().Enqueue(db, Remove(key) with { TargetType = target }));
        Assert.Contains(key == "" ? "idempotency key" : "'user'", e.Message);
    }
}
