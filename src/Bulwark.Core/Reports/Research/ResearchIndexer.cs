using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Bulwark.Core.Storage.Watermarks;
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
    /// <summary>How long a gap in version ids may stay open before the indexer reads past it (<see cref="IdWatermark.GapSettle"/>).</summary>
    public static readonly TimeSpan GapSettle = IdWatermark.GapSettle;

    /// <summary>How long an id the indexer read past is looked up again (<see cref="IdWatermark.GapHorizon"/>).</summary>
    public static readonly TimeSpan GapHorizon = IdWatermark.GapHorizon;

    /// <summary>The name of this indexer's watermark and gaps in <c>index_watermarks</c> / <c>index_gaps</c>.</summary>
    public const string StateName = "research.content";
    /// <summary>Migration <c>SearchIndexOffIngest</c>: the watermark and gaps move from <c>research_index_state</c> / <c>research_index_gaps</c> to the shared tables.</summary>
    public const string MoveToSharedWatermark = """
        INSERT INTO index_watermarks(name, last_id) SELECT 'research.content', last_version_id FROM research_index_state WHERE name = 'content';
        INSERT INTO index_gaps(name, id, noted_at) SELECT 'research.content', version_id, noted_at FROM research_index_gaps;
        """;

    public const string MoveFromSharedWatermark = """
        INSERT INTO research_index_state(name, last_version_id) SELECT 'content', last_id FROM index_watermarks WHERE name = 'research.content';
        INSERT INTO research_index_gaps(version_id, noted_at) SELECT id, noted_at FROM index_gaps WHERE name = 'research.content';
        """;

    private const int Batch = 500;
    private const int MaxText = 5000;
    /// <summary>Windows with nothing to copy in a row before the watermark is written anyway (see <see cref="IdWatermark.Skip"/>).</summary>
    private const int PersistEvery = 20;
    private readonly SemaphoreSlim _gate = new(1, 1);
    // The watermark and late-commit gaps (shared with the console search index). A window with nothing to copy advances only
    // this process's position, not the stored watermark: writing the watermark for every 500 events took SQLite's write lock
    // often enough to lift ingestion's single-POST p99 several-fold. It is written with the next copy, or after PersistEvery
    // empty windows; after a restart at most that many windows are read again, which changes nothing (copying is idempotent).
    private readonly IdWatermark _watermark = new(StateName, clock);
    private int _emptyWindows;
    private long _eventsRead;
    private long _rowsWritten;
    private long _commands;
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
        var last = (await _watermark.ReadAsync(db, ct)).From;
        var oldest = await db.ContentVersions.AsNoTracking().Where(v => v.Id > last).OrderBy(v => v.Id)
            .Select(v => new { v.Id, v.ReceivedAt }).FirstOrDefaultAsync(ct);
        if (oldest is null) return new IndexLag(null, 0);
        var newest = await db.ContentVersions.AsNoTracking().OrderByDescending(v => v.Id).Select(v => v.Id).FirstAsync(ct);
        return new IndexLag(oldest.ReceivedAt, newest - last);
    }

    private async Task<int> ApplyBatchAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var position = await _watermark.ReadAsync(db, ct);
        Interlocked.Increment(ref _commands);
        var last = position.From;
        // The next window of versions by id (index only), then, inside it, only the events that can matter: those that set a
        // visibility (the stored event is canonical camelCase JSON without nulls, so one that does not contain the property
        // name has none and cannot be public) and those of content the read model already holds (a correction). Without
        // this every accepted event was read and copied again, and a burst of ingestion halved the pipeline's throughput
        // (SQLite's single writer; docs/benchmarks.md).
        var stamps = await db.ContentVersions.AsNoTracking().Where(v => v.Id > last).OrderBy(v => v.Id).Take(Batch)
            .Select(v => new IdStamp(v.Id, v.ReceivedAt)).ToListAsync(ct);
        Interlocked.Increment(ref _commands);
        var window = _watermark.Plan(position, stamps);
        if (window.IsEmpty) return 0;
        var upTo = window.UpTo;
        var versions = await db.ContentVersions.AsNoTracking()
            .Where(v => v.Id > last && v.Id <= upTo
                && (v.EventJson.Contains("\"visibility\"") || db.Set<ResearchContentRow>().Any(r => r.ContentId == v.ContentId)))
            .OrderBy(v => v.Id)
            .Select(v => new { v.Id, v.ContentId, v.EventJson, v.ReceivedAt }).ToListAsync(ct);
        Interlocked.Add(ref _eventsRead, versions.Count);
        Interlocked.Increment(ref _commands);

        // Ids this window reads past (settled gaps) are kept and looked up again, in case their transaction commits later still.
        if (versions.Count == 0 && window.Missing.Count == 0 && position.Stored is not null && ++_emptyWindows < PersistEvery)
        {
            _watermark.Skip(window);
            return window.Settled;
        }
        _emptyWindows = 0;

        // Read and deserialise before taking the write gate: only the writes are held under it.
        await ApplyAsync(db, versions.Select(v => new StoredVersion(v.Id, v.ContentId, v.EventJson, v.ReceivedAt)).ToList(), ct);
        // Through the write gate every other writer uses: on SQLite a transaction begun beside it took the database's write
        // lock while the pipeline's writers held the gate, and they then waited in SQLite's busy handler (sleeping, not working).
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (position.Stored is not null) Interlocked.Increment(ref _commands);
        if (!await _watermark.AdvanceAsync(db, window, ct))
            return window.Settled; // another instance applied this batch: disposing the transaction rolls back; read on from its watermark
        try
        {
            if (db.ChangeTracker.HasChanges()) Interlocked.Increment(ref _commands); // one batched statement
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            _watermark.Advanced(window);
            Interlocked.Add(ref _rowsWritten, db.ChangeTracker.Entries<ResearchContentRow>().Count());
            return window.Settled;
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
    /// Looks up again the ids earlier windows read past (<see cref="IdWatermark.DueGapsAsync"/>): a version that has committed
    /// since is applied now and its id forgotten; an id still missing after <see cref="GapHorizon"/> is dropped.
    /// </summary>
    private async Task<int> RecheckGapsAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var gaps = await _watermark.DueGapsAsync(db, ct);
        if (gaps is null) return 0;
        Interlocked.Increment(ref _commands);
        if (gaps.Count == 0) return 0;
        var ids = gaps.Select(g => g.Id).ToList();
        var found = await db.ContentVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).OrderBy(v => v.Id)
            .Select(v => new StoredVersion(v.Id, v.ContentId, v.EventJson, v.ReceivedAt)).ToListAsync(ct);
        Interlocked.Increment(ref _commands);
        Interlocked.Add(ref _eventsRead, found.Count);
        var done = _watermark.Done(gaps, found.Select(v => v.Id).ToHashSet());
        if (done.Count == 0) return 0;
        await ApplyAsync(db, found, ct);
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await _watermark.ForgetAsync(db, done, ct)) return 0;
        Interlocked.Increment(ref _commands);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException) { return 0; }
        Interlocked.Add(ref _lateCopied, found.Count);
        Interlocked.Add(ref _rowsWritten, db.ChangeTracker.Entries<ResearchContentRow>().Count());
        _watermark.Rechecked(gaps, done);
        return found.Count;
    }

    public readonly record struct CatchUpResult(int Read, bool CaughtUp);

    public readonly record struct IndexLag(DateTimeOffset? OldestPending, long PendingIds);

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
