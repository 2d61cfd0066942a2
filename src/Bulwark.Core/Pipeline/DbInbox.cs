using Bulwark.Core.Storage;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// The inbox as rows of <c>work_items</c>, inserted in the caller's transaction. The database queue claims these rows itself;
/// a broker queue's relay publishes them and deletes them once the broker has them (so with a broker they are an outbox).
/// </summary>
public sealed class DbInbox : IWorkInbox
{
    private static readonly string[] Columns = ["ContentVersionId", "Attempts", "AvailableAt", "LeaseOwner", "LeaseUntil", "DeadLettered", "LastError", "EnqueuedAt", "DeadLetteredAt"];

    public async Task AddAsync(BulwarkDbContext db, IReadOnlyList<long> contentVersionIds, DateTimeOffset now, CancellationToken ct)
    {
        if (contentVersionIds.Count == 0) return;
        var nowMs = now.ToUnixTimeMilliseconds();
        var rows = new List<WorkItem>(contentVersionIds.Count);
        foreach (var id in contentVersionIds) rows.Add(new WorkItem { ContentVersionId = id, AvailableAt = nowMs, EnqueuedAt = now });
        await BulkInsert.InsertAsync(db, rows, Columns, null, ct);
    }
}
