using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Records;

/// <summary>A state change to record: who did what to which subject, with a summary of before and after and the reason.</summary>
public sealed record AuditRecord(string Actor, string Action, string Subject, string? Before = null, string? After = null, string? Reason = null);

/// <summary>
/// The append-only audit log. Each entry's hash covers its own fields and the previous entry's hash, so an edited,
/// inserted or deleted entry breaks the chain from that point on (<see cref="AuditVerifier"/>).
/// </summary>
public sealed class AuditLog(TimeProvider clock)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
    /// <summary>The lock that serialises appenders on PostgreSQL, also ordering action inserts (<see cref="AuditChainLock"/>).</summary>
    internal const long PostgresLockKey = AuditChainLock.Key;

    /// <summary>
    /// Appends within the caller's open write transaction; the entries commit (or vanish) with the caller's own changes.
    /// They are written immediately, so call this after validating the change it records.
    /// </summary>
    public async Task AppendAsync(BulwarkDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        if (records.Count == 0) return;
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Audit entries must be appended inside the transaction of the change they record.");
        if (db.Provider == DatabaseProvider.Postgres)
            await AuditChainLock.AcquireAsync(db, ct); // urgent writers (WritePriority) get their turn first
        // SQLite: the write transaction already holds the database's single write lock.

        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
        var seq = last?.Seq ?? 0;
        var prev = last?.Hash ?? GenesisHash;
        var now = TruncateToMilliseconds(clock.GetUtcNow());
        var rows = new List<AuditEntryRow>(records.Count);
        foreach (var r in records)
        {
            var entry = new AuditEntryRow
            {
                Seq = ++seq, Time = now, Actor = r.Actor, Action = r.Action, Subject = r.Subject,
                Before = r.Before, After = r.After, Reason = r.Reason, PrevHash = prev, Hash = "",
            };
            entry.Hash = ComputeHash(entry);
            prev = entry.Hash;
            rows.Add(entry);
        }
        // Written at once (not at the caller's SaveChanges), so a second append in the same transaction chains onto these.
        await BulkInsert.InsertAsync(db, rows, Columns, null, ct);
    }

    private static readonly string[] Columns = ["Seq", "Time", "Actor", "Action", "Subject", "Before", "After", "Reason", "PrevHash", "Hash"];

    /// <summary>Records one change in a transaction of its own.</summary>
    public async Task RecordAsync(IBulwarkDbFactory dbs, AuditRecord record, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        await AppendAsync(db, [record], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Stored times are kept to the millisecond so that every provider gives back exactly what was hashed.</summary>
    public static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>SHA-256 over the previous hash and every field, each length-prefixed so no two entries serialise alike.</summary>
    public static string ComputeHash(AuditEntryRow e)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, e.Seq);
        h.AppendData(number);
        BinaryPrimitives.WriteInt64BigEndian(number, e.Time.UtcTicks);
        h.AppendData(number);
        foreach (var field in (ReadOnlySpan<string?>)[e.PrevHash, e.Actor, e.Action, e.Subject, e.Before, e.After, e.Reason])
        {
            if (field is null)
            {
                BinaryPrimitives.WriteInt64BigEndian(number, -1);
                h.AppendData(number);
                continue;
            }
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt64BigEndian(number, bytes.Length);
            h.AppendData(number);
            h.AppendData(bytes);
        }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }
}
