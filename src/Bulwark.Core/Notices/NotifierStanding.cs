using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Notices;

public enum StandingError { None, NotFound, Invalid, Conflict }

public sealed record StandingResult(StandingError Error, string? Message, NotifierMeasureRow? Measure = null)
{
    public bool Ok => Error == StandingError.None;
}

/// <summary>
/// DSA Art. 23(2): a notifier whose notices are often manifestly unfounded is warned first and then has the processing of
/// their notices suspended for a limited time. A person marks a decided notice manifestly unfounded; the counts over
/// <see cref="NoticeOptions.UnfoundedWindowDays"/> decide the measure; every measure is recorded, audited, sent to the
/// notifier, and can be appealed and lifted.
/// </summary>
public sealed class NotifierStanding(IBulwarkDbFactory dbs, NoticeOptions options, AuditLog audit, TimeProvider clock, NotifierMessages messages)
{
    public const int MaxReason = 1000;

    public async Task<DateTimeOffset?> SuspendedUntilAsync(BulwarkDbContext db, string notifierKey, DateTimeOffset now, CancellationToken ct)
    {
        var untils = await db.Set<NotifierMeasureRow>().AsNoTracking()
            .Where(m => m.NotifierKey == notifierKey && m.Kind == NotifierMeasureKind.Suspension && m.LiftedAt == null)
            .Select(m => m.Until).ToListAsync(ct);
        var active = untils.Where(u => u > now).ToList();
        return active.Count == 0 ? null : active.Max();
    }

    /// <summary>Marks a decided notice that led to no action as manifestly unfounded and applies the measure the count now calls for.</summary>
    public async Task<StandingResult> MarkUnfoundedAsync(long noticeId, string actor, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) return new(StandingError.Invalid, "reason is required: say why the notice is manifestly unfounded");
        if (reason.Length > MaxReason) return new(StandingError.Invalid, $"reason must be at most {MaxReason} characters");
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var n = await db.Set<NoticeRow>().FirstOrDefaultAsync(x => x.Id == noticeId, ct);
        if (n is null) return new(StandingError.NotFound, $"There is no notice {noticeId}.");
        if (n.Status != NoticeStatus.Decided || n.Outcome != NoticeOutcome.NoAction)
            return new(StandingError.Conflict, $"Notice {noticeId} is {n.Status}{(n.Outcome is null ? "" : ", " + n.Outcome)}: only a notice decided with no action can be found manifestly unfounded.");
        if (n.ManifestlyUnfounded) return new(StandingError.Conflict, $"Notice {noticeId} is already marked manifestly unfounded.");
        if (n.NotifierKey is null) return new(StandingError.Conflict, $"Notice {noticeId} was sent anonymously: there is no notifier to warn or suspend.");
        var now = clock.GetUtcNow();
        n.ManifestlyUnfounded = true;
        n.UnfoundedBy = actor;
        n.UnfoundedAt = now;
        await db.SaveChangesAsync(ct);
        var records = new List<AuditRecord> { new(actor, "notice.unfounded", $"notice:{n.Id}", n.Outcome, $"manifestly unfounded; notifier {n.NotifierKey}", reason.Trim()) };

        var since = now.AddDays(-options.UnfoundedWindowDays);
        var marks = (await db.Set<NoticeRow>().AsNoTracking().Where(x => x.NotifierKey == n.NotifierKey && x.ManifestlyUnfounded).Select(x => x.UnfoundedAt).ToListAsync(ct))
            .Count(t => t >= since);
        var measures = (await db.Set<NotifierMeasureRow>().AsNoTracking().Where(m => m.NotifierKey == n.NotifierKey && m.LiftedAt == null).ToListAsync(ct))
            .Where(m => m.ImposedAt >= since).ToList();
        var warned = measures.Any(m => m.Kind == NotifierMeasureKind.Warning);
        var suspended = measures.Any(m => m.Kind == NotifierMeasureKind.Suspension && m.Until > now);
        NotifierMeasureRow? measure = null;
        if (!warned && marks >= options.WarnAfterUnfounded)
            measure = new() { NotifierKey = n.NotifierKey, Kind = NotifierMeasureKind.Warning, ImposedAt = now, ImposedBy = actor,
                Reason = $"{marks} manifestly unfounded notices in {options.UnfoundedWindowDays} days (warning at {options.WarnAfterUnfounded})" };
        else if (warned && !suspended && marks >= options.SuspendAfterUnfounded)
            measure = new() { NotifierKey = n.NotifierKey, Kind = NotifierMeasureKind.Suspension, ImposedAt = now, ImposedBy = actor, Until = now.AddDays(options.SuspensionDays),
                Reason = $"{marks} manifestly unfounded notices in {options.UnfoundedWindowDays} days after a warning (suspension at {options.SuspendAfterUnfounded}, {options.SuspensionDays} days)" };
        if (measure is not null)
        {
            db.Set<NotifierMeasureRow>().Add(measure);
            await db.SaveChangesAsync(ct);
            db.Set<NotifierDeliveryRow>().Add(messages.Measure(n, measure, marks, now));
            records.Add(new(actor, "notifier." + measure.Kind, $"notifier:{n.NotifierKey}", null, measure.Reason + (measure.Until is { } u ? $"; until {u:yyyy-MM-dd}" : "")));
        }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, records, ct);
        await tx.CommitAsync(ct);
        return new(StandingError.None, null, measure);
    }

    /// <summary>The notifier contests a warning or suspension (recorded; a person decides it with <see cref="DecideAppealAsync"/>).</summary>
    public async Task<StandingResult> AppealAsync(long measureId, string? reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) return new(StandingError.Invalid, "reason is required: the notifier's grounds");
        if (reason.Length > 2000) return new(StandingError.Invalid, "reason must be at most 2000 characters");
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var m = await db.Set<NotifierMeasureRow>().FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return new(StandingError.NotFound, $"There is no notifier measure {measureId}.");
        if (m.AppealedAt is not null) return new(StandingError.Conflict, $"Measure {measureId} is already appealed.");
        m.AppealedAt = clock.GetUtcNow();
        m.AppealReason = reason.Trim();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "notifier.appealed", $"notifier-measure:{m.Id}", m.Kind, "appeal received", m.AppealReason)], ct);
        await tx.CommitAsync(ct);
        return new(StandingError.None, null, m);
    }

    /// <summary>Decides an appealed measure: lifted (it ends now) or upheld. Audited with the reason.</summary>
    public async Task<StandingResult> DecideAppealAsync(long measureId, bool lift, string? reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) return new(StandingError.Invalid, "reason is required: the reasons given to the notifier");
        if (reason.Length > MaxReason) return new(StandingError.Invalid, $"reason must be at most {MaxReason} characters");
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var m = await db.Set<NotifierMeasureRow>().FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return new(StandingError.NotFound, $"There is no notifier measure {measureId}.");
        if (m.AppealedAt is null) return new(StandingError.Conflict, $"Measure {measureId} has not been appealed.");
        if (m.AppealOutcome is not null) return new(StandingError.Conflict, $"The appeal of measure {measureId} is already decided ({m.AppealOutcome}).");
        m.AppealOutcome = lift ? "lifted" : "upheld";
        m.AppealDecidedBy = actor;
        if (lift) m.LiftedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "notifier.appeal_decided", $"notifier-measure:{m.Id}", m.Kind, m.AppealOutcome, reason.Trim())], ct);
        await tx.CommitAsync(ct);
        return new(StandingError.None, null, m);
    }
}
