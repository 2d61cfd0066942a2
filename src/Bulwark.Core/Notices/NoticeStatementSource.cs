using Bulwark.Core.Ingest;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Notices;

/// <summary>
/// A restriction confirmed on a case that notices joined states their source: a trusted flagger's notice (the organisation
/// named as <c>source_identity</c>) before an ordinary one (<c>SOURCE_ARTICLE_16</c>; a private notifier is never named).
/// </summary>
public sealed class NoticeStatementSource : IStatementNoticeSource
{
    public async Task<EventSource?> SourceForAsync(BulwarkDbContext db, long decisionId, CancellationToken ct)
    {
        var notices = await db.Set<NoticeRow>().AsNoTracking().Where(n => n.DecisionId == decisionId && n.Status != NoticeStatus.NotProcessed)
            .Select(n => new { n.Id, n.Source, n.TrustedFlaggerId }).ToListAsync(ct);
        if (notices.Count == 0) return null;
        var flagged = notices.Where(n => n.TrustedFlaggerId != null).OrderBy(n => n.Id).FirstOrDefault();
        if (flagged is not null)
        {
            var name = await db.Set<TrustedFlaggerRow>().AsNoTracking().Where(f => f.Id == flagged.TrustedFlaggerId).Select(f => f.Organisation).FirstOrDefaultAsync(ct);
            return new EventSource { Type = NoticeSources.TrustedFlagger, Name = name, Reference = $"notice-{flagged.Id}" };
        }
        return new EventSource { Type = NoticeSources.UserReport, Reference = $"notice-{notices.Min(n => n.Id)}" };
    }
}
