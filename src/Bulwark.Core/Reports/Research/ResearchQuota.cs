using System.Globalization;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Reports.Research;

public enum QuotaRefusal { None, RateLimit, DailyRequests, DailyRecords }

/// <summary>Where a project stands: its daily request limit, what is left, and when the day resets.</summary>
public sealed record QuotaState(QuotaRefusal Refusal, int Limit, int Remaining, int RecordsRemaining, DateTimeOffset Reset, int RetryAfterSeconds);

/// <summary>
/// Requests and records per project per UTC day (reset at 00:00 UTC by the injected clock) and requests per minute. Every
/// count is a single conditional UPDATE (<c>… SET n = n + 1 WHERE n &lt; limit</c>), so concurrent requests on any number of
/// server instances never overshoot a limit.
/// </summary>
public sealed class ResearchQuota(IBulwarkDbFactory dbs, TimeProvider clock)
{
    private static string Day(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Minute(DateTimeOffset now) => "m:" + (now.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture);
    private static DateTimeOffset NextMidnight(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    /// <summary>Counts one request against the minute and the day, or refuses it (counting nothing for the day).</summary>
    public async Task<QuotaState> TakeRequestAsync(ResearchProjectRow project, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var day = Day(now);
        var minute = Minute(now);
        await using var db = dbs.Create();
        var usage = db.Set<ResearchUsageRow>();
        var perMinute = project.PerMinute;
        if (!await CountAsync(project.Id, minute, () => usage.Where(u => u.ProjectId == project.Id && u.Window == minute && u.Requests < perMinute)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Requests, u => u.Requests + 1), ct), ct))
            return await StateAsync(project, QuotaRefusal.RateLimit, (int)(60 - now.ToUnixTimeSeconds() % 60), ct);
        var daily = project.DailyRequests;
        if (!await CountAsync(project.Id, day, () => usage.Where(u => u.ProjectId == project.Id && u.Window == day && u.Requests < daily)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Requests, u => u.Requests + 1), ct), ct))
            return await StateAsync(project, QuotaRefusal.DailyRequests, SecondsToMidnight(now), ct);
        return await StateAsync(project, QuotaRefusal.None, 0, ct);
    }

    /// <summary>Reserves up to <paramref name="wanted"/> records of today's allowance; returns how many were granted (0 = none left).</summary>
    public async Task<int> ReserveRecordsAsync(ResearchProjectRow project, int wanted, CancellationToken ct)
    {
        var day = Day(clock.GetUtcNow());
        await EnsureAsync(project.Id, day, ct); // normally TakeRequestAsync has just created it: one cheap EXISTS
        await using var db = dbs.Create();
        var usage = db.Set<ResearchUsageRow>();
        var limit = project.DailyRecords;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var take = wanted;
            if (await usage.Where(u => u.ProjectId == project.Id && u.Window == day && u.Records + take <= limit)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.Records, u => u.Records + take), ct) > 0)
                return take;
            var used = await usage.Where(u => u.ProjectId == project.Id && u.Window == day).Select(u => u.Records).FirstAsync(ct);
            wanted = Math.Min(wanted, limit - used);
            if (wanted <= 0) return 0;
        }
        return 0;
    }

    /// <summary>Gives back reserved records a page did not use.</summary>
    public async Task RefundRecordsAsync(ResearchProjectRow project, int records, CancellationToken ct)
    {
        if (records <= 0) return;
        var day = Day(clock.GetUtcNow());
        await using var db = dbs.Create();
        await db.Set<ResearchUsageRow>().Where(u => u.ProjectId == project.Id && u.Window == day && u.Records >= records)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Records, u => u.Records - records), ct);
    }

    public async Task<QuotaState> StateAsync(ResearchProjectRow project, QuotaRefusal refusal, int retryAfter, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var day = Day(now);
        await using var db = dbs.Create();
        var row = await db.Set<ResearchUsageRow>().AsNoTracking().FirstOrDefaultAsync(u => u.ProjectId == project.Id && u.Window == day, ct);
        return new QuotaState(refusal, project.DailyRequests, Math.Max(0, project.DailyRequests - (row?.Requests ?? 0)),
            Math.Max(0, project.DailyRecords - (row?.Records ?? 0)), NextMidnight(now), retryAfter);
    }

    public static int SecondsToMidnight(DateTimeOffset now) => (int)Math.Ceiling((NextMidnight(now) - now).TotalSeconds);

    /// <summary>
    /// Runs a conditional counting UPDATE; when it counts nothing because the window's row does not exist yet (the first
    /// request of a minute or day), creates the row and runs it once more. The usual request thus costs one statement per
    /// window, not an existence check and an update (each round trip is a scheduling delay on a loaded machine).
    /// </summary>
    private async Task<bool> CountAsync(long projectId, string window, Func<Task<int>> update, CancellationToken ct)
    {
        if (await update() > 0) return true;
        // Nothing counted: the row is missing, or the limit is reached. Create it if missing (a concurrent request may have just
        // done so) and try once more; a second refusal is the limit.
        await EnsureAsync(projectId, window, ct);
        return await update() > 0;
    }

    /// <summary>
    /// Creates the window's counter row when missing. <c>ON CONFLICT DO NOTHING</c> (SQLite and PostgreSQL alike) lets
    /// concurrent first requests on any instance race harmlessly; the values are bound parameters.
    /// </summary>
    private async Task EnsureAsync(long projectId, string window, CancellationToken ct)
    {
        await using var db = dbs.Create();
        if (await db.Set<ResearchUsageRow>().AnyAsync(u => u.ProjectId == projectId && u.Window == window, ct)) return;
        var created = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO research_usage (project_id, \"window\", requests, records) VALUES ({projectId}, {window}, 0, 0) ON CONFLICT DO NOTHING", ct);
        if (created > 0 && window.StartsWith("m:", StringComparison.Ordinal))
            await db.Set<ResearchUsageRow>().Where(u => u.ProjectId == projectId && u.Window.StartsWith("m:") && u.Window != window).ExecuteDeleteAsync(ct);
    }
}
