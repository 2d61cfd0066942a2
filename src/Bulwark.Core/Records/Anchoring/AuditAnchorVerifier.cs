using System.Text.RegularExpressions;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Records.Anchoring;

/// <summary>
/// The chain checked against heads recorded outside the database. <see cref="FirstDisagreement"/> is the first anchored entry
/// whose hash differs from its checkpoint: an entry after <see cref="AgreesUpTo"/> and at or before it was changed and the
/// chain recomputed (or the checkpoint was made for another chain). <see cref="Problems"/> lists every finding: bad
/// signatures, unreadable lines, a disagreement, entries removed from the end.
/// </summary>
public sealed record AnchorVerification(
    AuditVerification Chain, int Checkpoints, long AnchoredUpTo, long? FirstDisagreement, long AgreesUpTo, IReadOnlyList<string> Problems, string? Warning)
{
    public bool Ok => Chain.Intact && Problems.Count == 0;
}

/// <summary>Verifies the audit chain against a checkpoint file or a head hash kept elsewhere.</summary>
public sealed partial class AuditAnchorVerifier(IBulwarkDbFactory dbs, AuditVerifier chainVerifier)
{
    /// <summary>
    /// Every checkpoint of <paramref name="path"/> whose signature is <paramref name="trusted"/>'s is compared with the chain;
    /// the others are reported as forged or altered. Without a trusted key the file header's key is used, with a warning
    /// (whoever could rewrite the file could replace that key too).
    /// </summary>
    public async Task<AnchorVerification> VerifyFileAsync(string path, AuditPublicKey? trusted, CancellationToken ct)
    {
        var lines = AuditCheckpointFile.Read(path);
        var problems = new List<string>();
        string? warning = null;
        foreach (var l in lines.Where(l => l.Error is not null)) problems.Add($"line {l.Line}: {l.Error}");
        if (trusted is null)
        {
            var header = lines.Select(l => l.Header).FirstOrDefault(h => h is not null);
            if (header is not null && AuditPublicKey.TryParse(header.PublicKey, out var fromHeader, out _))
            {
                trusted = fromHeader;
                warning = $"signatures were checked against the key in the file's own header (key {trusted!.Id}); whoever could rewrite the file could have replaced it: pass the key you trust with --public-key";
            }
            else problems.Add("no public key to check the signatures with: pass --public-key (from 'bulwark audit public-key')");
        }
        var valid = new List<(int Line, AuditCheckpoint C)>();
        foreach (var l in lines.Where(l => l.Checkpoint is not null))
        {
            var c = l.Checkpoint!;
            if (trusted is null) continue;
            if (c.KeyId != trusted.Id) problems.Add($"line {l.Line}: the checkpoint of entry {c.Seq} names key {c.KeyId}, not the trusted key {trusted.Id} (forged, or signed by another key)");
            else if (!c.IsSignedBy(trusted)) problems.Add($"line {l.Line}: the checkpoint of entry {c.Seq} has a bad signature (forged or altered)");
            else valid.Add((l.Line, c));
        }
        var chain = await chainVerifier.VerifyAsync(ct);
        var (first, agrees, anchored) = await CompareAsync(chain, valid.Select(v => (v.C.Seq, v.C.Hash, $"the checkpoint of entry {v.C.Seq} signed {v.C.Time} (line {v.Line})")).ToList(), problems, ct);
        return new AnchorVerification(chain, valid.Count, anchored, first, agrees, problems, warning);
    }

    [GeneratedRegex("^(?:(?<seq>[0-9]{1,18}):)?(?<hash>[0-9a-fA-F]{64})$")]
    private static partial Regex HeadPattern();

    public static bool IsHeadAnchor(string text) => HeadPattern().IsMatch(text.Trim());

    /// <summary>
    /// A head printed by an earlier <c>audit verify</c>: <c>HASH</c>, or <c>SEQ:HASH</c> to name the entry. The chain must
    /// still contain that hash (at that entry).
    /// </summary>
    public async Task<AnchorVerification> VerifyHeadAsync(string anchor, CancellationToken ct)
    {
        var m = HeadPattern().Match(anchor.Trim());
        if (!m.Success) throw new ArgumentException($"'{anchor}' is not a head hash (64 hex digits, optionally as SEQ:HASH)", nameof(anchor));
        var hash = m.Groups["hash"].Value.ToLowerInvariant();
        var problems = new List<string>();
        var chain = await chainVerifier.VerifyAsync(ct);
        long seq;
        if (m.Groups["seq"].Success) seq = long.Parse(m.Groups["seq"].Value, System.Globalization.CultureInfo.InvariantCulture);
        else
        {
            await using var db = dbs.Create();
            var found = await db.AuditEntries.AsNoTracking().Where(e => e.Hash == hash).Select(e => (long?)e.Seq).FirstOrDefaultAsync(ct);
            if (found is not { } s)
            {
                problems.Add($"no entry has the anchored hash {hash}: an entry at or before the anchored head was changed and the chain recomputed, or the log was cut before it (give SEQ:HASH to name the entry)");
                return new AnchorVerification(chain, 1, 0, null, 0, problems, null);
            }
            seq = s;
        }
        var (first, agrees, anchored) = await CompareAsync(chain, [(seq, hash, $"the anchored head of entry {seq}")], problems, ct);
        return new AnchorVerification(chain, 1, anchored, first, agrees, problems, null);
    }

    /// <summary>Compares the stored hash of each anchored entry (in entry order) with the anchor; reports the first that differs and entries cut from the end.</summary>
    private async Task<(long? First, long AgreesUpTo, long AnchoredUpTo)> CompareAsync(
        AuditVerification chain, List<(long Seq, string Hash, string What)> anchors, List<string> problems, CancellationToken ct)
    {
        anchors.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var stored = new Dictionary<long, string>();
        await using (var db = dbs.Create())
            foreach (var chunk in anchors.Select(a => a.Seq).Distinct().Chunk(500))
                foreach (var e in await db.AuditEntries.AsNoTracking().Where(e => chunk.Contains(e.Seq)).Select(e => new { e.Seq, e.Hash }).ToListAsync(ct))
                    stored[e.Seq] = e.Hash;
        long agrees = 0, anchored = 0;
        long? first = null;
        foreach (var (seq, hash, what) in anchors)
        {
            anchored = Math.Max(anchored, seq);
            if (first is not null) continue; // everything after the first disagreement follows from it
            if (!stored.TryGetValue(seq, out var actual))
            {
                first = seq;
                problems.Add(seq > chain.HeadSeq
                    ? $"entry {seq} is missing but {what} covers it: the log ends at entry {chain.HeadSeq} (entries were removed from the end)"
                    : $"entry {seq} is missing but {what} covers it");
            }
            else if (actual != hash)
            {
                first = seq;
                problems.Add($"the chain disagrees with {what}: an entry from {agrees + 1} to {seq} was changed and the hashes after it recomputed"
                    + (agrees > 0 ? $" (entries up to {agrees} agree with their checkpoint)" : ""));
            }
            else agrees = seq;
        }
        return (first, agrees, anchored);
    }
}
