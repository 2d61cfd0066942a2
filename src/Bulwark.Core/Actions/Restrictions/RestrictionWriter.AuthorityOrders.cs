using Bulwark.Core.Pipeline;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Restrictions;

/// <summary>The decision an authority's removal order (Reg. 2021/784 Art. 3) is recorded on, for content the order names.</summary>
public sealed record AuthorityOrderDecision(string ContentId, string Policy, string Reference, string Explanation, string Actor);

public sealed partial class RestrictionWriter
{
    /// <summary>
    /// The decision a removal order's restriction is committed on (<see cref="CommitAsync"/> with
    /// <see cref="RestrictionSource.AuthorityOrder"/> then takes the measures, the statement of reasons and preservation):
    /// the content's latest version's decision when the pipeline has decided it; otherwise a decision recorded now for that
    /// version, in its own write transaction, which marks the version decided so the pipeline does not decide it again (a
    /// worker holding it finds it decided at commit and skips it). Returns null when the platform has no such content.
    /// Safe to repeat: a second call finds the decision the first recorded.
    /// </summary>
    public async Task<long?> DecisionForAuthorityOrderAsync(AuthorityOrderDecision order, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var version = await LatestVersionAsync(db, order.ContentId, ct);
        if (version is null) return null;
        if (await db.Decisions.AsNoTracking().Where(d => d.ContentVersionId == version.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct) is { } existing)
            return existing;
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        version = await LatestVersionAsync(db, order.ContentId, ct);
        if (await db.Decisions.AsNoTracking().Where(d => d.ContentVersionId == version!.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct) is { } raced)
            return raced;
        var now = clock.GetUtcNow();
        // 1. the decision (its measures are added by CommitAsync, which also records the statement of reasons and preservation)
        var row = new DecisionRow
        {
            ContentVersionId = version!.Id, ContentId = order.ContentId, Outcome = Outcomes.Remove, Explanation = order.Explanation,
            Automated = false, DecidedAt = now, Policy = order.Policy, Priority = "high",
        };
        db.Decisions.Add(row);
        var before = version.Status;
        await db.ContentVersions.Where(v => v.Id == version.Id).ExecuteUpdateAsync(u => u
            .SetProperty(v => v.Status, ContentStatus.Decided).SetProperty(v => v.DecidedAt, now).SetProperty(v => v.Error, (string?)null), ct);
        await db.SaveChangesAsync(ct);
        // 7. the audit entry
        await audit.AppendAsync(db, [new AuditRecord(order.Actor, "content.decided", $"content:{order.ContentId}#v{version.Version}", before,
            $"{Outcomes.Remove} (removal order {order.Reference})", Clip(order.Explanation))], ct);
        await tx.CommitAsync(ct);
        return row.Id;
    }

    private static Task<ContentVersion?> LatestVersionAsync(BulwarkDbContext db, string contentId, CancellationToken ct) =>
        db.ContentVersions.AsNoTracking().Where(v => v.ContentId == contentId).OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
}
