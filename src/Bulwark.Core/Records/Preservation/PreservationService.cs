using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Records.Preservation;

/// <summary>
/// The preservation store (Reg. 2021/784 Art. 6): copies removed content and its related data, keeps it for
/// <see cref="PreservationOptions.RetentionMonths"/> or while a legal hold is active, audits every access, and purges
/// what has expired. Media copies live in a folder only the server's user can read.
/// </summary>
public sealed class PreservationService(
    IBulwarkDbFactory dbs, IMediaStore media, AuditLog audit, TimeProvider clock, PreservationOptions options, ILogger<PreservationService> log)
{
    private const string JobActor = "preservation";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public string Root { get; } = Path.GetFullPath(options.Path);

    /// <summary>Makes the copies of pending items; returns how many were completed. Safe to repeat: a completed item is skipped.</summary>
    public async Task<int> CopyPendingAsync(CancellationToken ct)
    {
        List<PreservedItemRow> pending;
        await using (var read = dbs.Create())
            pending = await read.Set<PreservedItemRow>().AsNoTracking().Where(i => i.Status == PreservationStatus.Pending)
                .OrderBy(i => i.Id).Take(options.BatchSize).ToListAsync(ct);
        var done = 0;
        foreach (var item in pending)
        {
            try
            {
                if (await CopyAsync(item.Id, ct)) done++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbUpdateException)
            {
                // Left pending: the next run tries again.
                log.LogWarning(ex, "Preservation item {Id} could not be copied yet", item.Id);
            }
        }
        return done;
    }

    private async Task<bool> CopyAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var item = await db.Set<PreservedItemRow>().AsNoTracking().FirstAsync(i => i.Id == id, ct);
        var version = await db.ContentVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == item.ContentVersionId, ct);
        var signals = await db.Signals.AsNoTracking().Where(s => s.ContentVersionId == item.ContentVersionId).OrderBy(s => s.Id).ToListAsync(ct);
        var decision = await db.Decisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == item.DecisionId, ct);
        var account = item.AccountId is null ? null : await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == item.AccountId, ct);

        // Media: what the event declared, and what the pipeline resolved (fetched URLs are only known by their signals).
        var wanted = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (version is not null && TryReadEvent(version.EventJson) is { Media: { } refs })
            foreach (var m in refs)
                if (m.Sha256 is { Length: 64 } sha) wanted.TryAdd(sha, m.MimeType);
        foreach (var s in signals.Where(s => s.Type == SignalTypes.MediaHashes && s.Value is not null))
            foreach (var part in s.Value!.Split(';'))
                if (part.StartsWith("sha256=", StringComparison.Ordinal) && part.Length == 71) wanted.TryAdd(part[7..], null);

        var folder = ItemFolder(id);
        CreateRestricted(Root);
        CreateRestricted(folder);
        var files = new List<PreservedFileRow>();
        foreach (var (sha, mime) in wanted)
        {
            var target = Path.Combine(folder, sha);
            await using var source = media.OpenRead(sha);
            if (source is null)
            {
                files.Add(new PreservedFileRow { ItemId = id, Sha256 = sha, MimeType = mime, Available = false, Note = "not in the media store (never stored, or fetch failed)" });
                continue;
            }
            if (!File.Exists(target))
            {
                var temp = target + ".partial";
                await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    await source.CopyToAsync(output, ct);
                File.Move(temp, target, overwrite: true);
            }
            files.Add(new PreservedFileRow { ItemId = id, Sha256 = sha, MimeType = mime, Size = new FileInfo(target).Length, Available = true });
        }

        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.Set<PreservedItemRow>().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (row is null || row.Status != PreservationStatus.Pending) return false; // purged or completed by another process
        row.EventJson = version?.EventJson;
        row.SignalsJson = JsonSerializer.Serialize(signals.Select(s => new
        {
            s.Type, s.Source, s.Value, s.Score, s.Distance, s.Bank, s.BankEntryId, Labels = s.LabelsJson, s.Explanation, s.CreatedAt,
        }), Json);
        row.DecisionJson = decision is null ? null : JsonSerializer.Serialize(decision, Json);
        row.AccountJson = account is null ? null : JsonSerializer.Serialize(account, Json);
        row.Status = PreservationStatus.Preserved;
        row.PreservedAt = clock.GetUtcNow();
        db.Set<PreservedFileRow>().AddRange(files);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(JobActor, "preservation.preserved", $"preservation:{id}",
            Before: PreservationStatus.Pending,
            After: $"decision {row.DecisionId}; content {row.ContentId}; {files.Count(f => f.Available)} of {files.Count} media file(s) copied; expires {row.ExpiresAt:O}",
            Reason: $"removal ({row.Cause}) under Regulation 2021/784 Art. 6")], ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Items in id order after <paramref name="cursor"/>; the listing itself is audited.</summary>
    public async Task<IReadOnlyList<PreservedItemSummary>> ListAsync(string actor, string? contentId, long cursor, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var q = db.Set<PreservedItemRow>().AsNoTracking().Where(i => i.Id > cursor);
        if (contentId is not null) q = q.Where(i => i.ContentId == contentId);
        var rows = await q.OrderBy(i => i.Id).Take(limit).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var held = (await db.Set<PreservationHoldRow>().AsNoTracking().Where(h => ids.Contains(h.ItemId) && h.ReleasedAt == null)
            .Select(h => h.ItemId).ToListAsync(ct)).ToHashSet();
        await audit.AppendAsync(db, [new AuditRecord(actor, "preservation.listed", "preservation:*",
            After: $"{rows.Count} item(s) after {cursor}" + (contentId is null ? "" : $" for content {contentId}") + (rows.Count == 0 ? "" : $": {string.Join(",", ids)}"))], ct);
        await tx.CommitAsync(ct);
        return rows.Select(r => new PreservedItemSummary(r.Id, r.DecisionId, r.ContentId, r.AccountId, r.Policy, r.Cause, r.Status, r.CreatedAt, r.ExpiresAt, held.Contains(r.Id))).ToList();
    }

    /// <summary>One item with its copies and holds; the read is audited.</summary>
    public async Task<PreservedItemView?> GetAsync(long id, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var view = await ViewAsync(db, id, ct);
        if (view is null) return null;
        await audit.AppendAsync(db, [new AuditRecord(actor, "preservation.read", $"preservation:{id}", After: $"content {view.ContentId}; decision {view.DecisionId}")], ct);
        await tx.CommitAsync(ct);
        return view;
    }

    /// <summary>Opens a preserved media file; the download is audited before the stream is handed out.</summary>
    public async Task<PreservationResult<PreservedFile>> OpenFileAsync(long id, string sha256, string actor, CancellationToken ct)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            return PreservationResult<PreservedFile>.Invalid(new FieldError("sha256", "must be 64 lowercase hexadecimal characters"));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await db.Set<PreservedItemRow>().AnyAsync(i => i.Id == id, ct))
            return PreservationResult<PreservedFile>.Fail(PreservationError.NotFound, $"There is no preserved item {id}.");
        var file = await db.Set<PreservedFileRow>().AsNoTracking().FirstOrDefaultAsync(f => f.ItemId == id && f.Sha256 == sha256, ct);
        var path = Path.Combine(ItemFolder(id), sha256);
        if (file is null || !file.Available || !File.Exists(path))
            return PreservationResult<PreservedFile>.Fail(PreservationError.NotFound, $"Preserved item {id} has no copy of a file with SHA-256 {sha256}.");
        await audit.AppendAsync(db, [new AuditRecord(actor, "preservation.file_downloaded", $"preservation:{id}", After: $"file {sha256} ({file.Size} bytes)")], ct);
        await tx.CommitAsync(ct);
        return PreservationResult<PreservedFile>.Ok(new PreservedFile(File.OpenRead(path), sha256, file.Size, file.MimeType));
    }

    /// <summary>Places a legal hold: the item is kept past its expiry until every hold is released.</summary>
    public async Task<PreservationResult<HoldView>> PlaceHoldAsync(long id, string? reference, string? reason, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(reference)) errors.Add(new("reference", "is required: the order, case or request the hold is for"));
        else if (reference.Length > 200) errors.Add(new("reference", "must be at most 200 characters"));
        if (string.IsNullOrWhiteSpace(reason)) errors.Add(new("reason", "is required: why the item must be kept"));
        else if (reason.Length > 2000) errors.Add(new("reason", "must be at most 2000 characters"));
        if (errors.Count > 0) return PreservationResult<HoldView>.Invalid([.. errors]);

        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (!await db.Set<PreservedItemRow>().AnyAsync(i => i.Id == id, ct))
            return PreservationResult<HoldView>.Fail(PreservationError.NotFound, $"There is no preserved item {id}.");
        var hold = new PreservationHoldRow { ItemId = id, Reference = reference!.Trim(), Reason = reason!.Trim(), PlacedBy = actor, PlacedAt = clock.GetUtcNow() };
        db.Set<PreservationHoldRow>().Add(hold);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "preservation.hold_placed", $"preservation:{id}", After: $"hold {hold.Id}; reference {hold.Reference}", Reason: hold.Reason)], ct);
        await tx.CommitAsync(ct);
        return PreservationResult<HoldView>.Ok(HoldOf(hold));
    }

    public async Task<PreservationResult<HoldView>> ReleaseHoldAsync(long id, long holdId, string? reason, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason)) return PreservationResult<HoldView>.Invalid(new FieldError("reason", "is required: why the hold ends"));
        if (reason.Length > 2000) return PreservationResult<HoldView>.Invalid(new FieldError("reason", "must be at most 2000 characters"));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var hold = await db.Set<PreservationHoldRow>().FirstOrDefaultAsync(h => h.Id == holdId && h.ItemId == id, ct);
        if (hold is null) return PreservationResult<HoldView>.Fail(PreservationError.HoldNotFound, $"Preserved item {id} has no hold {holdId}.");
        if (hold.ReleasedAt is not null)
            return PreservationResult<HoldView>.Fail(PreservationError.HoldReleased, $"Hold {holdId} was already released by {hold.ReleasedBy} on {hold.ReleasedAt:yyyy-MM-dd}.");
        hold.ReleasedAt = clock.GetUtcNow();
        hold.ReleasedBy = actor;
        hold.ReleaseReason = reason.Trim();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "preservation.hold_released", $"preservation:{id}", Before: $"hold {holdId} active; reference {hold.Reference}", After: "released", Reason: hold.ReleaseReason)], ct);
        await tx.CommitAsync(ct);
        return PreservationResult<HoldView>.Ok(HoldOf(hold));
    }

    /// <summary>
    /// Deletes expired items without an active hold or an open appeal against their decision (complaint handling is one of
    /// the purposes of Art. 6(1)(a); the upheld outcome then extends the item): files first, then rows with an audit entry per item in one transaction,
    /// so an interrupted purge is simply repeated. Returns how many items were purged.
    /// </summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<PreservedItemRow> due;
        await using (var read = dbs.Create())
            due = await read.Set<PreservedItemRow>().AsNoTracking()
                .Where(i => i.ExpiresAt <= now && !read.Set<PreservationHoldRow>().Any(h => h.ItemId == i.Id && h.ReleasedAt == null)
                    && !read.Set<AppealRow>().Any(a => a.DecisionId == i.DecisionId && a.Status == AppealStatus.Open))
                .OrderBy(i => i.Id).Take(options.BatchSize).ToListAsync(ct);
        var purged = 0;
        foreach (var item in due)
        {
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            // Re-check inside the transaction: a hold may have been placed since the item was listed.
            var row = await db.Set<PreservedItemRow>().FirstOrDefaultAsync(i => i.Id == item.Id, ct);
            if (row is null || row.ExpiresAt > now || await db.Set<PreservationHoldRow>().AnyAsync(h => h.ItemId == item.Id && h.ReleasedAt == null, ct)
                || await db.Set<AppealRow>().AnyAsync(a => a.DecisionId == item.DecisionId && a.Status == AppealStatus.Open, ct)) continue;
            var files = await db.Set<PreservedFileRow>().Where(f => f.ItemId == item.Id).ToListAsync(ct);
            var holds = await db.Set<PreservationHoldRow>().Where(h => h.ItemId == item.Id).ToListAsync(ct);
            var folder = ItemFolder(item.Id);
            try { Directory.Delete(folder, recursive: true); }
            catch (DirectoryNotFoundException) { /* never copied, or deleted by an interrupted earlier purge */ }
            db.RemoveRange(files);
            db.RemoveRange(holds);
            db.Remove(row);
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, [new AuditRecord(JobActor, "preservation.purged", $"preservation:{item.Id}",
                Before: $"{row.Status}; decision {row.DecisionId}; content {row.ContentId}; {files.Count} file(s); {holds.Count} released hold(s)",
                After: "deleted",
                Reason: $"retention ended {row.ExpiresAt:O} (purged {now:O}); no active legal hold")], ct);
            await tx.CommitAsync(ct);
            purged++;
        }
        return purged;
    }

    private async Task<PreservedItemView?> ViewAsync(BulwarkDbContext db, long id, CancellationToken ct)
    {
        var r = await db.Set<PreservedItemRow>().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (r is null) return null;
        var files = await db.Set<PreservedFileRow>().AsNoTracking().Where(f => f.ItemId == id).OrderBy(f => f.Id).ToListAsync(ct);
        var holds = (await db.Set<PreservationHoldRow>().AsNoTracking().Where(h => h.ItemId == id).OrderBy(h => h.Id).ToListAsync(ct)).Select(HoldOf).ToList();
        return new PreservedItemView(r.Id, r.DecisionId, r.ContentId, r.ContentVersionId, r.AccountId, r.Policy, r.Cause, r.Status,
            r.CreatedAt, r.PreservedAt, r.ExpiresAt, holds.Any(h => h.Active), r.EventJson, r.SignalsJson, r.DecisionJson, r.AccountJson,
            files.Select(f => new PreservedFileView(f.Sha256, f.Size, f.MimeType, f.Available, f.Note)).ToList(), holds);
    }

    private static HoldView HoldOf(PreservationHoldRow h) =>
        new(h.Id, h.Reference, h.Reason, h.PlacedBy, h.PlacedAt, h.ReleasedAt, h.ReleasedBy, h.ReleaseReason, h.ReleasedAt is null);

    private string ItemFolder(long id) => Path.Combine(Root, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static ContentEvent? TryReadEvent(string json)
    {
        try { return JsonSerializer.Deserialize(json, IngestJson.Default.ContentEvent); }
        catch (JsonException) { return null; }
    }

    private static void CreateRestricted(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
