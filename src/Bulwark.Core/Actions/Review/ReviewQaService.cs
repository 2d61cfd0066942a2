using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

public sealed record AgreementRow(string Key, int Compared, int Agreed)
{
    public double Rate => Compared == 0 ? 0 : (double)Agreed / Compared;
}

/// <summary>How often blind second reviews agreed with the first, in a period, per first reviewer and per policy.</summary>
public sealed record AgreementStatistics(DateTimeOffset Since, DateTimeOffset Until, int Compared, int Agreed, IReadOnlyList<AgreementRow> ByModerator, IReadOnlyList<AgreementRow> ByPolicy)
{
    public double Rate => Compared == 0 ? 0 : (double)Agreed / Compared;
}

/// <summary>QA figures, and the platform's report that content no longer exists upstream.</summary>
public sealed class ReviewQaService(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock)
{
    /// <summary>QA cases decided in [since, until), compared with the reviews they checked.</summary>
    public async Task<AgreementStatistics> AgreementAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var cases = db.Set<ReviewCaseRow>().AsNoTracking();
        var rows = await (from qa in cases
                          where qa.Queue == ReviewQueues.Qa && qa.Status == ReviewCaseStatus.Decided && qa.DecidedAt >= since && qa.DecidedAt < until && qa.QaAgrees != null
                          join first in cases on qa.SubjectCaseId equals first.Id
                          select new { first.DecidedBy, Policy = first.VerdictPolicy ?? qa.VerdictPolicy ?? first.Policy, Agrees = qa.QaAgrees!.Value }).ToListAsync(ct);
        static List<AgreementRow> By(IEnumerable<(string Key, bool Agrees)> xs) =>
            xs.GroupBy(x => x.Key).Select(g => new AgreementRow(g.Key, g.Count(), g.Count(x => x.Agrees))).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        return new AgreementStatistics(since, until, rows.Count, rows.Count(r => r.Agrees),
            By(rows.Select(r => (r.DecidedBy ?? "-", r.Agrees))), By(rows.Select(r => (r.Policy ?? "-", r.Agrees))));
    }

    /// <summary>
    /// Records that the platform deleted <paramref name="contentId"/> (audited). Case pages show it; a violation verdict then
    /// still records the account measures, and skips content actions with a note.
    /// </summary>
    public async Task<ReviewResult<bool>> MarkDeletedUpstreamAsync(string contentId, string? reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(contentId) || contentId.Length > 128) return ReviewResult<bool>.Fail(ReviewError.Invalid, ReviewCodes.Of(ReviewCodes.ContentIdInvalid, $"contentId is required (at most {128} characters)"));
        if (reason is { Length: > 500 }) return ReviewResult<bool>.Fail(ReviewError.Invalid, ReviewCodes.Of(ReviewCodes.DeletionReasonTooLong, $"reason must be at most {500} characters"));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await db.ContentItems.AnyAsync(i => i.Id == contentId, ct)) return ReviewResult<bool>.Fail(ReviewError.NotFound, ReviewCodes.Of(ReviewCodes.ContentNotFound, $"There is no content '{contentId}'."));
        if (await db.Set<UpstreamDeletionRow>().AnyAsync(x => x.ContentId == contentId, ct)) return ReviewResult<bool>.Success(false);
        db.Set<UpstreamDeletionRow>().Add(new UpstreamDeletionRow { ContentId = contentId, DeletedAt = clock.GetUtcNow(), Reason = reason, RecordedBy = actor });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "content.deleted_upstream", $"content:{contentId}", null, "deleted upstream", reason)], ct);
        await tx.CommitAsync(ct);
        return ReviewResult<bool>.Success(true);
    }
}
