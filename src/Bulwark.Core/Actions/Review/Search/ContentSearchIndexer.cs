using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Core.Storage.Watermarks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Core.Actions.Review.Search;

/// <summary>
/// Keeps the console's search index (<see cref="ContentSearchIndex"/>) behind ingestion, not inside it (issue 23 item 3,
/// issue 16 item 11): ingestion and the signals stage only write their rows; this indexer reads <c>content_versions</c> and
/// <c>signals</c> past a watermark each (<see cref="IdWatermark"/>, the same watermark-and-gap mechanism the researcher read
/// model uses, so a version PostgreSQL commits after a higher id is still indexed) and writes the FTS5 / tsvector rows and the
/// entity rows in batches, one write transaction per window. Search is therefore eventually consistent; <see cref="LagAsync"/>
/// says how far behind the index is and the console shows it with the results.
/// <para>
/// The words and hashes are extracted here, in C#, from the stored event: an event whose JSON cannot be read (or a value
/// PostgreSQL cannot store, a NUL or a lone surrogate) never fails a batch; the version is indexed without words and counted
/// in <see cref="UnreadableEvents"/> (and logged), and the indexer moves on. Versions are never updated; a deleted version
/// leaves the index through the <c>content_search_delete</c> trigger (deletes are rare and not on ingestion's path).
/// </para>
/// </summary>
public sealed partial class ContentSearchIndexer(IBulwarkDbFactory dbs, TimeProvider clock, ILogger<ContentSearchIndexer>? log = null)
{
    public const string ContentWatermark = "search.content";
    public const string EntityWatermark = "search.entities";
    private const int VersionBatch = 500;
    private const int SignalBatch = 2000;

    private readonly ILogger _log = log ?? NullLogger<ContentSearchIndexer>.Instance;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IdWatermark _versions = new(ContentWatermark, clock);
    private readonly IdWatermark _signals = new(EntityWatermark, clock);
    private long _indexed;
    private long _unreadable;
    private long _late;

    /// <summary>Versions indexed since start (including ones found late in a gap).</summary>
    public long VersionsIndexed => Interlocked.Read(ref _indexed);
    /// <summary>Versions whose stored event could not be read as JSON, indexed without words or hashes, since start.</summary>
    public long UnreadableEvents => Interlocked.Read(ref _unreadable);
    /// <summary>Versions or signals found in a recorded gap (committed after a higher id had been indexed) since start.</summary>
    public long LateRowsIndexed => Interlocked.Read(ref _late);

    public readonly record struct CatchUpResult(int Read, bool CaughtUp);

    /// <summary>Indexes everything written so far (the worker's loop, and the completion signal tests wait on).</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct) => (await CatchUpAsync(int.MaxValue, ct)).Read;

    /// <summary>
    /// Indexes at most <paramref name="maxBatches"/> windows of versions and of signals. The gate is taken per window, so a
    /// bounded catch-up waits for at most one window of the background worker.
    /// </summary>
    public async Task<CatchUpResult> CatchUpAsync(int maxBatches, CancellationToken ct)
    {
        var total = 0;
        await _gate.WaitAsync(ct);
        try { total += await RecheckVersionGapsAsync(ct) + await RecheckSignalGapsAsync(ct); }
        finally { _gate.Release(); }
        for (var i = 0; i < maxBatches; i++)
        {
            int n;
            await _gate.WaitAsync(ct);
            try { n = await VersionWindowAsync(ct) + await SignalWindowAsync(ct); }
            finally { _gate.Release(); }
            if (n == 0) return new CatchUpResult(total, true);
            total += n;
        }
        return new CatchUpResult(total, false);
    }

    /// <summary>
    /// How far behind the index is: when the oldest version or screening signal not yet indexed was written (null when the
    /// index is up to date), so the console can say "the index is N s behind".
    /// </summary>
    public async Task<DateTimeOffset?> LagAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var versions = (await _versions.ReadAsync(db, ct)).From;
        var signals = (await _signals.ReadAsync(db, ct)).From;
        var oldestVersion = await db.ContentVersions.AsNoTracking().Where(v => v.Id > versions).OrderBy(v => v.Id)
            .Select(v => (DateTimeOffset?)v.ReceivedAt).FirstOrDefaultAsync(ct);
        var oldestSignal = await db.Signals.AsNoTracking().Where(s => s.Id > signals).OrderBy(s => s.Id)
            .Select(s => (DateTimeOffset?)s.CreatedAt).FirstOrDefaultAsync(ct);
        return (oldestVersion, oldestSignal) switch
        {
            (null, null) => null,
            ({ } v, null) => v,
            (null, { } s) => s,
            ({ } v, { } s) => v < s ? v : s,
        };
    }

    private sealed record StoredVersion(long Id, string ContentId, string EventJson);

    private async Task<int> VersionWindowAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var position = await _versions.ReadAsync(db, ct);
        var last = position.From;
        var stamps = await db.ContentVersions.AsNoTracking().Where(v => v.Id > last).OrderBy(v => v.Id).Take(VersionBatch)
            .Select(v => new IdStamp(v.Id, v.ReceivedAt)).ToListAsync(ct);
        var window = _versions.Plan(position, stamps);
        if (window.IsEmpty) return 0;
        var upTo = window.UpTo;
        var versions = await db.ContentVersions.AsNoTracking().Where(v => v.Id > last && v.Id <= upTo).OrderBy(v => v.Id)
            .Select(v => new StoredVersion(v.Id, v.ContentId, v.EventJson)).ToListAsync(ct);
        var docs = versions.Select(Extract).ToList();

        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await _versions.AdvanceAsync(db, window, ct)) return window.Settled; // another instance indexed it: roll back, read on
        try
        {
            await WriteDocsAsync(db, docs, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException) { return 0; } // another instance created the watermark first; the next round reads from it
        _versions.Advanced(window);
        Interlocked.Add(ref _indexed, docs.Count);
        return window.Settled;
    }

    private async Task<int> SignalWindowAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var position = await _signals.ReadAsync(db, ct);
        var last = position.From;
        var stamps = await db.Signals.AsNoTracking().Where(s => s.Id > last).OrderBy(s => s.Id).Take(SignalBatch)
            .Select(s => new IdStamp(s.Id, s.CreatedAt)).ToListAsync(ct);
        var window = _signals.Plan(position, stamps);
        if (window.IsEmpty) return 0;
        var upTo = window.UpTo;
        var mentions = await EntitySignals(db).Where(s => s.Id > last && s.Id <= upTo)
            .Select(s => new EntitySignal(s.Id, s.ContentVersionId, s.LabelsJson)).ToListAsync(ct);

        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await _signals.AdvanceAsync(db, window, ct)) return window.Settled;
        try
        {
            await WriteEntitiesAsync(db, mentions, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException) { return 0; }
        _signals.Advanced(window);
        return window.Settled;
    }

    private static IQueryable<SignalRow> EntitySignals(BulwarkDbContext db) =>
        db.Signals.AsNoTracking().Where(s => s.Type == EntitySignalTypes.Mention || s.Type == EntitySignalTypes.NameMatch);

    private sealed record EntitySignal(long Id, long ContentVersionId, string LabelsJson);

    /// <summary>Versions that committed after a window read past their id: indexed now, their ids forgotten (or dropped after the horizon).</summary>
    private async Task<int> RecheckVersionGapsAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var gaps = await _versions.DueGapsAsync(db, ct);
        if (gaps is not { Count: > 0 }) return 0;
        var ids = gaps.Select(g => g.Id).ToList();
        var found = await db.ContentVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).OrderBy(v => v.Id)
            .Select(v => new StoredVersion(v.Id, v.ContentId, v.EventJson)).ToListAsync(ct);
        var done = _versions.Done(gaps, found.Select(v => v.Id).ToHashSet());
        if (done.Count == 0) return 0;
        var docs = found.Select(Extract).ToList();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await _versions.ForgetAsync(db, done, ct)) return 0;
        await WriteDocsAsync(db, docs, ct);
        await tx.CommitAsync(ct);
        _versions.Rechecked(gaps, done);
        Interlocked.Add(ref _indexed, docs.Count);
        Interlocked.Add(ref _late, docs.Count);
        return docs.Count;
    }

    private async Task<int> RecheckSignalGapsAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var gaps = await _signals.DueGapsAsync(db, ct);
        if (gaps is not { Count: > 0 }) return 0;
        var ids = gaps.Select(g => g.Id).ToList();
        var found = await db.Signals.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        var done = _signals.Done(gaps, found.ToHashSet());
        if (done.Count == 0) return 0;
        var mentions = await EntitySignals(db).Where(s => found.Contains(s.Id))
            .Select(s => new EntitySignal(s.Id, s.ContentVersionId, s.LabelsJson)).ToListAsync(ct);
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await _signals.ForgetAsync(db, done, ct)) return 0;
        await WriteEntitiesAsync(db, mentions, ct);
        await tx.CommitAsync(ct);
        _signals.Rechecked(gaps, done);
        Interlocked.Add(ref _late, found.Count);
        return found.Count;
    }

    /// <summary>What one version contributes to the index: its words and the SHA-256 of its media (lower-case, distinct).</summary>
    internal sealed record SearchDoc(long VersionId, string ContentId, string Body, string Hashes);

    private SearchDoc Extract(StoredVersion v)
    {
        var doc = ExtractDoc(v.Id, v.ContentId, v.EventJson);
        if (doc is not null) return doc;
        Interlocked.Increment(ref _unreadable);
        _log.LogWarning("Search index: the stored event of content version {VersionId} ({ContentId}) is not readable JSON; indexed without words.", v.Id, v.ContentId);
        return new SearchDoc(v.Id, v.ContentId, "", "");
    }

    /// <summary>
    /// The indexed words of an event: caption, transcript, hashtags, and the account's handle, display name and bio, joined by
    /// spaces and cut to <see cref="ContentSearchIndex.MaxIndexedChars"/>; NULs and lone surrogates (which PostgreSQL cannot
    /// store) become spaces. Null when the JSON cannot be read.
    /// </summary>
    internal static SearchDoc? ExtractDoc(long versionId, string contentId, string eventJson)
    {
        try
        {
            using var json = JsonDocument.Parse(eventJson);
            var e = json.RootElement;
            if (e.ValueKind != JsonValueKind.Object) return null;
            var parts = new List<string>();
            void Add(JsonElement o, string name)
            {
                if (o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String) parts.Add(Text(p));
            }
            Add(e, "text");
            Add(e, "transcript");
            if (e.TryGetProperty("hashtags", out var tags) && tags.ValueKind == JsonValueKind.Array)
                foreach (var t in tags.EnumerateArray())
                    if (t.ValueKind == JsonValueKind.String) parts.Add(Text(t));
            if (e.TryGetProperty("account", out var account))
                foreach (var name in new[] { "handle", "displayName", "bio" }) Add(account, name);
            var body = string.Join(' ', parts);
            if (body.Length > ContentSearchIndex.MaxIndexedChars) body = body[..ContentSearchIndex.MaxIndexedChars];
            var hashes = new List<string>();
            if (e.TryGetProperty("media", out var media) && media.ValueKind == JsonValueKind.Array)
                foreach (var m in media.EnumerateArray())
                    if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("sha256", out var h) && h.ValueKind == JsonValueKind.String
                        && HashShape().IsMatch(h.GetString()!))
                        hashes.Add(h.GetString()!.ToLowerInvariant());
            return new SearchDoc(versionId, contentId, Clean(body), string.Join(' ', hashes.Distinct()));
        }
        catch (JsonException) { return null; }
        catch (InvalidOperationException) { return null; } // a string JSON holds but .NET cannot decode
    }

    /// <summary>
    /// A JSON string's value. .NET refuses to decode a lone surrogate escape (<c>\ud800</c>), which JSON allows; such a string
    /// is decoded here escape by escape, and <see cref="Clean"/> then turns the lone surrogate into a space.
    /// </summary>
    private static string Text(JsonElement s)
    {
        try { return s.GetString()!; }
        catch (InvalidOperationException) { }
        var raw = s.GetRawText().AsSpan(1, s.GetRawText().Length - 2);
        var b = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\' || i + 1 >= raw.Length) { b.Append(raw[i]); continue; }
            var c = raw[++i];
            if (c == 'u' && i + 4 < raw.Length && int.TryParse(raw.Slice(i + 1, 4), System.Globalization.NumberStyles.HexNumber, null, out var code))
            {
                b.Append((char)code);
                i += 4;
            }
            else b.Append(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => ' ', 'f' => ' ', _ => c });
        }
        return b.ToString();
    }

    /// <summary>Hex digits only: a hash is a word of the hashes column, never query syntax or a separator.</summary>
    [GeneratedRegex("^[0-9A-Fa-f]{1,128}$")]
    private static partial Regex HashShape();

    private static string Clean(string s)
    {
        StringBuilder? b = null;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var bad = c == '\0'
                || (char.IsHighSurrogate(c) && (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])))
                || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1])));
            if (bad) { b ??= new StringBuilder(s, 0, i, s.Length); b.Append(' '); }
            else b?.Append(c);
        }
        return b?.ToString() ?? s;
    }

    private static async Task WriteDocsAsync(BulwarkDbContext db, IReadOnlyList<SearchDoc> docs, CancellationToken ct)
    {
        if (docs.Count == 0) return;
        if (db.Provider == DatabaseProvider.Postgres)
        {
            // Words are split like the console's query and FTS5's unicode61 (runs of letters and digits), lower-cased, positions
            // stripped. A version deleted since it was read is not indexed again.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO content_search(content_version_id, content_id, body, hashes)
                SELECT u.id, u.cid, strip(to_tsvector('simple', regexp_replace(u.b, '[^[:alnum:]]+', ' ', 'g'))),
                       CASE WHEN u.h = '' THEN '{{}}'::text[] ELSE string_to_array(u.h, ' ') END
                FROM unnest({0}::bigint[], {1}::text[], {2}::text[], {3}::text[]) AS u(id, cid, b, h)
                WHERE EXISTS (SELECT 1 FROM content_versions v WHERE v.id = u.id)
                ON CONFLICT (content_version_id) DO UPDATE SET content_id = EXCLUDED.content_id, body = EXCLUDED.body, hashes = EXCLUDED.hashes
                """, [docs.Select(d => d.VersionId).ToArray(), docs.Select(d => d.ContentId).ToArray(), docs.Select(d => d.Body).ToArray(), docs.Select(d => d.Hashes).ToArray()], ct);
            return;
        }
        // FTS5 has no upsert: delete what an earlier attempt may have written, then insert.
        foreach (var chunk in docs.Chunk(200))
        {
            var ids = JsonSerializer.Serialize(chunk.Select(d => d.VersionId));
            await db.Database.ExecuteSqlAsync($"DELETE FROM content_search WHERE rowid IN (SELECT value FROM json_each({ids}))", ct);
            var sql = new StringBuilder("INSERT INTO content_search(rowid, content_id, body, hashes) SELECT v.id, x.c, x.b, x.h FROM (");
            var args = new List<object>();
            for (var i = 0; i < chunk.Length; i++)
            {
                if (i > 0) sql.Append(" UNION ALL ");
                sql.Append($"SELECT {{{args.Count}}} AS id, {{{args.Count + 1}}} AS c, {{{args.Count + 2}}} AS b, {{{args.Count + 3}}} AS h");
                args.AddRange([chunk[i].VersionId, chunk[i].ContentId, chunk[i].Body, chunk[i].Hashes]);
            }
            sql.Append(") x JOIN content_versions v ON v.id = x.id");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), args, ct);
        }
    }

    private static async Task WriteEntitiesAsync(BulwarkDbContext db, IReadOnlyList<EntitySignal> signals, CancellationToken ct)
    {
        var pairs = new HashSet<(long Entity, long Version)>();
        foreach (var s in signals)
            foreach (var entity in EntityIds(s.LabelsJson)) pairs.Add((entity, s.ContentVersionId));
        if (pairs.Count == 0) return;
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO content_search_entities(entity_id, content_version_id)
                SELECT * FROM unnest({0}::bigint[], {1}::bigint[]) ON CONFLICT DO NOTHING
                """, [pairs.Select(p => p.Entity).ToArray(), pairs.Select(p => p.Version).ToArray()], ct);
            return;
        }
        var rows = JsonSerializer.Serialize(pairs.Select(p => new[] { p.Entity, p.Version }));
        await db.Database.ExecuteSqlAsync(
            $"INSERT OR IGNORE INTO content_search_entities(entity_id, content_version_id) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each({rows})", ct);
    }

    /// <summary>The entity ids an entity signal's labels name (<c>entity:{id}</c>); nothing for labels that cannot be read.</summary>
    internal static IEnumerable<long> EntityIds(string labelsJson)
    {
        string[]? labels;
        try
        {
            using var json = JsonDocument.Parse(labelsJson);
            if (json.RootElement.ValueKind != JsonValueKind.Array) return [];
            labels = json.RootElement.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()!).ToArray();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException) { return []; }
        return labels.Where(l => EntityLabel().IsMatch(l)).Select(l => long.Parse(l.AsSpan(7), System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    [GeneratedRegex("^entity:[0-9]{1,18}$")]
    private static partial Regex EntityLabel();
}

/// <summary>Keeps the search index close to ingestion; searches also catch up a little before they run.</summary>
public sealed class ContentSearchIndexWorker(ContentSearchIndexer indexer, ILogger<ContentSearchIndexWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await indexer.CatchUpAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogWarning(ex, "Search index catch-up failed; it is retried."); }
            try { await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
