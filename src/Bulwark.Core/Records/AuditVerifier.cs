using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Records;

/// <summary>Result of walking the audit chain. <see cref="FirstBroken"/> is null when the chain is intact.</summary>
public sealed record AuditVerification(long EntriesChecked, long? FirstBroken, string? Problem, long HeadSeq, string HeadHash)
{
    public bool Intact => FirstBroken is null;
}

/// <summary>
/// Recomputes the chain from the first entry. It finds an edited entry (its hash no longer matches its fields), a deleted one
/// (a gap in the sequence, or a successor whose previous-hash names something else) and an inserted one (a previous-hash or
/// hash that does not follow). Removing entries from the very end leaves a shorter valid chain: compare the printed head
/// with a copy kept elsewhere to detect that.
/// </summary>
public sealed class AuditVerifier(IBulwarkDbFactory dbs)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        long expected = 1;
        var prev = AuditLog.GenesisHash;
        long count = 0;
        await foreach (var e in db.AuditEntries.AsNoTracking().OrderBy(e => e.Seq).AsAsyncEnumerable().WithCancellation(ct))
        {
            count++;
            if (e.Seq != expected)
                return Broken(count, e.Seq < expected ? e.Seq : expected,
                    e.Seq > expected
                        ? $"entry {expected} is missing (deleted): the next entry found is {e.Seq}"
                        : $"entry {e.Seq} appears out of order (inserted)", expected - 1, prev);
            if (e.PrevHash != prev)
                return Broken(count, e.Seq, $"entry {e.Seq} does not follow entry {e.Seq - 1}: its previous-hash differs (an entry was inserted, deleted or replaced)", expected - 1, prev);
            if (AuditLog.ComputeHash(e) != e.Hash)
                return Broken(count, e.Seq, $"entry {e.Seq} was modified: its contents no longer match its hash", expected - 1, prev);
            prev = e.Hash;
            expected++;
        }
        return new AuditVerification(count, null, null, expected - 1, prev);
    }

    private static AuditVerification Broken(long count, long seq, string problem, long headSeq, string headHash) =>
        new(count, seq, problem, headSeq, headHash);
}
