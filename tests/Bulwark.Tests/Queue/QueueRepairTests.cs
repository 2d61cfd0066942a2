using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Queue;

/// <summary><c>bulwark queue reenqueue</c>: undecided versions that lost their queue entry go back in the inbox, nothing else.</summary>
public class QueueRepairTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Only_old_undecided_versions_without_a_work_item_are_reenqueued_once_with_an_audit_entry(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var events = Enumerable.Range(0, 4).Select(i => new ContentEvent { Id = $"r{i}", Kind = "text", Text = $"text {i}" }).ToList();
        Assert.All(await core.Get<IngestService>().AcceptManyAsync(events, default), o => Assert.Equal(IngestStatus.Accepted, o.Status));
        var dbs = core.Get<IBulwarkDbFactory>();
        await using (var db = dbs.Create())
        {
            // r0: lost from the broker (no work item); r1: decided; r2: still has its work item; r3: lost, but too recent.
            var versions = await db.ContentVersions.OrderBy(v => v.ContentId).ToListAsync();
            await db.WorkItems.Where(w => w.ContentVersionId == versions[0].Id || w.ContentVersionId == versions[1].Id || w.ContentVersionId == versions[3].Id).ExecuteDeleteAsync();
            versions[1].Status = ContentStatus.Decided;
            versions[3].ReceivedAt = core.Clock.GetUtcNow().AddMinutes(50);
            await db.SaveChangesAsync();
        }
        core.Clock.Advance(TimeSpan.FromMinutes(61));
        var repair = core.Get<QueueRepair>();
        Assert.Single(await repair.FindStrandedAsync(TimeSpan.FromMinutes(60), 100, default));
        Assert.Equal(1, await repair.ReenqueueAsync(TimeSpan.FromMinutes(60), 100, "test", default));
        Assert.Equal(0, await repair.ReenqueueAsync(TimeSpan.FromMinutes(60), 100, "test", default)); // it has its work item now

        await using var read = dbs.Create();
        var r0 = await read.ContentVersions.SingleAsync(v => v.ContentId == "r0");
        Assert.Equal(1, await read.WorkItems.CountAsync(w => w.ContentVersionId == r0.Id && !w.DeadLettered));
        Assert.Equal(2, await read.WorkItems.CountAsync()); // r0 back, r2 as it was
        var entry = await read.AuditEntries.SingleAsync(e => e.Action == "queue.reenqueued");
        Assert.Contains(r0.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.After);

        // And the pipeline decides it like any other item.
        var claimed = await core.Get<IWorkQueue>().ClaimAsync("w", 10, default);
        Assert.Contains(claimed, c => c.ContentVersionId == r0.Id);
    }
}
