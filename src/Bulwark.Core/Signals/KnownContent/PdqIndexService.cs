using Bulwark.Core.Storage;
using Bulwark.Matching.Hashing;
using Bulwark.Matching.Index;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Signals.KnownContent;

/// <summary>
/// Where an index position points: a PDQ entry, one frame of a vPDQ entry (<see cref="Frame"/>: its ordinal among the
/// entry's distinct usable frame hashes), one of its frames hashed with its black bars (<see cref="Region"/> =
/// <see cref="UntrimmedFrame"/>, <see cref="Frame"/> its ordinal among the distinct usable untrimmed hashes), or one half of
/// one of its frames (<see cref="Region"/> is then the <see cref="VpdqRegion"/> and <see cref="Frame"/> the frame's ordinal
/// among the entry's usable region frames).
/// </summary>
public readonly record struct IndexedHash(long EntryId, int BankId, bool Video, byte Region = 0, int Frame = 0)
{
    /// <summary>The <see cref="Region"/> of a whole frame hashed with its black bars (not a half: no <see cref="VpdqRegion"/> has this value).</summary>
    public const byte UntrimmedFrame = 0x80;

    public bool IsRegion => Region != 0 && Region != UntrimmedFrame;
    public bool IsUntrimmed => Region == UntrimmedFrame;
}

/// <summary>A bank as the matcher needs it, refreshed with the index.</summary>
public sealed record IndexedBank(int Id, string Name, bool Enabled, bool Safe, int PdqThreshold, double VpdqQueryMatchPercent, double VpdqReferenceMatchPercent);

/// <summary>A hit of the index: which entry (and frame) and at what distance.</summary>
public readonly record struct IndexHit(IndexedHash Ref, int Distance, int Position);

/// <summary>
/// Every enabled PDQ entry and every usable vPDQ frame of every bank in one <see cref="PdqIndex"/>. Changes are applied
/// incrementally (adds append, disables tombstone): <see cref="RefreshAsync"/> reads entries changed since the last refresh,
/// so changes made by this process (BankService calls it) and by others (the loader polls) both arrive without a rebuild.
/// Searches take a read lock; refreshes take the write lock only to apply what they read.
/// </summary>
public sealed class PdqIndexService(IBulwarkDbFactory dbs, TimeProvider clock, KnownContentOptions options, ILogger<PdqIndexService> log, IReferenceChangeNotices? notices = null)
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private PdqIndex _index = new();
    private readonly List<IndexedHash> _refs = [];
    private readonly Dictionary<long, int[]> _positions = [];
    private readonly Dictionary<long, int> _videoFrames = [];
    private readonly Dictionary<long, int> _regionFrames = [];
    private readonly Dictionary<long, int> _untrimmedFrames = [];
    private readonly Dictionary<long, int> _entryBank = [];
    private Dictionary<int, IndexedBank> _banks = [];
    private DateTimeOffset? _watermark;
    private bool _dirty;

    /// <summary>True when the current contents started from a snapshot file (then only later changes were read).</summary>
    public bool LoadedFromSnapshot { get; private set; }

    public bool Loaded { get; private set; }
    public DateTimeOffset? LastUpdate { get; private set; }
    public string? LastError { get; private set; }
    public int Entries { get { _lock.EnterReadLock(); try { return _positions.Count; } finally { _lock.ExitReadLock(); } } }
    public int Hashes { get { _lock.EnterReadLock(); try { return _index.Count; } finally { _lock.ExitReadLock(); } } }
    public IReadOnlyDictionary<int, IndexedBank> Banks => Volatile.Read(ref _banks);

    /// <summary>The widest per-bank threshold: searches use it, the matcher then applies each bank's own.</summary>
    public int MaxThreshold => Banks.Count == 0 ? 31 : Banks.Values.Max(b => b.PdqThreshold);

    /// <summary>Usable distinct frames of a vPDQ entry (the denominator of its reference-match percentage).</summary>
    public int VideoFrames(long entryId) { _lock.EnterReadLock(); try { return _videoFrames.GetValueOrDefault(entryId); } finally { _lock.ExitReadLock(); } }

    /// <summary>Frames of a vPDQ entry with at least one usable half (the denominator of its region reference-match percentage).</summary>
    public int RegionFrames(long entryId) { _lock.EnterReadLock(); try { return _regionFrames.GetValueOrDefault(entryId); } finally { _lock.ExitReadLock(); } }

    /// <summary>Usable distinct untrimmed frames of a vPDQ entry (0 when it has none: hashed without bars, or imported).</summary>
    public int UntrimmedFrames(long entryId) { _lock.EnterReadLock(); try { return _untrimmedFrames.GetValueOrDefault(entryId); } finally { _lock.ExitReadLock(); } }

    public void Search(in PdqHash query, int threshold, List<IndexHit> hits)
    {
        var found = new List<PdqMatch>();
        _lock.EnterReadLock();
        try
        {
            _index.Search(query, threshold, found);
            foreach (var m in found) hits.Add(new IndexHit(_refs[m.Id], m.Distance, m.Id));
        }
        finally { _lock.ExitReadLock(); }
    }

    private void Remove(long entryId)
    {
        if (_positions.Remove(entryId, out var positions))
            foreach (var p in positions) _index.Disable(p);
        _videoFrames.Remove(entryId);
        _regionFrames.Remove(entryId);
        _untrimmedFrames.Remove(entryId);
        _entryBank.Remove(entryId);
    }

    /// <summary>Loads the index on first use (the server's loader usually has already).</summary>
    public Task EnsureLoadedAsync(CancellationToken ct) => Loaded ? Task.CompletedTask : RefreshAsync(ct);

    /// <summary>
    /// After a change this process made: tells the other processes (<see cref="IReferenceChangeNotices"/>) and applies the
    /// change here, if the index is loaded at all (a short-lived CLI never loads it for a write).
    /// </summary>
    public Task FollowAsync(CancellationToken ct)
    {
        notices?.Changed(ReferenceData.Banks);
        return Loaded ? RefreshAsync(ct) : Task.CompletedTask;
    }

    public async Task RefreshAsync(CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            await using var db = dbs.Create();
            if (!Loaded && options.IndexSnapshotPath is { Length: > 0 } path && File.Exists(path)) await TryLoadSnapshotAsync(db, path, ct);
            var banks = await db.Banks.AsNoTracking()
                .Select(b => new IndexedBank(b.Id, b.Name, b.Enabled, b.Safe, b.PdqThreshold, b.VpdqQueryMatchPercent, b.VpdqReferenceMatchPercent))
                .ToDictionaryAsync(b => b.Id, ct);
            var query = db.BankEntries.AsNoTracking().Where(e => e.SignalType == KnownSignalTypes.Pdq || e.SignalType == KnownSignalTypes.Vpdq);
            // ">=": several changes can share a timestamp (a frozen test clock, a coarse clock); applying an entry twice is harmless.
            if (_watermark is { } w) query = query.Where(e => e.UpdatedAt >= w);
            var changed = await query.OrderBy(e => e.Id)
                .Select(e => new { e.Id, e.BankId, e.SignalType, e.Value, e.Payload, e.RegionPayload, e.Enabled, e.UpdatedAt }).ToListAsync(ct);

            _lock.EnterWriteLock();
            try
            {
                // New entries are added as one batch: the index grows its hash array once and indexes a large batch (a
                // first load of millions of entries) as one segment, as Build would, instead of entry by entry.
                var adds = new List<(long Entry, int Bank, bool Video, int Count, int Frames, int RegionFrames, int UntrimmedFrames)>();
                var batch = new List<PdqHash>();
                var batchRefs = new List<IndexedHash>();
                foreach (var e in changed)
                {
                    // Entry ids are unique in `changed`, so an entry is at most once in the batch.
                    var indexed = _positions.ContainsKey(e.Id);
                    if (!e.Enabled && indexed) Remove(e.Id);
                    else if (e.Enabled && !indexed)
                    {
                        var video = e.SignalType == KnownSignalTypes.Vpdq;
                        var hashes = video
                            ? VpdqMatcher.UsableHashes(VpdqFormat.Parse(e.Payload ?? "").Frames, options.MinQuality)
                            : PdqHash.TryParse(e.Value, out var h) ? [h] : [];
                        var start = batch.Count;
                        for (var f = 0; f < hashes.Count; f++) { batch.Add(hashes[f]); batchRefs.Add(new IndexedHash(e.Id, e.BankId, video, Frame: f)); }
                        // Untrimmed frames (hashed with their black bars): whole frames of their own, not region hashes, so
                        // they are indexed whatever VideoRegionHashes says.
                        var untrimmed = video && e.RegionPayload is { Length: > 0 } extra
                            ? VpdqMatcher.UsableHashes(VpdqRegionFormat.ParseUntrimmed(extra).Frames, options.MinQuality) : [];
                        for (var f = 0; f < untrimmed.Count; f++)
                        {
                            batch.Add(untrimmed[f]);
                            batchRefs.Add(new IndexedHash(e.Id, e.BankId, true, IndexedHash.UntrimmedFrame, f));
                        }
                        // Region hashes: each distinct usable half once, tagged with its half and its frame's ordinal.
                        var regionFrames = 0;
                        if (video && options.VideoRegionHashes && e.RegionPayload is { Length: > 0 } regionText)
                        {
                            var frames = VpdqRegionMatcher.UsableFrames(VpdqRegionFormat.Parse(regionText).Frames, options.MinQuality);
                            for (var f = 0; f < frames.Count; f++)
                                foreach (var (region, hash) in frames[f].Hashes)
                                {
                                    batch.Add(hash);
                                    batchRefs.Add(new IndexedHash(e.Id, e.BankId, true, (byte)region, f));
                                }
                            regionFrames = frames.Count;
                        }
                        adds.Add((e.Id, e.BankId, video, batch.Count - start, hashes.Count, regionFrames, untrimmed.Count));
                    }
                    if (_watermark is null || e.UpdatedAt > _watermark) _watermark = e.UpdatedAt;
                }
                var next = batch.Count == 0 ? _index.TotalEntries : _index.AddRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batch));
                _refs.AddRange(batchRefs);
                foreach (var (entry, bank, video, count, frames, regionFrames, untrimmedFrames) in adds)
                {
                    var added = new int[count];
                    for (var i = 0; i < count; i++) added[i] = next++;
                    _positions[entry] = added;
                    _entryBank[entry] = bank;
                    if (video) _videoFrames[entry] = frames;
                    if (regionFrames > 0) _regionFrames[entry] = regionFrames;
                    if (untrimmedFrames > 0) _untrimmedFrames[entry] = untrimmedFrames;
                }
                // Entries of deleted banks are gone from the database, so no change row announces them: drop them here.
                var orphans = _entryBank.Where(kv => !banks.ContainsKey(kv.Value)).Select(kv => kv.Key).ToList();
                foreach (var id in orphans) Remove(id);
                if (changed.Count > 0 || orphans.Count > 0) _dirty = true;
                _banks = banks;
            }
            finally { _lock.ExitWriteLock(); }
            Loaded = true;
            LastError = null;
            if (changed.Count > 0 || LastUpdate is null) LastUpdate = clock.GetUtcNow();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LastError = ex.Message;
            log.LogWarning(ex, "PDQ index refresh failed");
            throw;
        }
        finally { _refresh.Release(); }
    }

    // Snapshot: the index tables plus the position → entry map and the change watermark. On start the snapshot is loaded
    // and only entries changed since its watermark are read, instead of every entry. It is refused (and the index rebuilt
    // from the database) when it was written for another database or the database holds entries it does not know.

    private const long SnapshotMagic = 0x3458444951574C42; // "BLWQPDX4" (X3 had no untrimmed frames, X2 no region hashes; both are refused and rebuilt)

    /// <summary>Writes the snapshot if anything changed since the last write (atomically: temporary file, then rename).</summary>
    public async Task SaveSnapshotAsync(CancellationToken ct)
    {
        if (options.IndexSnapshotPath is not { Length: > 0 } path || !_dirty) return;
        await _refresh.WaitAsync(ct);
        try
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var temp = full + ".tmp";
            _lock.EnterReadLock();
            try
            {
                using var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
                using var w = new BinaryWriter(file);
                w.Write(SnapshotMagic);
                w.Write(Fingerprint());
                w.Write(_watermark?.UtcTicks ?? 0L);
                w.Write(_refs.Count);
                foreach (var r in _refs) { w.Write(r.EntryId); w.Write(r.BankId); w.Write(r.Video); w.Write(r.Region); w.Write(r.Frame); }
                w.Write(_positions.Count);
                foreach (var (entry, positions) in _positions)
                {
                    w.Write(entry);
                    w.Write(_entryBank[entry]);
                    w.Write(positions.Length);
                    foreach (var p in positions) w.Write(p);
                }
                w.Flush();
                _index.Save(file);
                _dirty = false;
            }
            finally { _lock.ExitReadLock(); }
            File.Move(temp, full, overwrite: true);
        }
        finally { _refresh.Release(); }
    }

    private async Task TryLoadSnapshotAsync(BulwarkDbContext db, string path, CancellationToken ct)
    {
        try
        {
            PdqIndex index;
            var refs = new List<IndexedHash>();
            var positions = new Dictionary<long, int[]>();
            var entryBank = new Dictionary<long, int>();
            DateTimeOffset watermark;
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: false))
            {
                using var r = new BinaryReader(file, System.Text.Encoding.UTF8, leaveOpen: true);
                if (r.ReadInt64() != SnapshotMagic) throw new InvalidDataException("not a Bulwark PDQ index snapshot");
                if (r.ReadString() != Fingerprint()) throw new InvalidDataException("written for another database");
                watermark = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
                var count = r.ReadInt32();
                for (var i = 0; i < count; i++) refs.Add(new IndexedHash(r.ReadInt64(), r.ReadInt32(), r.ReadBoolean(), r.ReadByte(), r.ReadInt32()));
                var entries = r.ReadInt32();
                for (var i = 0; i < entries; i++)
                {
                    var id = r.ReadInt64();
                    entryBank[id] = r.ReadInt32();
                    var list = new int[r.ReadInt32()];
                    for (var j = 0; j < list.Length; j++) list[j] = r.ReadInt32();
                    positions[id] = list;
                }
                index = PdqIndex.Load(file);
                if (index.TotalEntries != refs.Count) throw new InvalidDataException("index and entry map disagree");
            }
            var known = await db.BankEntries.CountAsync(e => e.Enabled && (e.SignalType == KnownSignalTypes.Pdq || e.SignalType == KnownSignalTypes.Vpdq) && e.UpdatedAt <= watermark, ct);
            if (known > positions.Count) throw new InvalidDataException($"the database has {known} entries up to the snapshot's time, the snapshot {positions.Count}");
            _lock.EnterWriteLock();
            try
            {
                _index = index;
                _refs.Clear();
                _refs.AddRange(refs);
                _positions.Clear();
                foreach (var (k, v) in positions) _positions[k] = v;
                _entryBank.Clear();
                foreach (var (k, v) in entryBank) _entryBank[k] = v;
                _videoFrames.Clear();
                _regionFrames.Clear();
                _untrimmedFrames.Clear();
                foreach (var (k, v) in positions)
                {
                    if (v.Length == 0 || !refs[v[0]].Video) continue;
                    _videoFrames[k] = v.Count(p => refs[p].Region == 0);
                    var regionFrames = v.Where(p => refs[p].IsRegion).Select(p => refs[p].Frame + 1).DefaultIfEmpty(0).Max();
                    if (regionFrames > 0) _regionFrames[k] = regionFrames;
                    var untrimmedFrames = v.Count(p => refs[p].IsUntrimmed);
                    if (untrimmedFrames > 0) _untrimmedFrames[k] = untrimmedFrames;
                }
                _watermark = watermark;
            }
            finally { _lock.ExitWriteLock(); }
            LoadedFromSnapshot = true;
            log.LogInformation("PDQ index loaded from snapshot {Path}: {Entries} entries", path, positions.Count);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or EndOfStreamException or UnauthorizedAccessException)
        {
            log.LogWarning("PDQ index snapshot {Path} not used ({Reason}); rebuilding from the database", path, ex.Message);
        }
    }

    /// <summary>Which database a snapshot belongs to (a hash: connection strings may hold passwords).</summary>
    private string Fingerprint()
    {
        using var db = dbs.Create();
        // Whether region hashes are indexed is part of it, so turning them on or off rebuilds the index.
        var id = $"{dbs.Provider}|{db.Database.GetConnectionString()}" + (options.VideoRegionHashes ? "|regions" : "");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));
    }
}

/// <summary>Loads the index at start-up and then follows changes made by other processes.</summary>
public sealed class PdqIndexLoader(PdqIndexService index, KnownContentOptions options, TimeProvider clock, ILogger<PdqIndexLoader> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await index.RefreshAsync(stoppingToken);
                await index.SaveSnapshotAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogWarning(ex, "PDQ index refresh failed; retrying"); }
            try { await Task.Delay(TimeSpan.FromSeconds(options.IndexRefreshSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
