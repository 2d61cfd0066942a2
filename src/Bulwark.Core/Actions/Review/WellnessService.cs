using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

/// <summary>The media settings in force for a user: their own choices over the organisation defaults.</summary>
public sealed record WellnessPreferences(bool Blur, bool Greyscale, int BreakReminderMinutes, bool BlurIsDefault, bool GreyscaleIsDefault, bool BreakIsDefault);

/// <summary>A user's exposure on one day (UTC): cases decided, media revealed and for how long.</summary>
public sealed record ExposureSummary(DateOnly Day, int CasesDecided, int MediaRevealed, double SecondsRevealed);

/// <summary>How long the user has been reviewing without a break, and whether to remind them.</summary>
public sealed record ReviewStretch(TimeSpan Length, DateTimeOffset? StartedAt, DateTimeOffset? LastActivityAt, bool BreakDue, int BreakReminderMinutes);

/// <summary>
/// Wellness data behind the console: preferences, media reveals, daily exposure and the continuous review stretch. Activity
/// is what the database already records (decisions, reveals, claims); a gap of at least <see cref="ReviewOptions.PauseMinutes"/>
/// is a break.
/// </summary>
public sealed class WellnessService(IBulwarkDbFactory dbs, ReviewOptions options, TimeProvider clock)
{
    public const long MaxRevealMilliseconds = 24L * 3600 * 1000;

    public async Task<WellnessPreferences> PreferencesAsync(string user, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var p = await db.Set<ReviewPreferenceRow>().AsNoTracking().FirstOrDefaultAsync(x => x.UserName == user, ct);
        return new WellnessPreferences(p?.Blur ?? options.BlurMedia, p?.Greyscale ?? options.GreyscaleMedia, p?.BreakReminderMinutes ?? options.BreakReminderMinutes,
            p?.Blur is null, p?.Greyscale is null, p?.BreakReminderMinutes is null);
    }

    /// <summary>Stores the user's choices; a null field returns to the organisation default.</summary>
    public async Task<ReviewResult<WellnessPreferences>> SetPreferencesAsync(string user, bool? blur, bool? greyscale, int? breakReminderMinutes, CancellationToken ct)
    {
        if (breakReminderMinutes is < 5 or > 24 * 60)
            return ReviewResult<WellnessPreferences>.Fail(ReviewError.Invalid, "breakReminderMinutes must be between 5 and 1440");
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var p = await db.Set<ReviewPreferenceRow>().FirstOrDefaultAsync(x => x.UserName == user, ct);
        if (p is null) db.Set<ReviewPreferenceRow>().Add(p = new ReviewPreferenceRow { UserName = user });
        p.Blur = blur;
        p.Greyscale = greyscale;
        p.BreakReminderMinutes = breakReminderMinutes;
        p.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ReviewResult<WellnessPreferences>.Success(await PreferencesAsync(user, ct));
    }

    /// <summary>Records that <paramref name="user"/> revealed media <paramref name="mediaIndex"/> of a case for <paramref name="milliseconds"/>.</summary>
    public async Task<ReviewResult<bool>> RecordRevealAsync(string user, long caseId, int mediaIndex, long milliseconds, CancellationToken ct)
    {
        if (mediaIndex < 0) return ReviewResult<bool>.Fail(ReviewError.Invalid, "mediaIndex must be 0 or more");
        if (milliseconds is < 0 or > MaxRevealMilliseconds) return ReviewResult<bool>.Fail(ReviewError.Invalid, $"milliseconds must be between 0 and {MaxRevealMilliseconds}");
        await using var db = dbs.Create();
        if (!await db.Set<ReviewCaseRow>().AnyAsync(c => c.Id == caseId, ct)) return ReviewResult<bool>.Fail(ReviewError.NotFound, $"There is no case {caseId}.");
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        db.Set<MediaRevealRow>().Add(new MediaRevealRow { UserName = user, CaseId = caseId, MediaIndex = mediaIndex, Milliseconds = milliseconds, RevealedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ReviewResult<bool>.Success(true);
    }

    /// <summary>The user's exposure on <paramref name="day"/> (UTC; today when null).</summary>
    public async Task<ExposureSummary> ExposureAsync(string user, DateOnly? day, CancellationToken ct)
    {
        var d = day ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        await using var db = dbs.Create();
        var decided = await db.Set<ReviewCaseRow>().CountAsync(c => c.DecidedBy == user && c.DecidedAt >= from && c.DecidedAt < to, ct);
        var reveals = await db.Set<MediaRevealRow>().AsNoTracking().Where(r => r.UserName == user && r.RevealedAt >= from && r.RevealedAt < to)
            .Select(r => r.Milliseconds).ToListAsync(ct);
        return new ExposureSummary(d, decided, reveals.Count, reveals.Sum() / 1000.0);
    }

    /// <summary>The current continuous stretch: back from now through activity with no gap of a pause or more.</summary>
    public async Task<ReviewStretch> StretchAsync(string user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var pause = TimeSpan.FromMinutes(options.PauseMinutes);
        var since = now.AddHours(-24);
        await using var db = dbs.Create();
        var decided = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.DecidedBy == user && c.DecidedAt >= since).Select(c => c.DecidedAt!.Value).ToListAsync(ct);
        var claimed = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ClaimedBy == user && c.ClaimedAt >= since).Select(c => c.ClaimedAt!.Value).ToListAsync(ct);
        var revealed = await db.Set<MediaRevealRow>().AsNoTracking().Where(r => r.UserName == user && r.RevealedAt >= since).Select(r => r.RevealedAt).ToListAsync(ct);
        var minutes = (await PreferencesAsync(user, ct)).BreakReminderMinutes;
        var (start, last) = Stretch(decided.Concat(claimed).Concat(revealed), now, pause);
        var length = start is null ? TimeSpan.Zero : now - start.Value;
        return new ReviewStretch(length, start, last, length >= TimeSpan.FromMinutes(minutes), minutes);
    }

    /// <summary>Start and last activity of the stretch that is still going on at <paramref name="now"/>, or nulls after a break.</summary>
    public static (DateTimeOffset? Start, DateTimeOffset? Last) Stretch(IEnumerable<DateTimeOffset> activity, DateTimeOffset now, TimeSpan pause)
    {
        var times = activity.Where(t => t <= now).OrderDescending().ToList();
        if (times.Count == 0 || now - times[0] >= pause) return (null, times.Count == 0 ? null : times[0]);
        var start = times[0];
        foreach (var t in times.Skip(1))
        {
            if (start - t >= pause) break;
            start = t;
        }
        return (start, times[0]);
    }
}
