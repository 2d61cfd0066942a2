using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// The content status changes that follow queue events. They belong to the pipeline, not to the queue: a dead-lettered
/// version becomes <c>failed</c> (unless it was decided meanwhile), a retried one <c>queued</c> again.
/// </summary>
public sealed class PipelineStatus(IBulwarkDbFactory dbs)
{
    public async Task MarkFailedAsync(IReadOnlyList<WorkFailure> dead, CancellationToken ct)
    {
        if (dead.Count == 0) return;
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var errors = new Dictionary<long, string>();
        foreach (var f in dead) errors[f.Work.ContentVersionId] = f.Error;
        var ids = errors.Keys.ToList();
        var versions = await db.ContentVersions.Where(v => ids.Contains(v.Id) && v.Status != ContentStatus.Decided).ToListAsync(ct);
        foreach (var v in versions)
        {
            v.Status = ContentStatus.Failed;
            v.Error = DbDeadLetters.Clip(errors[v.Id]);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task MarkQueuedAsync(IReadOnlyList<long> contentVersionIds, CancellationToken ct)
    {
        if (contentVersionIds.Count == 0) return;
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        await db.ContentVersions.Where(v => contentVersionIds.Contains(v.Id) && v.Status == ContentStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, ContentStatus.Queued).SetProperty(v => v.Error, (string?)null), ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>Puts dead letters back in the queue and their versions back to <c>queued</c>; what the CLI and the admin API call.</summary>
public sealed class DeadLetterRetry(IWorkQueue queue, PipelineStatus status, WorkSignal signal)
{
    public async Task<int> RetryAsync(IReadOnlyCollection<long>? workItemIds, CancellationToken ct)
    {
        var versions = await queue.RetryDeadLettersAsync(workItemIds, ct);
        await status.MarkQueuedAsync(versions, ct);
        if (versions.Count > 0) signal.Notify();
        return versions.Count;
    }
}
