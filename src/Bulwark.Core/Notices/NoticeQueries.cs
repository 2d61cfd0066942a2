using Bulwark.Core.Actions.Review;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Notices;

/// <summary>A notice with what became of it: its flagger, its case, the messages sent and the measures on its notifier.</summary>
public sealed record NoticeDetail(NoticeRow Notice, TrustedFlaggerRow? Flagger, ReviewCaseRow? Case, IReadOnlyList<NotifierDeliveryRow> Deliveries,
    IReadOnlyList<NotifierMeasureRow> Measures, int UnfoundedCount);

/// <summary>Reads for the console and the API.</summary>
public sealed class NoticeQueries(IBulwarkDbFactory dbs)
{
    public async Task<IReadOnlyList<NoticeRow>> ListAsync(string? status, string? source, long? flaggerId, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<NoticeRow>().AsNoTracking();
        if (status is not null) q = q.Where(n => n.Status == status);
        if (source is not null) q = q.Where(n => n.Source == source);
        if (flaggerId is not null) q = q.Where(n => n.TrustedFlaggerId == flaggerId);
        return await q.OrderByDescending(n => n.Id).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(ct);
    }

    public async Task<NoticeDetail?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var n = await db.Set<NoticeRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return null;
        var flagger = n.TrustedFlaggerId is { } f ? await db.Set<TrustedFlaggerRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == f, ct) : null;
        var c = n.CaseId is { } caseId ? await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct) : null;
        var deliveries = await db.Set<NotifierDeliveryRow>().AsNoTracking().Where(d => d.NoticeId == id).OrderBy(d => d.Id).ToListAsync(ct);
        var measures = n.NotifierKey is null ? [] : await db.Set<NotifierMeasureRow>().AsNoTracking().Where(m => m.NotifierKey == n.NotifierKey).OrderBy(m => m.Id).ToListAsync(ct);
        var unfounded = n.NotifierKey is null ? 0 : await db.Set<NoticeRow>().AsNoTracking().CountAsync(x => x.NotifierKey == n.NotifierKey && x.ManifestlyUnfounded, ct);
        return new NoticeDetail(n, flagger, c, deliveries, measures, unfounded);
    }

    public async Task<IReadOnlyList<NotifierMeasureRow>> MeasuresAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<NotifierMeasureRow>().AsNoTracking().OrderByDescending(m => m.Id).Take(200).ToListAsync(ct);
    }
}
