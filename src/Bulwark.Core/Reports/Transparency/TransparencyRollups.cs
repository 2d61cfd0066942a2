using Bulwark.Core.Actions.Review;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Reports.Transparency;

public sealed record RollupRun(int DaysComputed, DateOnly? FirstDay, DateOnly? LastDay, int QaCasesOpened);

/// <summary>
/// Keeps the per-day rollups: off the pipeline's path, a job folds whole days (<see cref="DayFolder"/>) and replaces their
/// rows in one transaction. A day is folded once it has ended, and again whenever a record stamped on it appears after the
/// previous run (minus <see cref="TransparencyOptions.RollupOverlapMinutes"/> for late commits). Recomputing a day replaces
/// it, so running the job twice, or concurrently with itself, leaves the same rows.
/// </summary>
public sealed class TransparencyRollups(IBulwarkDbFactory dbs, DayFolder folder, TransparencyOptions options, ReviewOptions review, AuditLog audit, TimeProvider clock, Random random)
{
    public const string LastRun = "last-run";
    public const string QaSampled = "qa-sampled-decision";

    public async Task<RollupRun> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var yesterday = today.AddDays(-1);
        var qa = await SampleAutomatedForQaAsync(now, ct);

        await using var db = dbs.Create();
        var last = await db.Set<RollupWatermarkRow>().AsNoTracking().FirstOrDefaultAsync(w => w.Name == LastRun, ct);
        var first = options.FirstDay ?? await OldestDayAsync(db, ct);
        var days = new SortedSet<DateOnly>();
        if (first is { } f && f <= yesterday)
        {
            var closed = (await db.Set<RollupDayRow>().AsNoTracking().Where(d => d.Day >= f && d.Day <= yesterday).Select(d => d.Day).ToListAsync(ct)).ToHashSet();
            for (var d = f; d <= yesterday; d = d.AddDays(1)) if (!closed.Contains(d)) days.Add(d);
            if (last is not null && await EarliestChangeAsync(db, last.At.AddMinutes(-options.RollupOverlapMinutes), ct) is { } changed)
                for (var d = DateOnly.FromDateTime(changed.UtcDateTime); d <= yesterday; d = d.AddDays(1)) if (closed.Contains(d)) days.Add(d);
        }
        foreach (var day in days) await StoreAsync(await folder.FoldAsync(day, false, ct), now, ct);
        await SetWatermarkAsync(LastRun, 0, now, ct);
        return new RollupRun(days.Count, days.Count == 0 ? null : days.Min, days.Count == 0 ? null : days.Max, qa);
    }

    /// <summary>Folds every day of [from, to] again (after a backfill or a fix), whether or not it was closed.</summary>
    public async Task<int> RebuildAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var yesterday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        var n = 0;
        for (var d = from; d <= to && d <= yesterday; d = d.AddDays(1), n++) await StoreAsync(await folder.FoldAsync(d, false, ct), now, ct);
        return n;
    }

    /// <summary>
    /// The days of [from, to] that have no completed rollup (a report over them is refused). Days before the first record (or
    /// <see cref="TransparencyOptions.FirstDay"/>) had nothing to roll up and count as complete, with zeros.
    /// </summary>
    public async Task<IReadOnlyList<DateOnly>> MissingDaysAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var first = options.FirstDay ?? await OldestDayAsync(db, ct) ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (from < first) from = first;
        var have = (await db.Set<RollupDayRow>().AsNoTracking().Where(d => d.Day >= from && d.Day <= to).Select(d => d.Day).ToListAsync(ct)).ToHashSet();
        var missing = new List<DateOnly>();
        for (var d = from; d <= to; d = d.AddDays(1)) if (!have.Contains(d)) missing.Add(d);
        return missing;
    }

    private async Task StoreAsync(DayFacts facts, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var day = facts.Day;
        await db.Set<RollupFactRow>().Where(r => r.Day == day).ExecuteDeleteAsync(ct);
        await db.Set<RollupDurationRow>().Where(r => r.Day == day).ExecuteDeleteAsync(ct);
        db.Set<RollupFactRow>().AddRange(facts.Facts);
        db.Set<RollupDurationRow>().AddRange(facts.Durations);
        var row = await db.Set<RollupDayRow>().FirstOrDefaultAsync(d => d.Day == day, ct);
        if (row is null) db.Set<RollupDayRow>().Add(new RollupDayRow { Day = day, ComputedAt = now, Computations = 1 });
        else { row.ComputedAt = now; row.Computations++; }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task SetWatermarkAsync(string name, long position, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var w = await db.Set<RollupWatermarkRow>().FirstOrDefaultAsync(x => x.Name == name, ct);
        if (w is null) db.Set<RollupWatermarkRow>().Add(new RollupWatermarkRow { Name = name, Position = position, At = at });
        else { w.Position = Math.Max(w.Position, position); w.At = at; }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<DateOnly?> OldestDayAsync(BulwarkDbContext db, CancellationToken ct)
    {
        DateTimeOffset? oldest = null;
        void Take(DateTimeOffset? t) { if (t is { } v && (oldest is null || v < oldest)) oldest = v; }
        Take(await db.ContentItems.OrderBy(i => i.FirstSeenAt).Select(i => (DateTimeOffset?)i.FirstSeenAt).FirstOrDefaultAsync(ct));
        Take(await db.Decisions.OrderBy(d => d.DecidedAt).Select(d => (DateTimeOffset?)d.DecidedAt).FirstOrDefaultAsync(ct));
        Take(await db.Set<AppealRow>().OrderBy(a => a.ReceivedAt).Select(a => (DateTimeOffset?)a.ReceivedAt).FirstOrDefaultAsync(ct));
        return oldest is { } o ? DateOnly.FromDateTime(o.UtcDateTime) : null;
    }

    /// <summary>The earliest timestamp, among records written since <paramref name="since"/>, of anything a day's facts read.</summary>
    private static async Task<DateTimeOffset?> EarliestChangeAsync(BulwarkDbContext db, DateTimeOffset since, CancellationToken ct)
    {
        // Records are stamped with the clock when written, so "written since" is "stamped since", give or take the overlap;
        // a backfill with older stamps needs `reports rollup --rebuild`.
        DateTimeOffset? min = null;
        void Take(DateTimeOffset? t) { if (t is { } v && (min is null || v < min)) min = v; }
        Take(await db.Decisions.Where(d => d.DecidedAt >= since).OrderBy(d => d.DecidedAt).Select(d => (DateTimeOffset?)d.DecidedAt).FirstOrDefaultAsync(ct));
        Take(await db.Decisions.Where(d => d.ReversedAt >= since).OrderBy(d => d.ReversedAt).Select(d => d.ReversedAt).FirstOrDefaultAsync(ct));
        Take(await db.Set<ReviewCaseRow>().Where(c => c.DecidedAt >= since).OrderBy(c => c.DecidedAt).Select(c => c.DecidedAt).FirstOrDefaultAsync(ct));
        Take(await db.Set<AppealRow>().Where(a => a.ReceivedAt >= since).OrderBy(a => a.ReceivedAt).Select(a => (DateTimeOffset?)a.ReceivedAt).FirstOrDefaultAsync(ct));
        Take(await db.Set<AppealRow>().Where(a => a.DecidedAt >= since).OrderBy(a => a.DecidedAt).Select(a => a.DecidedAt).FirstOrDefaultAsync(ct));
        Take(await db.ContentItems.Where(i => i.FirstSeenAt >= since).OrderBy(i => i.FirstSeenAt).Select(i => (DateTimeOffset?)i.FirstSeenAt).FirstOrDefaultAsync(ct));
        return min;
    }

    /// <summary>
    /// Opens blind QA re-reviews for a seeded-random share of new fully automated restrictions, so the DSA report can state the
    /// accuracy of automated means (Art. 15(1)(e)). The case has no subject case: the automated decision is what it checks.
    /// </summary>
    private async Task<int> SampleAutomatedForQaAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (options.AutomatedQaSampleRate <= 0) return 0;
        await using var db = dbs.Create();
        var mark = await db.Set<RollupWatermarkRow>().AsNoTracking().FirstOrDefaultAsync(w => w.Name == QaSampled, ct);
        var after = mark?.Position ?? await db.Decisions.MaxAsync(d => (long?)d.Id, ct) ?? 0; // first run: start from now on
        var batch = await db.Decisions.AsNoTracking().Where(d => d.Id > after).OrderBy(d => d.Id).Take(10_000)
            .Select(d => new { d.Id, d.ContentId, d.ContentVersionId, d.Policy, d.Automated, d.ReviewedBy, d.ActionsJson }).ToListAsync(ct);
        if (batch.Count == 0) { if (mark is null) await SetWatermarkAsync(QaSampled, after, now, ct); return 0; }
        var chosen = new List<ReviewCaseRow>();
        foreach (var d in batch)
        {
            if (!d.Automated || d.ReviewedBy is not null || d.ActionsJson == "[]") continue;
            bool take;
            lock (random) take = random.NextDouble() < options.AutomatedQaSampleRate;
            if (!take) continue;
            var accountId = await db.ContentItems.Where(i => i.Id == d.ContentId).Select(i => i.AccountId).FirstOrDefaultAsync(ct);
            chosen.Add(ReviewCases.New(review, ReviewCaseKind.Content, ReviewQueues.Qa, d.Id, d.ContentId, d.ContentVersionId, accountId, d.Policy, 1, 0, 0, "upload", now));
        }
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        db.Set<ReviewCaseRow>().AddRange(chosen);
        await db.SaveChangesAsync(ct);
        if (chosen.Count > 0)
            await audit.AppendAsync(db, [new AuditRecord("system:transparency", "review.qa_sampled", "decisions",
                null, $"{chosen.Count} automated restriction(s) among decisions {batch[0].Id}–{batch[^1].Id} sent to blind QA")], ct);
        var w = await db.Set<RollupWatermarkRow>().FirstOrDefaultAsync(x => x.Name == QaSampled, ct);
        if (w is null) db.Set<RollupWatermarkRow>().Add(new RollupWatermarkRow { Name = QaSampled, Position = batch[^1].Id, At = now });
        else { w.Position = batch[^1].Id; w.At = now; }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return chosen.Count;
    }
}

/// <summary>Runs <see cref="TransparencyRollups.RunAsync"/> every <see cref="TransparencyOptions.RollupIntervalSeconds"/>.</summary>
public sealed class TransparencyRollupWorker(TransparencyRollups rollups, TransparencyOptions options, TimeProvider clock, ILogger<TransparencyRollupWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RollupJobEnabled)
        {
            log.LogWarning("Transparency rollup job is off (Bulwark:Transparency:RollupJobEnabled=false): reports need `bulwark reports rollup` to fold new days.");
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await rollups.RunAsync(stoppingToken);
                if (run.DaysComputed > 0) log.LogInformation("Transparency rollups: {Days} day(s) folded ({First}–{Last}).", run.DaysComputed, run.FirstDay, run.LastDay);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogError(ex, "Transparency rollup run failed; it is retried at the next interval."); }
            try { await Task.Delay(TimeSpan.FromSeconds(options.RollupIntervalSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
