using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Reports.Research;

/// <summary>
/// Builds the research read model (<c>research_content</c>) from accepted events, in <c>content_versions</c> id order, so
/// ingestion stays untouched and the projection can be rebuilt. Each batch and its watermark commit together; a batch another
/// instance already applied is rolled back (the watermark is advanced with a compare-and-set).
/// </summary>
public sealed class ResearchIndexer(IBulwarkDbFactory dbs, TimeProvider clock)
{
    /// <summary>
    /// How long a gap in version ids may stay open before the indexer reads past it. On PostgreSQL ids are taken when a row is
    /// inserted, not when its transaction commits, so a lower id can become visible after a higher one; a watermark moved past
    /// it would skip that version for ever. A gap is either such a transaction still in flight or an id a rolled-back insert
    /// consumed; the two look alike, so a window stops before a gap whose next version is younger than this and reads past it
    /// once the gap is older (an ingestion transaction lasts milliseconds).
    /// </summary>
    public static readonly TimeSpan GapSettle = TimeSpan.FromSeconds(30);

    public const string StateName = "content";
    private const int Batch = 500;
    private const int MaxText = 5000;
    /// <summary>Windows with nothing to copy in a row before the watermark is written anyway (see <see cref="_applied"/>).</summary>
    private const int PersistEvery = 20;
    private readonly SemaphoreSlim _gate = new(1, 1);
    // How far this process has read. A window with nothing to copy advances only this, not the stored watermark: writing the
    // watermark for every 500 events took SQLite's write lock often enough to lift ingestion's single-POST p99 several-fold.
    // It is written with the next copy, or after PersistEvery empty windows; after a restart at most that many windows are
    // read again, which changes nothing (copying is idempotent). Read and written under _gate.
    private long _applied;
    private int _emptyWindows;

    /// <summary>Applies every accepted version not yet applied; returns how many versions it read.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var total = 0;
            while (true)
            {
                var n = await ApplyBatchAsync(ct);
                if (n == 0) return total;
                total += n;
            }
        }
        finally { _gate.Release(); }
    }

    private async Task<int> ApplyBatchAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var state = await db.Set<ResearchIndexStateRow>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == StateName, ct);
        var persisted = state?.LastVersionId ?? 0;
        var last = Math.Max(persisted, _applied);
        // The next window of versions by id (index only), then, inside it, only the events that can matter: those that set a
        // visibility (the stored event is canonical camelCase JSON without nulls, so one that does not contain the property
        // name has none and cannot be public) and those of content the read model already holds (a correction). Without
        // this every accepted event was read and copied again, and a burst of ingestion halved the pipeline's throughput
        // (SQLite's single writer; docs/benchmarks.md).
        var window = await db.ContentVersions.AsNoTracking().Where(v => v.Id > last).OrderBy(v => v.Id).Take(Batch)
            .Select(v => new VersionStamp(v.Id, v.ReceivedAt)).ToListAsync(ct);
        var settled = SettledPrefix(window, last, clock.GetUtcNow() - GapSettle);
        if (settled == 0) return 0;
        var upTo = window[settled - 1].Id;
        var versions = await db.ContentVersions.AsNoTracking()
            .Where(v => v.Id > last && v.Id <= upTo
                && (v.EventJson.Contains("\"visibility\"") || db.Set<ResearchContentRow>().Any(r => r.ContentId == v.ContentId)))
            .OrderBy(v => v.Id)
            .Select(v => new { v.Id, v.ContentId, v.EventJson, v.ReceivedAt }).ToListAsync(ct);

        if (versions.Count == 0 && state is not null && ++_emptyWindows < PersistEvery)
        {
            _applied = upTo;
            return settled;
        }
        _emptyWindows = 0;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = versions.Select(v => v.ContentId).Distinct().ToList();
        var rows = await db.Set<ResearchContentRow>().Where(c => ids.Contains(c.ContentId)).ToDictionaryAsync(c => c.ContentId, ct);
        foreach (var v in versions)
        {
            // Only content marked public by an adult account is ever served (ResearchCatalogue.Visible): an item that is not,
            // and has no row to correct, is not copied.
            var known = rows.TryGetValue(v.ContentId, out var row);
            var e = JsonSerializer.Deserialize(v.EventJson, IngestJson.Default.ContentEvent);
            if (e is null) continue;
            if (!known && !(e.Visibility == "public" && e.Account?.Adult == true)) continue;
            if (row is null)
            {
                row = new ResearchContentRow { ContentId = v.ContentId, Kind = e.Kind ?? "text" };
                rows[v.ContentId] = row;
                db.Add(row);
            }
            Fill(row, v.Id, e, v.ReceivedAt);
        }
        var next = upTo;
        if (state is null) db.Add(new ResearchIndexStateRow { Name = StateName, LastVersionId = next });
        else if (await db.Set<ResearchIndexStateRow>().Where(s => s.Name == StateName && s.LastVersionId == persisted)
                     .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastVersionId, next), ct) == 0)
        {
            await tx.RollbackAsync(ct); // another instance applied this batch
            return settled;
        }
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            _applied = next;
        }
        catch (DbUpdateException)
        {
            await tx.RollbackAsync(ct); // another instance created the state row or one of these items first; the next round sees its work
        }
        return settled;
    }

    internal readonly record struct VersionStamp(long Id, DateTimeOffset ReceivedAt);

    /// <summary>
    /// How many versions of <paramref name="window"/> (ascending ids after <paramref name="last"/>) may be applied: all of
    /// them up to the first gap in ids whose following version was received after <paramref name="settledBefore"/>
    /// (see <see cref="GapSettle"/>).
    /// </summary>
    internal static int SettledPrefix(IReadOnlyList<VersionStamp> window, long last, DateTimeOffset settledBefore)
    {
        var previous = last;
        for (var i = 0; i < window.Count; i++)
        {
            // The first id after the watermark 0 need not be 1 (a fresh sequence on some providers starts elsewhere).
            var gap = window[i].Id != previous + 1 && previous != 0;
            if (gap && window[i].ReceivedAt > settledBefore) return i;
            previous = window[i].Id;
        }
        return window.Count;
    }

    /// <summary>Copies only what the catalogue may serve. Handles, bios, linked identifiers and media never reach the read model.</summary>
    internal static void Fill(ResearchContentRow row, long versionId, ContentEvent e, DateTimeOffset receivedAt)
    {
        var created = (e.CreatedAt ?? receivedAt).ToUniversalTime();
        row.VersionId = versionId;
        row.Kind = e.Kind ?? row.Kind;
        row.AccountId = e.Account?.Id;
        row.Region = e.Region;
        row.Language = e.Language;
        row.CreatedAt = created;
        row.CreatedDay = created.Year * 10000 + created.Month * 100 + created.Day;
        row.Text = e.Text is { Length: > MaxText } t ? t[..MaxText] : e.Text;
        row.Hashtags = "|" + string.Concat((e.Hashtags ?? []).Select(h => h.Trim().TrimStart('#').ToLowerInvariant()).Where(h => h.Length > 0 && !h.Contains('|')).Distinct().Select(h => h + "|"));
        row.ViewCount = e.ViewCount;
        row.IsPublic = e.Visibility == "public";
        row.IsAdult = e.Account?.Adult == true;
    }
}

/// <summary>Keeps the read model close to ingestion between queries (queries also catch up before they run).</summary>
public sealed class ResearchIndexWorker(ResearchIndexer indexer, ILogger<ResearchIndexWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await indexer.CatchUpAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogWarning(ex, "Research index catch-up failed; it is retried."); }
            try { await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
