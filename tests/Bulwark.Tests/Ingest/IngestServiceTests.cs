using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Ingest;

public class IngestServiceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Same_id_and_content_is_not_stored_twice_but_changed_content_is_a_new_version(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var ingest = core.Get<IngestService>();
        ContentEvent Event(string text) => new() { Id = "item-1", Kind = "text", Text = text, Hashtags = ["a", "b"] };

        Assert.Equal(IngestStatus.Accepted, (await ingest.AcceptOneAsync(Event("first"), null, default)).Status);
        var again = await ingest.AcceptOneAsync(Event("first"), null, default);
        Assert.Equal(IngestStatus.Existing, again.Status);
        Assert.Equal(1, again.Version);
        var changed = await ingest.AcceptOneAsync(Event("second"), null, default);
        Assert.Equal((IngestStatus.Accepted, 2), (changed.Status, changed.Version));
        var back = await ingest.AcceptOneAsync(Event("first"), null, default);
        Assert.Equal((IngestStatus.Existing, 1), (back.Status, back.Version));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal([1, 2], await db.ContentVersions.Where(v => v.ContentId == "item-1").Select(v => v.Version).OrderBy(v => v).ToListAsync());
        Assert.Equal(2, await db.WorkItems.CountAsync());
        Assert.Equal(2, (await db.ContentItems.SingleAsync()).LatestVersion);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_bad_item_in_a_batch_never_blocks_the_others_and_nothing_of_it_is_stored(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var outcomes = await core.Get<IngestService>().AcceptManyAsync(
        [
            new ContentEvent { Id = "ok-1", Kind = "text", Text = "fine" },
            new ContentEvent { Id = "bad", Kind = "hologram" },
            new ContentEvent { Id = "ok-1", Kind = "text", Text = "a duplicate inside the batch" },
            new ContentEvent { Id = "ok-2", Kind = "comment", ParentId = "ok-1", Text = "also fine" },
        ], default);
        Assert.Equal([IngestStatus.Accepted, IngestStatus.Rejected, IngestStatus.Rejected, IngestStatus.Accepted], outcomes.Select(o => o.Status));
        Assert.Equal("kind", Assert.Single(outcomes[1].Errors).Field);
        Assert.Contains("more than once in this batch (first at index 0)", Assert.Single(outcomes[2].Errors).Message);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(["ok-1", "ok-2"], await db.ContentItems.Select(i => i.Id).OrderBy(i => i).ToListAsync());
        Assert.Equal("fine", (await db.ContentVersions.SingleAsync(v => v.ContentId == "ok-1")).EventJson.Split("\"text\":\"")[1].Split('"')[0]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Concurrent_submissions_of_one_new_id_settle_into_consistent_versions(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var ingest = core.Get<IngestService>();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => ingest.AcceptOneAsync(new ContentEvent { Id = "race", Kind = "text", Text = $"v{i % 2}" }, null, default))));
        Assert.All(outcomes, o => Assert.NotEqual(IngestStatus.Rejected, o.Status));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var versions = await db.ContentVersions.Where(v => v.ContentId == "race").ToListAsync();
        Assert.Equal(2, versions.Count); // two distinct texts → two versions, however the six requests interleaved
        Assert.Equal(2, versions.Select(v => v.Fingerprint).Distinct().Count());
    }
}
