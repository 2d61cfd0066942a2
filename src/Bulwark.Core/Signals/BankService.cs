using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals;

/// <summary>Hash lists ("banks") of known content. This first version holds exact hashes (SHA-256, MD5).</summary>
public sealed partial class BankService(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock)
{
    public static readonly IReadOnlyDictionary<string, int> ExactSignalTypes = new Dictionary<string, int> { ["sha256"] = 64, ["md5"] = 32 };

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,127}$")]
    private static partial Regex NamePattern();

    public async Task<BankRow> CreateAsync(string name, string? description, string actor, CancellationToken ct)
    {
        if (!NamePattern().IsMatch(name)) throw new ArgumentException("A bank name is 1 to 128 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.", nameof(name));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (await db.Banks.AnyAsync(b => b.Name == name, ct)) throw new InvalidOperationException($"A bank named '{name}' already exists.");
        var row = db.Banks.Add(new BankRow { Name = name, Description = description, CreatedAt = clock.GetUtcNow() }).Entity;
        await audit.AppendAsync(db, [new AuditRecord(actor, "bank.created", $"bank:{name}", After: description)], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return row;
    }

    /// <summary>Adds an exact-hash entry. The value is checked against the signal type (length, lowercase hex).</summary>
    public async Task<BankEntryRow> AddExactAsync(string bank, string signalType, string value, IReadOnlyList<string> labels, string actor, CancellationToken ct)
    {
        if (!ExactSignalTypes.TryGetValue(signalType, out var length))
            throw new ArgumentException($"Unknown exact signal type '{signalType}'; expected one of {string.Join(", ", ExactSignalTypes.Keys)}.", nameof(signalType));
        value = value.Trim().ToLowerInvariant();
        if (value.Length != length || !value.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"A {signalType} hash is {length} hexadecimal characters; got '{(value.Length > 80 ? value[..80] + "…" : value)}'.", nameof(value));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var b = await db.Banks.FirstOrDefaultAsync(x => x.Name == bank, ct) ?? throw new KeyNotFoundException($"No bank named '{bank}'.");
        var entry = db.BankEntries.Add(new BankEntryRow
        {
            BankId = b.Id, SignalType = signalType, Value = value, AddedBy = actor, AddedAt = clock.GetUtcNow(),
            LabelsJson = JsonSerializer.Serialize(labels.ToList(), IngestJson.Default.ListString),
        }).Entity;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "bank.entry_added", $"bank:{bank}/entry:{entry.Id}", After: $"{signalType}:{value}; labels={string.Join(",", labels)}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return entry;
    }
}
