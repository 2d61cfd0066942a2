using Bulwark.Core.Actions;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Actions;

public class ActionFeedTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_feed_pages_every_action_once_in_id_order(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            for (var i = 0; i < 25; i++)
                core.Get<IActionOutbox>().Enqueue(db, new PlatformAction("account.strike", "account", $"acct-{i}", "VE-DOI", i, $"k-{i}"));
            await db.SaveChangesAsync();
        }
        var feed = core.Get<ActionFeed>();
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var page = await feed.PageAsync(cursor, 10, default);
            pages++;
            seen.AddRange(page.Items.Select(a => a.IdempotencyKey));
            Assert.True(page.Items.Zip(page.Items.Skip(1)).All(p => p.First.Id < p.Second.Id));
            cursor = page.NextCursor;
            if (!page.HasMore) break;
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"k-{i}"), seen);

        // Polling at the end keeps the cursor; a later action then appears.
        var empty = await feed.PageAsync(cursor, 10, default);
        Assert.Equal((0, cursor, false), (empty.Items.Count, empty.NextCursor, empty.HasMore));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            core.Get<IActionOutbox>().Enqueue(db, new PlatformAction("account.ban", "account", "acct-x", "VE-DOI", 99, "k-late"));
            await db.SaveChangesAsync();
        }
        Assert.Equal("k-late", Assert.Single((await feed.PageAsync(cursor, 10, default)).Items).IdempotencyKey);
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("MTIz")] // base64 of "123": well-formed base64, not ours
    public async Task Foreign_cursors_are_refused(string cursor)
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => core.Get<ActionFeed>().PageAsync(cursor, 10, default));
        Assert.Contains("not a cursor returned by this feed", e.Message);
    }

    [Fact]
    public void Cursors_round_trip_and_are_opaque()
    {
        var c = ActionFeed.Cursor(12345);
        Assert.DoesNotContain("12345", c);
        Assert.Equal(12345, ActionFeed.ParseCursor(c));
        Assert.Equal(0, ActionFeed.ParseCursor(null));
    }
}
