using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Records;
using Bulwark.Core.Signals.Entities.Importers;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals.Entities;

public static class ImportRunStatuses
{
    public const string DryRun = "dry-run";
    public const string Applied = "applied";
    public const string Refused = "refused";
}

public static class ImportRefusals
{
    /// <summary>The file is not a readable list: malformed XML, DTD, invalid UTF-8, wrong structure, over the size limit.</summary>
    public const string Unreadable = "unreadable";
    /// <summary>Records have errors (missing keys, duplicate reference numbers, bad dates…).</summary>
    public const string Invalid = "invalid";
    /// <summary>The list shrank by more than the allowed fraction and the import was not forced.</summary>
    public const string Shrink = "shrink";
}

public sealed record ImportRequest(bool DryRun = false, bool Force = false);

public sealed record DiffRecord(string Key, string? ReferenceNumber, string Name, string? ListType, IReadOnlyList<string>? Fields = null);

public sealed record ImportDiff(IReadOnlyList<DiffRecord> Added, IReadOnlyList<DiffRecord> Changed, IReadOnlyList<DiffRecord> Delisted, IReadOnlyList<string> Issues)
{
    public static ImportDiff Empty { get; } = new([], [], [], []);
}

public sealed record ImportRunView(
    long Id, string Source, string Status, string? FileName, string FileSha256, long FileBytes, int Records, int Added, int Changed,
    int Delisted, int Unchanged, int PreviousCount, bool Forced, string? Refusal, string? Problem, ImportDiff Diff, string Actor, DateTimeOffset CreatedAt);

/// <summary>
/// Import runs of designated-entity lists. A run parses the file, diffs it against the source's active listings in the registry
/// (added, changed, delisted, by the source's stable key) and either stores that diff (dry run), refuses (unreadable file, record
/// errors, suspicious shrink) or applies it in one write transaction with its audit entries: all or nothing. Every run is stored.
/// </summary>
public sealed partial class ListImportService(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock, EntityOptions options, EntityScreeningService screening)
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}\\z")]
    private static partial Regex SourcePattern();

    public static bool IsValidSource(string source) => SourcePattern().IsMatch(source);

    public async Task<ImportRunView> ImportAsync(string source, Stream content, string? fileName, ImportRequest request, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!IsValidSource(source))
            throw new ArgumentException("A list source is 1 to 64 characters of a-z, 0-9, '.', '_' or '-' (e.g. un-sc, eu, splc).", nameof(source));
        var config = options.Source(source);
        var (bytes, sha, tooLarge) = await ReadAsync(content, ct);
        var run = new ListImportRunRow
        {
            Source = source, Status = ImportRunStatuses.Refused, FileName = Clip(fileName, 512), FileSha256 = sha, FileBytes = bytes.Length,
            Forced = request.Force, Actor = actor, CreatedAt = clock.GetUtcNow(),
        };
        if (tooLarge)
            return await RefuseAsync(run, ImportRefusals.Unreadable, $"The file exceeds the import size limit of {options.MaxImportBytes:N0} bytes.", ImportDiff.Empty, ct);

        ListParseResult parsed;
        try
        {
            var input = new MemoryStream(bytes, writable: false);
            var limits = new ListParserOptions { MaxBytes = options.MaxImportBytes };
            parsed = config.Format switch
            {
                ListFormats.UnSc => UnConsolidatedListParser.Parse(input, limits),
                ListFormats.Eu => EuSanctionsParser.Parse(input, limits),
                _ => CsvListParser.Parse(input, source, CsvListFormat.Splc, limits),
            };
        }
        catch (ListFormatException ex)
        {
            return await RefuseAsync(run, ImportRefusals.Unreadable, ex.Message, ImportDiff.Empty, ct);
        }
        // UN and EU records carry their own source name; the registry keys listings by the source they were imported as.
        var records = parsed.Records.Select(r => r with { Source = source }).ToList();
        var issues = parsed.Issues.Select(i => i.ToString()).ToList();
        var extra = records.SelectMany(r => r.Names.Where(n => n.Name.Length > EntityRegistry.MaxTermLength)
            .Select(n => $"Error at record {r.Key}: name longer than {EntityRegistry.MaxTermLength} characters: '{n.Name[..40]}…'")).ToList();
        issues.AddRange(extra);
        run.Records = records.Count;
        if (parsed.HasErrors || extra.Count > 0)
        {
            var errors = parsed.Errors.Select(e => e.ToString()).Concat(extra).ToList();
            var problem = $"The list has {errors.Count} error(s); nothing was imported. {string.Join(" | ", errors.Take(10))}{(errors.Count > 10 ? $" | … and {errors.Count - 10} more" : "")}";
            return await RefuseAsync(run, ImportRefusals.Invalid, problem, new ImportDiff([], [], [], issues), ct);
        }

        // The diff is computed inside the write transaction it is applied in, so two imports of one source cannot interleave
        // (SQLite: the write gate; PostgreSQL: a per-source advisory lock). A dry run or a refusal rolls it back and is stored on its own.
        var refusal = (Kind: (string?)null, Problem: "");
        await using (var db = dbs.Create())
        await using (var tx = await dbs.BeginWriteAsync(db, ct))
        {
            if (db.Provider == DatabaseProvider.Postgres)
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [ImportLockKey(source)], ct);
            var listings = await db.Set<EntityListingRow>().AsNoTracking().Where(l => l.Source == source && l.Active).ToListAsync(ct);
            var previous = listings.Select(l => JsonSerializer.Deserialize<ListedRecord>(l.RecordJson)!).ToList();
            run.PreviousCount = previous.Count;
            ListDiffResult? diff = null;
            try
            {
                diff = ListDiff.Compute(previous, records, new ListDiffOptions { MaxShrinkFraction = options.MaxShrinkFraction, Force = request.Force });
            }
            catch (ListShrinkRefusedException ex)
            {
                refusal = (ImportRefusals.Shrink, ex.Message);
            }
            if (diff is not null)
            {
                run.Added = diff.Added.Count;
                run.Changed = diff.Changed.Count;
                run.Delisted = diff.Delisted.Count;
                run.Unchanged = diff.Unchanged;
                run.DiffJson = JsonSerializer.Serialize(DiffView(diff, issues));
                if (!request.DryRun)
                {
                    run.Status = ImportRunStatuses.Applied;
                    db.Set<ListImportRunRow>().Add(run);
                    await db.SaveChangesAsync(ct);
                    var auditRecords = await ApplyAsync(db, run, config, diff, actor, ct);
                    auditRecords.Add(new AuditRecord(actor, "list.import_applied", $"list:{source}/import:{run.Id}",
                        Before: $"{diff.PreviousCount} active records",
                        After: $"{records.Count} records; added {run.Added}, changed {run.Changed}, delisted {run.Delisted}, unchanged {run.Unchanged}; sha256={sha}" + (request.Force ? "; forced" : "")));
                    await audit.AppendAsync(db, auditRecords, ct);
                    await tx.CommitAsync(ct);
                }
            }
        }
        if (refusal.Kind is not null) return await RefuseAsync(run, refusal.Kind, refusal.Problem, new ImportDiff([], [], [], issues), ct);
        if (request.DryRun)
        {
            run.Status = ImportRunStatuses.DryRun;
            return await StoreAsync(run, ct);
        }
        await screening.FollowAsync(ct);
        return View(run);
    }

    /// <summary>A stable 64-bit key per source for PostgreSQL's advisory lock (string.GetHashCode is randomised per process).</summary>
    private static long ImportLockKey(string source) =>
        BitConverter.ToInt64(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("bulwark:list-import:" + source)), 0);

    private async Task<List<AuditRecord>> ApplyAsync(BulwarkDbContext db, ListImportRunRow run, ListSourceOptions config, ListDiffResult diff, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var source = run.Source;
        var entities = db.Set<DesignatedEntityRow>();
        var touchedKeys = diff.Added.Select(r => r.Key).Concat(diff.Changed.Select(c => c.Current.Key)).Concat(diff.Delisted.Select(r => r.Key)).ToHashSet(StringComparer.Ordinal);
        // Every listing of the source (active or not: a delisted record may come back) with its entity.
        var listings = await db.Set<EntityListingRow>().Where(l => l.Source == source).ToListAsync(ct);
        var byKey = listings.Where(l => touchedKeys.Contains(l.SourceKey)).ToDictionary(l => l.SourceKey, StringComparer.Ordinal);
        var entityIds = byKey.Values.Select(l => l.EntityId).ToHashSet();
        var loaded = await entities.Where(e => entityIds.Contains(e.Id)).Include(e => e.Terms).Include(e => e.Listings).AsSplitQuery().ToDictionaryAsync(e => e.Id, ct);
        var audits = new List<(DesignatedEntityRow Entity, string Action, string? Before, string After, string? Reason)>();

        foreach (var record in diff.Added)
        {
            var kind = record.Kind == ListedKind.Individual ? EntityKinds.Individual : EntityKinds.Organisation;
            var approve = config.AutoApproves(record.ListType);
            var status = approve ? EntityStatuses.Approved : EntityStatuses.Proposed;
            var reason = approve
                ? $"listed on {source} (list type {record.ListType ?? "none"}, auto-approved by source configuration); import run {run.Id}"
                : $"listed on {source}{(record.ListType is null ? "" : $" (list type {record.ListType})")}; awaiting review; import run {run.Id}";
            if (byKey.TryGetValue(record.Key, out var old))
            {
                // A record delisted earlier and listed again: the same entity comes back.
                var entity = loaded[old.EntityId];
                var before = entity.Status;
                UpdateListing(old, record, run.Id);
                old.Active = true;
                old.DelistedAt = null;
                ReplaceTerms(entity, record, source, config);
                if (entity.Status != status) EntityRegistry.SetStatus(entity, status, actor, "re-" + reason, now);
                entity.UpdatedAt = now;
                audits.Add((entity, "entity.relisted", $"status={before}", EntityRegistry.Describe(entity), entity.StatusReason));
                continue;
            }
            var row = new DesignatedEntityRow
            {
                Kind = kind, PrimaryName = record.PrimaryName, Tier = config.TierFor(kind, record.ListType), Status = status,
                Ideology = config.Format == ListFormats.Csv ? record.ListType : null, Notes = Clip(record.Comments, 4000),
                Origin = source, CreatedAt = now, UpdatedAt = now, StatusChangedBy = actor, StatusChangedAt = now, StatusReason = reason,
            };
            var listing = new EntityListingRow { Source = source, SourceKey = record.Key };
            UpdateListing(listing, record, run.Id);
            row.Listings.Add(listing);
            ReplaceTerms(row, record, source, config);
            entities.Add(row);
            audits.Add((row, approve ? "entity.approved" : "entity.proposed", null, EntityRegistry.Describe(row), reason));
        }

        foreach (var change in diff.Changed)
        {
            var listing = byKey[change.Current.Key];
            var entity = loaded[listing.EntityId];
            var before = EntityRegistry.Describe(entity);
            UpdateListing(listing, change.Current, run.Id);
            ReplaceTerms(entity, change.Current, source, config);
            entity.UpdatedAt = now;
            audits.Add((entity, "entity.list_updated", before, $"{EntityRegistry.Describe(entity)}; changed: {change.Fields}", $"{source} import run {run.Id}"));
        }

        foreach (var record in diff.Delisted)
        {
            var listing = byKey[record.Key];
            var entity = loaded[listing.EntityId];
            listing.Active = false;
            listing.DelistedAt = now;
            listing.LastImportRunId = run.Id;
            entity.UpdatedAt = now;
            // Still designated through another list: it stays as it is, only this membership ends.
            if (entity.Status != EntityStatuses.Revoked && !entity.Listings.Any(l => l.Active))
            {
                var before = entity.Status;
                EntityRegistry.SetStatus(entity, EntityStatuses.Revoked, actor, $"delisted from {source} (reference {record.ReferenceNumber ?? record.Key}); import run {run.Id}", now);
                audits.Add((entity, "entity.revoked", $"status={before}", EntityRegistry.Describe(entity), entity.StatusReason));
            }
            else audits.Add((entity, "entity.delisted", null, EntityRegistry.Describe(entity), $"delisted from {source}; import run {run.Id}"));
        }

        await db.SaveChangesAsync(ct);
        return audits.Select(a => new AuditRecord(actor, a.Action, EntityRegistry.Subject(a.Entity.Id), a.Before, a.After, a.Reason)).ToList();
    }

    private static void UpdateListing(EntityListingRow listing, ListedRecord record, long runId)
    {
        listing.ListType = Clip(record.ListType, 256);
        listing.ReferenceNumber = Clip(record.ReferenceNumber, 128);
        listing.ListedOn = record.ListedOn;
        listing.LastImportRunId = runId;
        listing.RecordJson = JsonSerializer.Serialize(record);
    }

    /// <summary>Replaces the names this source gave the entity (names other sources or experts gave stay).</summary>
    private static void ReplaceTerms(DesignatedEntityRow entity, ListedRecord record, string source, ListSourceOptions config)
    {
        entity.Terms.RemoveAll(t => t.Origin == source);
        for (var i = 0; i < record.Names.Count; i++)
        {
            var n = record.Names[i];
            var type = i == 0 ? EntityTermTypes.Name : n.OriginalScript ? EntityTermTypes.OriginalScript : EntityTermTypes.Alias;
            var grade = n.Grade switch { NameGrade.Weak => EntityGrades.Weak, NameGrade.Former => EntityGrades.Former, _ => EntityGrades.Strong };
            entity.Terms.Add(new EntityTermRow { Type = type, Value = n.Name, Grade = grade, Origin = source });
        }
        if (entity.Origin == source)
        {
            entity.PrimaryName = record.PrimaryName;
            entity.Kind = record.Kind == ListedKind.Individual ? EntityKinds.Individual : EntityKinds.Organisation;
            entity.Tier = config.TierFor(entity.Kind, record.ListType);
            if (config.Format == ListFormats.Csv) entity.Ideology = Clip(record.ListType, 256);
            entity.Notes = Clip(record.Comments, 4000);
        }
    }

    public async Task<ImportRunView> GetRunAsync(string source, long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var run = await db.Set<ListImportRunRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.Source == source, ct)
            ?? throw new KeyNotFoundException($"List '{source}' has no import run {id}.");
        return View(run);
    }

    public async Task<IReadOnlyList<ImportRunView>> ListRunsAsync(string source, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var runs = await db.Set<ListImportRunRow>().AsNoTracking().Where(r => r.Source == source).OrderByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        return runs.Select(View).ToList();
    }

    private async Task<ImportRunView> RefuseAsync(ListImportRunRow run, string refusal, string problem, ImportDiff diff, CancellationToken ct)
    {
        run.Status = ImportRunStatuses.Refused;
        run.Refusal = refusal;
        run.Problem = problem;
        run.DiffJson = JsonSerializer.Serialize(diff);
        return await StoreAsync(run, ct);
    }

    private async Task<ImportRunView> StoreAsync(ListImportRunRow run, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        db.Set<ListImportRunRow>().Add(run);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(run.Actor, $"list.import_{run.Status.Replace('-', '_')}", $"list:{run.Source}/import:{run.Id}",
            After: $"{run.Records} records; added {run.Added}, changed {run.Changed}, delisted {run.Delisted}; sha256={run.FileSha256}",
            Reason: run.Problem is null ? null : Clip(run.Problem, 2000))], ct);
        await tx.CommitAsync(ct);
        return View(run);
    }

    private async Task<(byte[] Bytes, string Sha256, bool TooLarge)> ReadAsync(Stream content, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        var tooLarge = false;
        int n;
        while ((n = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > options.MaxImportBytes) { tooLarge = true; break; }
            hash.AppendData(chunk, 0, n);
            buffer.Write(chunk, 0, n);
        }
        return (buffer.ToArray(), Convert.ToHexStringLower(hash.GetHashAndReset()), tooLarge);
    }

    private static ImportDiff DiffView(ListDiffResult diff, IReadOnlyList<string> issues) => new(
        diff.Added.Select(r => new DiffRecord(r.Key, r.ReferenceNumber, r.PrimaryName, r.ListType)).ToList(),
        diff.Changed.Select(c => new DiffRecord(c.Current.Key, c.Current.ReferenceNumber, c.Current.PrimaryName, c.Current.ListType,
            Enum.GetValues<ListedField>().Where(f => f != ListedField.None && c.Fields.HasFlag(f)).Select(f => f.ToString()).ToList())).ToList(),
        diff.Delisted.Select(r => new DiffRecord(r.Key, r.ReferenceNumber, r.PrimaryName, r.ListType)).ToList(),
        issues);

    private static ImportRunView View(ListImportRunRow r) => new(
        r.Id, r.Source, r.Status, r.FileName, r.FileSha256, r.FileBytes, r.Records, r.Added, r.Changed, r.Delisted, r.Unchanged, r.PreviousCount,
        r.Forced, r.Refusal, r.Problem, JsonSerializer.Deserialize<ImportDiff>(r.DiffJson) ?? ImportDiff.Empty, r.Actor, r.CreatedAt);

    private static string? Clip(string? s, int max) => s is null ? null : s.Length <= max ? s : s[..max];
}
