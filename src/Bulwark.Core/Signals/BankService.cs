using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Matching.Hashing;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals;

/// <summary>
/// Hash lists ("banks") of known content: exact hashes, PDQ, vPDQ and URLs, each entry with its labels. Every change is
/// audited in the same transaction; the PDQ index follows at once (and other processes' changes within its refresh period).
/// </summary>
public sealed partial class BankService(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock, PdqIndexService index)
{
    public static readonly IReadOnlyDictionary<string, int> ExactSignalTypes = new Dictionary<string, int> { ["sha256"] = 64, ["md5"] = 32 };

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,127}\\z")]
    private static partial Regex NamePattern();

    public Task<BankRow> CreateAsync(string name, string? description, string actor, CancellationToken ct) =>
        CreateBankAsync(name, new BankSettings(description), actor, ct);

    public async Task<BankRow> CreateBankAsync(string name, BankSettings settings, string actor, CancellationToken ct)
    {
        if (!NamePattern().IsMatch(name)) throw new ArgumentException("A bank name is 1 to 128 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.", nameof(name));
        Validate(settings);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (await db.Banks.AnyAsync(b => b.Name == name, ct)) throw new InvalidOperationException($"A bank named '{name}' already exists.");
        var now = clock.GetUtcNow();
        var row = new BankRow { Name = name, CreatedAt = now, UpdatedAt = now };
        Apply(row, settings);
        db.Banks.Add(row);
        await audit.AppendAsync(db, [new AuditRecord(actor, "bank.created", $"bank:{name}", After: Describe(row))], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await index.FollowAsync(ct);
        return row;
    }

    public async Task<IReadOnlyList<BankView>> ListAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var counts = await db.BankEntries.GroupBy(e => e.BankId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var banks = await db.Banks.AsNoTracking().OrderBy(b => b.Name).ToListAsync(ct);
        return banks.Select(b => View(b, counts.GetValueOrDefault(b.Id))).ToList();
    }

    public async Task<BankView> GetAsync(string name, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var b = await Find(db, name, ct);
        return View(b, await db.BankEntries.CountAsync(e => e.BankId == b.Id, ct));
    }

    public async Task<BankView> UpdateAsync(string name, BankSettings settings, string actor, CancellationToken ct)
    {
        Validate(settings);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var b = await Find(db, name, ct, tracked: true);
        var before = Describe(b);
        Apply(b, settings);
        b.UpdatedAt = clock.GetUtcNow();
        await audit.AppendAsync(db, [new AuditRecord(actor, "bank.updated", $"bank:{name}", Before: before, After: Describe(b))], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await index.FollowAsync(ct);
        return View(b, await db.BankEntries.CountAsync(e => e.BankId == b.Id, ct));
    }

    /// <summary>Deletes a bank and its entries (disable it instead to keep them).</summary>
    public async Task DeleteAsync(string name, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var b = await Find(db, name, ct);
        var removed = await db.BankEntries.Where(e => e.BankId == b.Id).ExecuteDeleteAsync(ct);
        await db.Banks.Where(x => x.Id == b.Id).ExecuteDeleteAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "bank.deleted", $"bank:{name}", Before: $"{Describe(b)}; {removed} entries")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await index.FollowAsync(ct);
    }

    /// <summary>Adds an exact-hash entry. The value is checked against the signal type (length, hex).</summary>
    public async Task<BankEntryRow> AddExactAsync(string bank, string signalType, string value, IReadOnlyList<string> labels, string actor, CancellationToken ct)
    {
        if (!ExactSignalTypes.ContainsKey(signalType))
            throw new ArgumentException($"Unknown exact signal type '{signalType}'; expected one of {string.Join(", ", ExactSignalTypes.Keys)}.", nameof(signalType));
        var result = await AddEntriesAsync(bank, [new NewEntry(signalType, value, labels)], skipInvalid: false, actor, ct);
        if (result.Errors.Count > 0) throw new ArgumentException(result.Errors[0].Message, nameof(value));
        await using var db = dbs.Create();
        var id = result.Added[0].Id;
        return await db.BankEntries.AsNoTracking().FirstAsync(e => e.Id == id, ct);
    }

    /// <summary>
    /// Validates every entry first. With errors and without <paramref name="skipInvalid"/> nothing is applied and every
    /// error is returned; otherwise the valid entries are added in one transaction (one audit entry for the batch).
    /// </summary>
    public async Task<AddEntriesResult> AddEntriesAsync(string bank, IReadOnlyList<NewEntry> entries, bool skipInvalid, string actor, CancellationToken ct)
    {
        var (valid, errors) = Check(entries);
        if (errors.Count > 0 && !skipInvalid) return new AddEntriesResult([], errors, Applied: false);

        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var b = await Find(db, bank, ct);
        var now = clock.GetUtcNow();
        var rows = valid.Select(v => new BankEntryRow
        {
            BankId = b.Id, SignalType = v.Signal.SignalType, Value = v.Signal.Value, Payload = v.Signal.Payload, RegionPayload = v.Signal.RegionPayload,
            Quality = v.Entry.Quality ?? v.Signal.Quality, Entity = Trim(v.Entry.Entity), Source = Trim(v.Entry.Source),
            LabelsJson = JsonSerializer.Serialize(Labels(v.Entry), IngestJson.Default.ListString),
            AddedBy = actor, AddedAt = now, UpdatedAt = now,
        }).ToList();
        db.BankEntries.AddRange(rows);
        await db.SaveChangesAsync(ct);
        if (rows.Count > 0)
        {
            var summary = rows.Count == 1
                ? $"entry {rows[0].Id}: {rows[0].SignalType}:{Clip(rows[0].Value)}; labels={string.Join(",", Labels(valid[0].Entry))}"
                : $"{rows.Count} entries ({rows[0].Id}…{rows[^1].Id}): {string.Join(", ", rows.GroupBy(r => r.SignalType).Select(g => $"{g.Count()} {g.Key}"))}";
            await audit.AppendAsync(db, [new AuditRecord(actor, rows.Count == 1 ? "bank.entry_added" : "bank.entries_added",
                rows.Count == 1 ? $"bank:{bank}/entry:{rows[0].Id}" : $"bank:{bank}", After: summary)], ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        await index.FollowAsync(ct);
        return new AddEntriesResult(rows.Select(r => ToView(r, bank)).ToList(), errors, Applied: true);
    }

    /// <summary>Every problem of a list of entries (positions are 1-based), without touching the database.</summary>
    public static IReadOnlyList<EntryError> Validate(IReadOnlyList<NewEntry> entries) => Check(entries).Errors;

    private static (List<(NewEntry Entry, CanonicalSignal Signal)> Valid, List<EntryError> Errors) Check(IReadOnlyList<NewEntry> entries)
    {
        var errors = new List<EntryError>();
        var valid = new List<(NewEntry Entry, CanonicalSignal Signal)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (!KnownSignalTypes.TryCanonicalize(e.SignalType, e.Value, out var signal, out var error)) errors.Add(new EntryError(i + 1, error));
            else if (LabelError(e) is { } labelError) errors.Add(new EntryError(i + 1, labelError));
            else valid.Add((e, signal!));
        }
        return (valid, errors);
    }

    /// <summary>Enables or disables an entry without deleting it; returns false when the bank has no such entry.</summary>
    public async Task<bool> SetEntryEnabledAsync(string bank, long entryId, bool enabled, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var b = await Find(db, bank, ct);
        var entry = await db.BankEntries.FirstOrDefaultAsync(e => e.Id == entryId && e.BankId == b.Id, ct);
        if (entry is null) return false;
        if (entry.Enabled != enabled)
        {
            entry.Enabled = enabled;
            entry.UpdatedAt = clock.GetUtcNow();
            await audit.AppendAsync(db, [new AuditRecord(actor, enabled ? "bank.entry_enabled" : "bank.entry_disabled", $"bank:{bank}/entry:{entryId}")], ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await index.FollowAsync(ct);
        }
        return true;
    }

    /// <summary>Entries in id order after <paramref name="cursor"/>; <see cref="EntryPage.NextCursor"/> is null on the last page.</summary>
    public async Task<EntryPage> ListEntriesAsync(string bank, long cursor, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var b = await Find(db, bank, ct);
        var rows = await db.BankEntries.AsNoTracking().Where(e => e.BankId == b.Id && e.Id > cursor).OrderBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        return new EntryPage(rows.Select(r => ToView(r, bank)).ToList(), more ? rows[^1].Id : null);
    }

    internal static EntryView ToView(BankEntryRow r, string bank)
    {
        var (halves, untrimmed) = RegionPayload(r);
        return new(r.Id, bank, r.SignalType, r.Value, r.Payload, JsonSerializer.Deserialize(r.LabelsJson, IngestJson.Default.ListString) ?? [],
            r.Entity, r.Source, r.Quality, r.Enabled, r.AddedBy, r.AddedAt, halves, untrimmed.Count)
        {
            ExportPayload = untrimmed.Count > 0 ? VpdqFormat.ToText(untrimmed) : r.Payload,
        };
    }

    private static (int Halves, List<VpdqFrame> Untrimmed) RegionPayload(BankEntryRow r)
    {
        if (r.RegionPayload is not { Length: > 0 } text) return (0, []);
        var untrimmed = VpdqRegionFormat.ParseUntrimmed(text).Frames;
        return (text.Count(c => c == '\n') - untrimmed.Count, untrimmed);
    }

    private static async Task<BankRow> Find(BulwarkDbContext db, string name, CancellationToken ct, bool tracked = false) =>
        await (tracked ? db.Banks : db.Banks.AsNoTracking()).FirstOrDefaultAsync(x => x.Name == name, ct)
        ?? throw new KeyNotFoundException($"No bank named '{name}'.");

    private static void Validate(BankSettings s)
    {
        if (s.PdqThreshold is < 0 or > 128) throw new ArgumentException("pdqThreshold must be between 0 and 128 (31 is the reference's suggestion).");
        if (s.VpdqQueryMatchPercent is < 0 or > 100) throw new ArgumentException("vpdqQueryMatchPercent must be between 0 and 100.");
        if (s.VpdqReferenceMatchPercent is < 0 or > 100) throw new ArgumentException("vpdqReferenceMatchPercent must be between 0 and 100.");
        if (s.Description is { Length: > 1000 }) throw new ArgumentException("description must be at most 1000 characters.");
    }

    private static void Apply(BankRow row, BankSettings s)
    {
        if (s.Description is not null) row.Description = s.Description;
        if (s.Safe is { } safe) row.Safe = safe;
        if (s.PdqThreshold is { } t) row.PdqThreshold = t;
        if (s.VpdqQueryMatchPercent is { } q) row.VpdqQueryMatchPercent = q;
        if (s.VpdqReferenceMatchPercent is { } r) row.VpdqReferenceMatchPercent = r;
        if (s.Enabled is { } enabled) row.Enabled = enabled;
    }

    private static string? LabelError(NewEntry e)
    {
        foreach (var l in e.Labels ?? [])
            if (string.IsNullOrWhiteSpace(l) || l.Length > 200) return $"label '{Clip(l)}' must be 1 to 200 characters";
        if (e.Entity is { Length: > 500 }) return "entity must be at most 500 characters";
        if (e.Source is { Length: > 200 }) return "source must be at most 200 characters";
        return null;
    }

    private static List<string> Labels(NewEntry e) => (e.Labels ?? []).Select(l => l.Trim()).Distinct().ToList();
    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    private static string Clip(string s) => s.Length > 80 ? s[..80] + "…" : s;

    private static BankView View(BankRow b, int entries) => new(
        b.Id, b.Name, b.Description, b.Enabled, b.Safe, b.PdqThreshold, b.VpdqQueryMatchPercent, b.VpdqReferenceMatchPercent, entries, b.CreatedAt, b.UpdatedAt);

    private static string Describe(BankRow b) =>
        $"{b.Description}; enabled={b.Enabled}; safe={b.Safe}; pdq<={b.PdqThreshold}; vpdq>={b.VpdqQueryMatchPercent}%/{b.VpdqReferenceMatchPercent}%";
}
