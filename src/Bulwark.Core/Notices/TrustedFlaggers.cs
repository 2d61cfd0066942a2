using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Notices;

public sealed record TrustedFlaggerInput(string? Organisation, string? Expertise, string? AwardingCoordinator, string? ContactEmail);

/// <summary>A registry entry with its record: notices sent, decided, acted on, and the accuracy (share of decided notices that led to action).</summary>
public sealed record TrustedFlaggerView(TrustedFlaggerRow Flagger, int Notices, int Decided, int Actioned, int Open)
{
    public double? Accuracy => Decided == 0 ? null : (double)Actioned / Decided;
}

public sealed record FlaggerResult(TrustedFlaggerRow? Flagger, string? Error);

/// <summary>
/// The trusted flaggers registry (DSA Art. 22): organisations a Digital Services Coordinator awarded the status, with their area
/// of expertise and status. Policy admins add them and change their status; every change is audited in its transaction.
/// </summary>
public sealed class TrustedFlaggers(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock)
{
    public async Task<FlaggerResult> CreateAsync(TrustedFlaggerInput input, string actor, CancellationToken ct)
    {
        var org = input.Organisation?.Trim();
        var expertise = input.Expertise?.Trim();
        var coordinator = input.AwardingCoordinator?.Trim();
        var email = string.IsNullOrWhiteSpace(input.ContactEmail) ? null : input.ContactEmail.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(org) || org.Length > 200) return new(null, "organisation is required (at most 200 characters)");
        if (string.IsNullOrEmpty(expertise) || expertise.Length > 500) return new(null, "area of expertise is required (at most 500 characters)");
        if (string.IsNullOrEmpty(coordinator) || coordinator.Length > 200) return new(null, "awarding coordinator is required (the Digital Services Coordinator, at most 200 characters)");
        if (email is not null && (email.Length > 320 || !email.Contains('@'))) return new(null, "contact e-mail must be an e-mail address");
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        if (await db.Set<TrustedFlaggerRow>().AnyAsync(f => f.Organisation == org, ct)) return new(null, $"'{org}' is already in the registry");
        var now = clock.GetUtcNow();
        var row = new TrustedFlaggerRow { Organisation = org, Expertise = expertise, AwardingCoordinator = coordinator, ContactEmail = email, Status = TrustedFlaggerStatus.Active,
            CreatedAt = now, UpdatedAt = now, UpdatedBy = actor };
        db.Set<TrustedFlaggerRow>().Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "flagger.added", $"trusted-flagger:{row.Id}", null, $"{org}; {expertise}; awarded by {coordinator}")], ct);
        await tx.CommitAsync(ct);
        return new(row, null);
    }

    public async Task<FlaggerResult> SetStatusAsync(long id, string? status, string? reason, string actor, CancellationToken ct)
    {
        if (status is null || !TrustedFlaggerStatus.All.Contains(status)) return new(null, $"status must be one of {string.Join(", ", TrustedFlaggerStatus.All)}");
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 1000) return new(null, "reason is required (at most 1000 characters)");
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.Set<TrustedFlaggerRow>().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (row is null) return new(null, $"There is no trusted flagger {id}.");
        if (row.Status == status) return new(null, $"{row.Organisation} is already {status}");
        var before = row.Status;
        row.Status = status;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = actor;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "flagger.status", $"trusted-flagger:{row.Id}", before, status, reason.Trim())], ct);
        await tx.CommitAsync(ct);
        return new(row, null);
    }

    public async Task<IReadOnlyList<TrustedFlaggerView>> ListAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var flaggers = await db.Set<TrustedFlaggerRow>().AsNoTracking().OrderBy(f => f.Organisation).ToListAsync(ct);
        var counts = await db.Set<NoticeRow>().AsNoTracking().Where(n => n.TrustedFlaggerId != null)
            .GroupBy(n => new { n.TrustedFlaggerId, n.Status, n.Outcome }).Select(g => new { g.Key.TrustedFlaggerId, g.Key.Status, g.Key.Outcome, N = g.Count() }).ToListAsync(ct);
        return flaggers.Select(f =>
        {
            var mine = counts.Where(c => c.TrustedFlaggerId == f.Id).ToList();
            return new TrustedFlaggerView(f, mine.Sum(c => c.N), mine.Where(c => c.Status == NoticeStatus.Decided).Sum(c => c.N),
                mine.Where(c => c.Outcome == NoticeOutcome.ActionTaken).Sum(c => c.N), mine.Where(c => c.Status is NoticeStatus.InReview or NoticeStatus.AwaitingContent).Sum(c => c.N));
        }).ToList();
    }
}
