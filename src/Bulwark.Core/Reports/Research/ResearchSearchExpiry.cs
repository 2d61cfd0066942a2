using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Reports.Research;

/// <summary>What one expiry run removed.</summary>
public readonly record struct SearchExpiryRun(int ExpiredCursors, int EndedSearches, int EndedSearchCursors);

/// <summary>
/// Keeps the search snapshots bounded. A search (<c>research_searches</c>: the query and its snapshot's watermark) can be re-run
/// from cursor 0 while its project is active (issue 21, item 7), so it is removed, with its cursors, once the project has
/// ended, been rejected or closed. A cursor (<c>research_search_pages</c>: where a page ended) is forgotten
/// <see cref="ResearchOptions.CursorDays"/> after its page was first served: like TikTok's expired <c>search_id</c>, a later
/// request with it is refused (<c>invalid_param</c>) and the search is re-run from cursor 0, which yields the same snapshot
/// in the same order and writes the cursors again. Run by <see cref="ResearchSearchExpiryWorker"/> under the injected clock.
/// </summary>
public sealed class ResearchSearchExpiry(IBulwarkDbFactory dbs, ResearchOptions options, TimeProvider clock)
{
    public async Task<SearchExpiryRun> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var cutoff = now - TimeSpan.FromDays(options.CursorDays);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var ended = db.Set<ResearchProjectRow>()
            .Where(p => p.Status != ProjectStatus.Approved || (p.EndDate != null && p.EndDate < today)).Select(p => p.Id);
        var endedSearches = db.Set<ResearchSearchRow>().Where(s => ended.Contains(s.ProjectId)).Select(s => s.SearchId);
        var endedCursors = await db.Set<ResearchSearchPageRow>().Where(p => endedSearches.Contains(p.SearchId)).ExecuteDeleteAsync(ct);
        var searches = await db.Set<ResearchSearchRow>().Where(s => ended.Contains(s.ProjectId)).ExecuteDeleteAsync(ct);
        var expired = await db.Set<ResearchSearchPageRow>().Where(p => p.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return new SearchExpiryRun(expired, searches, endedCursors);
    }
}

/// <summary>Runs <see cref="ResearchSearchExpiry"/> every <see cref="ResearchOptions.SearchExpiryMinutes"/> (scheduler role).</summary>
public sealed class ResearchSearchExpiryWorker(ResearchSearchExpiry expiry, ResearchOptions options, TimeProvider clock, ILogger<ResearchSearchExpiryWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await expiry.RunAsync(stoppingToken);
                if (run.ExpiredCursors + run.EndedSearches > 0)
                    log.LogInformation("Research searches: {Cursors} expired cursor(s) forgotten; {Searches} search(es) of ended projects removed with {EndedCursors} cursor(s).",
                        run.ExpiredCursors, run.EndedSearches, run.EndedSearchCursors);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogWarning(ex, "Research search expiry failed; it is retried at the next interval."); }
            try { await Task.Delay(TimeSpan.FromMinutes(options.SearchExpiryMinutes), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
