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
    /// once the gap is older (an ingestion transaction lasts milliseconds). The ids it reads past are not forgotten: they are
    /// kept in <c>research_index_gaps</c> and looked up again on every catch-up for <see cref="GapHorizon"/>, so a transaction
    /// that commits even later (a stalled writer on a loaded machine) is still copied.
    /// </summary>
    public static readonly TimeSpan GapSettle = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an id the indexer read past stays in <c>research_index_gaps</c> and is looked up again before it is taken for a
    /// rolled-back insert and dropped (the same overlap the transparency rollups re-read below their watermark).
    /// </summary>
    public static readonly TimeSpan GapHorizon = TimeSpan.FromMinutes(15);

    /// <summary>Ids recorded per window at most: a larger hole is a sequence jump (e.g. after a crash), not transactions in flight.</summary>
    internal const int MaxGapIdsPerWindow = 5_000;
    /// <summary>How often an instance that knows of no gap looks again (another instance may have recorded some).</summary>
    private static readonly TimeSpan GapRefresh = TimeSpan.FromMinutes(1);

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
    private long _eventsRead;
    private long _rowsWritten;
    private long _commands;
    // Whether research_index_gaps holds ids to look up again (null: not known yet), and when this instance last looked.
    private bool? _gapsPending;
    private DateTimeOffset _gapsCheckedAt;
    private long _lateCopied;

    /// <summary>Round trips this indexer has made since start: each query, the watermark's compare-and-set and each SaveChanges (counted once, however EF batches it); the transaction's begin and commit are not counted.</summary>
    public long Commands => Interlocked.Read(ref _commands);

    /// <summary>Stored events read (with their JSON) since start: each accepted event that can matter is read once.</summary>
    public long EventsRead => Interlocked.Read(ref _eventsRead);
    /// <summary>Versions found in a recorded gap (committed after a higher id had been read) and applied since start.</summary>
    public long LateVersionsApplied => Interlocked.Read(ref _lateCopied);

    /// <summary>Read-model rows inserted or corrected since start.</summary>
    public long RowsWritten => Interlocked.Read(ref _rowsWritten);

    /// <summary>Applies every accepted version not yet applied; returns how many versions it read (the background worker's loop).</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct) => (await CatchUpAsync(int.MaxValue, ct)).Read;

    /// <summary>
    /// Applies at most <paramref name="maxBatches"/> windows of versions. The gate is taken per window, so a query's bounded
    /// catch-up waits for at most one window of the background worker, never for its whole backlog.
    /// </summary>
    public async Task<CatchUpResult> CatchUpAsync(int maxBatches, CancellationToken ct)
    {
        var total = 0;
        await _gate.WaitAsync(ct);
        try { total += await RecheckGapsAsync(ct); }
        finally { _gate.Release(); }
        for (var i = 0; i < maxBatches; i++)
        {
            int n;
            await _gate.WaitAsync(ct);
            try { n = await ApplyBatchAsync(ct); }
            finally { _gate.Release(); }
            if (n == 0) return new CatchUpResult(total, true);
            total += n;
        }
        return new CatchUpResult(total, false);
    }

    /// <summary>
    /// How far behind ingestion the read model is: the oldest version not yet applied (null when none is waiting) and how many
    /// version ids lie above the watermark (an estimate: ids a rolled-back insert consumed count too).
    /// </summary>
    public async Task<IndexLag> LagAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var state = await db.Set<ResearchIndexStateRow>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == StateName, ct);
        var last = Math.Max(state?.LastVersionId ?? 0, Volatile.Read(ref _applied));
        var oldest = await db.ContentVersions.AsNoTracking().Where(v => v.Id > last).OrderBy(v => v.Id)
            .Select(v => new { v.Id, v.ReceivedAt }).FirstOrDefaultAsync(ct);
        if (oldest is null) return new IndexLag(null, 0);
        var newest = await db.ContentVersions.AsNoTracking().OrderByDescending(v => v.Id).Select(v => v.Id).FirstAsync(ct);
        return new IndexLag(oldest.ReceivedAt, newest - last);
    }

    private async Task<int> ApplyBatchAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var state = await db.Set<ResearchIndexStateRow>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == StateName, ct);
        Interlocked.Increment(ref _commands);
        var persisted = state?.LastVersionId ?? 0;
        var last = Math.Max(persisted, _applied);
        // The next window of versions by id (index only), then, inside it, only the events that can matter: those that set a
        // visibility (the stored event is canonical camelCase JSON without nulls, so one that does not contain the property
        // name has none and cannot be public) and those of content the read model already holds (a correction). Without
        // this every accepted event was read and copied again, and a burst of ingestion halved the pipeline's throughput
        // (SQLite's single writer; docs/benchmarks.md).
        var window = await db.ContentVersions.AsNoTracking().Where(v => v.Id > last).OrderBy(v => v.Id).Take(Batch)
            .Select(v => new VersionStamp(v.Id, v.ReceivedAt)).ToListAsync(ct);
        Interlocked.Increment(ref _commands);
        var settled = SettledPrefix(window, last, clock.GetUtcNow() - GapSettle);
        if (settled == 0) return 0;
        var upTo = window[settled - 1].Id;
        var versions = await db.ContentVersions.AsNoTracking()
            .Where(v => v.Id > last && v.Id <= upTo
                && (v.EventJson.Contains("\"visibility\"") || db.Set<ResearchContentRow>().Any(r => r.ContentId == v.ContentId)))
            .OrderBy(v => v.Id)
            .Select(v => new { v.Id, v.ContentId, v.EventJson, v.ReceivedAt }).ToListAsync(ct);
        Interlocked.Add(ref _eventsRead, versions.Count);
        Interlocked.Increment(ref _commands);

        // Ids this window reads past (settled gaps): kept and looked up again, in case their transaction commits later still.
        var missing = MissingIds(window, settled, last);
        if (versions.Count == 0 && missing.Count == 0 && state is not null && ++_emptyWindows < PersistEvery)
        {
            _applied = upTo;
            return settled;
        }
        _emptyWindows = 0;

        // Read and deserialise before taking the write gate: only the writes are held under it.
        await ApplyAsync(db, versions.Select(v => new StoredVersion(v.Id, v.ContentId, v.EventJson, v.ReceivedAt)).ToList(), ct);
        if (missing.Count > 0)
        {
            var noted = clock.GetUtcNow();
            db.AddRange(missing.Select(id => new ResearchIndexGapRow { VersionId = id, NotedAt = noted }));
        }
        var next = upTo;
        // Through the write gate every other writer uses: on SQLite a transaction begun beside it took the database's write
        // lock while the pipeline's writers held the gate, and they then waited in SQLite's busy handler (sleeping, not working).
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (state is null) db.Add(new ResearchIndexStateRow { Name = StateName, LastVersionId = next });
        else if (Interlocked.Increment(ref _commands) > 0 && await db.Set<ResearchIndexStateRow>().Where(s => s.Name == StateName && s.LastVersionId == persisted)
                     .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastVersionId, next), ct) == 0)
            return settled; // another instance applied this batch: disposing the transaction rolls back; read on from its watermark
        try
        {
            if (db.ChangeTracker.HasChanges()) Interlocked.Increment(ref _commands); // one batched statement
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            _applied = next;
            if (missing.Count > 0) _gapsPending = true;
            Interlocked.Add(ref _rowsWritten, db.ChangeTracker.Entries<ResearchContentRow>().Count());
            return settled;
        }
        catch (DbUpdateException)
        {
            // Another instance created the state row or one of these items first. Stop this round (the transaction rolls back
            // when disposed) rather than retry at once; the next round starts from that instance's watermark.
            return 0;
        }
    }

    private readonly record struct StoredVersion(long Id, string ContentId, string EventJson, DateTimeOffset ReceivedAt);

    /// <summary>
    /// Copies or corrects the read-model rows of <paramref name="versions"/> (ascending ids) in <paramref name="db"/>'s change
    /// tracker; the caller saves. A version older than the one a row already holds (a late commit found in a gap) changes nothing.
    /// </summary>
    private async Task ApplyAsync(BulwarkDbContext db, IReadOnlyList<StoredVersion> versions, CancellationToken ct)
    {
        var ids = versions.Select(v => v.ContentId).Distinct().ToList();
        var rows = ids.Count == 0 ? new Dictionary<string, ResearchContentRow>() : await db.Set<ResearchContentRow>().Where(c => ids.Contains(c.ContentId)).ToDictionaryAsync(c => c.ContentId, ct);
        if (ids.Count > 0) Interlocked.Increment(ref _commands);
        foreach (var v in versions)
        {
            // Only content marked public by an adult account is ever served (ResearchCatalogue.Visible): an item that is not,
            // and has no row to correct, is not copied.
            var known = rows.TryGetValue(v.ContentId, out var row);
            if (known && row!.VersionId >= v.Id) continue;
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
    }

    /// <summary>
    /// Looks up again the ids earlier windows read past (<c>research_index_gaps</c>): a version that has committed since is
    /// applied now and its id forgotten; an id still missing after <see cref="GapHorizon"/> is taken for a rolled-back insert
    /// and dropped. Costs nothing while this instance knows of no gap (it looks again every minute, in case another instance
    /// recorded one).
    /// </summary>
    private async Task<int> RecheckGapsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_gapsPending == false && now - _gapsCheckedAt < GapRefresh) return 0;
        await using var db = dbs.Create();
        var gaps = await db.Set<ResearchIndexGapRow>().AsNoTracking().OrderBy(g => g.VersionId).Take(MaxGapIdsPerWindow)
            .Select(g => new { g.VersionId, g.NotedAt }).ToListAsync(ct);
        Interlocked.Increment(ref _commands);
        _gapsCheckedAt = now;
        _gapsPending = gaps.Count > 0;
        if (gaps.Count == 0) return 0;
        var ids = gaps.Select(g => g.VersionId).ToList();
        var found = await db.ContentVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).OrderBy(v => v.Id)
            .Select(v => new StoredVersion(v.Id, v.ContentId, v.EventJson, v.ReceivedAt)).ToListAsync(ct);
        Interlocked.Increment(ref _commands);
        Interlocked.Add(ref _eventsRead, found.Count);
        var foundIds = found.Select(v => v.Id).ToHashSet();
        var done = gaps.Where(g => foundIds.Contains(g.VersionId) || now - g.NotedAt > GapHorizon).Select(g => g.VersionId).ToList();
        if (done.Count == 0) return 0;
        await ApplyAsync(db, found, ct);
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        // Forgetting the ids is the compare-and-set: another instance that applied them first leaves nothing to delete here.
        if (await db.Set<ResearchIndexGapRow>().Where(g => done.Contains(g.VersionId)).ExecuteDeleteAsync(ct) != done.Count) return 0;
        Interlocked.Increment(ref _commands);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException) { return 0; }
        Interlocked.Add(ref _lateCopied, found.Count);
        Interlocked.Add(ref _rowsWritten, db.ChangeTracker.Entries<ResearchContentRow>().Count());
        _gapsPending = gaps.Count > done.Count || gaps.Count == MaxGapIdsPerWindow;
        return found.Count;
    }

    /// <summary>The ids between <paramref name="last"/> and the end of the settled prefix that the window does not hold.</summary>
    internal static List<long> MissingIds(IReadOnlyList<VersionStamp> window, int settled, long last)
    {
        var missing = new List<long>();
        var previous = last;
        for (var i = 0; i < settled && missing.Count < MaxGapIdsPerWindow; i++)
        {
            if (previous != 0)
                for (var id = previous + 1; id < window[i].Id && missing.Count < MaxGapIdsPerWindow; id++) missing.Add(id);
            previous = window[i].Id;
        }
        return missing;
    }

    public readonly record struct CatchUpResult(int Read, bool CaughtUp);

    public readonly record struct IndexLag(DateTimeOffset? OldestPending, long PendingIds);

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
