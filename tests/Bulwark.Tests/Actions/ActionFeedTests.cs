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

public class ActionOrderingTests
{
    [Fact]
    public async Task On_postgres_a_later_action_transaction_waits_so_ids_follow_commit_order()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Postgres);
        var dbs = core.Get<IBulwarkDbFactory>();
        var outbox = core.Get<IActionOutbox>();
        await using var first = dbs.Create();
        await using var firstTx = await dbs.BeginWriteAsync(first, default);
        outbox.Enqueue(first, new PlatformAction("content.remove", "content", "v-1", null, null, "first"));
        await first.SaveChangesAsync(); // holds the ordering lock until commit

        var second = Task.Run(async () =>
        {
            await using var db = dbs.Create();
            outbox.Enqueue(db, new PlatformAction("content.remove", "content", "v-2", null, null, "second"));
            await db.SaveChangesAsync(); // implicit transaction: the interceptor opens and commits one around the lock
        });
        await Task.Delay(500);
        Assert.False(second.IsCompleted, "the second transaction should wait for the first to commit");
        var visible = await core.Get<ActionFeed>().PageAsync(null, 10, default);
        Assert.Empty(visible.Items); // nothing committed yet, so no reader can pass an id

        await firstTx.CommitAsync(default);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        var page = await core.Get<ActionFeed>().PageAsync(null, 10, default);
        Assert.Equal(["first", "second"], page.Items.Select(a => a.IdempotencyKey));
    }
}
