using Bulwark.Core.Ingest;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Policy.Enforcement;

public sealed record NewFinding(string? Source, string? Description, string? EvidenceUrl, string? LinkedEntity);

public sealed record FindingView(long Id, string AccountId, string Source, string Description, string? EvidenceUrl, string? LinkedEntity, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record StrikeView(long Id, string Policy, double Weight, long? ContentVersionId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool Active);

/// <summary>An account's enforcement state: weighted strikes per policy with their expiry, and off-platform findings.</summary>
public sealed record AccountEnforcement(string AccountId, double ActiveStrikeWeight, IReadOnlyList<StrikeView> Strikes, IReadOnlyList<FindingView> Findings);

/// <summary>
/// Strikes and off-platform findings. Strikes count for <see cref="EnforcementOptions.StrikeWindowDays"/> from the decision
/// (clock: the injected <see cref="TimeProvider"/>); the decision builder turns the active weight into suspensions and bans.
/// </summary>
public sealed class EnforcementService(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock, EnforcementOptions options)
{
    public EnforcementOptions Options => options;

    /// <summary>What rules may read about an account, as of now.</summary>
    public async Task<AccountFacts> FactsAsync(string? accountId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(accountId)) return AccountFacts.None;
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var strikes = await db.Set<StrikeRow>().AsNoTracking()
            .Where(s => s.AccountId == accountId && s.RemovedAt == null && s.ExpiresAt > now)
            .Select(s => new { s.Policy, s.Weight }).ToListAsync(ct);
        var findings = await db.Set<OffPlatformFindingRow>().AsNoTracking().Where(f => f.AccountId == accountId)
            .Select(f => f.LinkedEntity).ToListAsync(ct);
        // Runs once per decided item: skip the profile lookup when the account's state already proves it is known.
        var known = strikes.Count > 0 || findings.Count > 0 || await db.Accounts.AnyAsync(a => a.Id == accountId, ct);
        return new AccountFacts(known, strikes.Sum(s => s.Weight),
            strikes.GroupBy(s => s.Policy).ToDictionary(g => g.Key, g => g.Sum(s => s.Weight)),
            findings.Count, findings.Count(f => !string.IsNullOrWhiteSpace(f)));
    }

    /// <summary>Adds the strike rows for a decision's <c>account.strike</c> actions to <paramref name="db"/>'s unit of work.</summary>
    public void AddStrikes(BulwarkDbContext db, long versionId, long? decisionId, IEnumerable<Pipeline.DecisionAction> actions)
    {
        var now = clock.GetUtcNow();
        foreach (var a in actions.Where(a => a.Kind == "account.strike"))
            db.Set<StrikeRow>().Add(new StrikeRow
            {
                AccountId = a.TargetId, Policy = a.Policy ?? "", ContentVersionId = versionId, DecisionId = decisionId,
                Weight = double.Parse(a.Details?["weight"] ?? "1", System.Globalization.CultureInfo.InvariantCulture),
                CauseKey = $"cv{versionId}:{a.Policy}", CreatedAt = now, ExpiresAt = now.AddDays(options.StrikeWindowDays),
            });
    }

    public async Task<AccountEnforcement> GetAsync(string accountId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var strikes = (await db.Set<StrikeRow>().AsNoTracking().Where(s => s.AccountId == accountId).ToListAsync(ct))
            .OrderBy(s => s.Id)
            .Select(s => new StrikeView(s.Id, s.Policy, s.Weight, s.ContentVersionId, s.CreatedAt, s.ExpiresAt, s.RemovedAt is null && s.ExpiresAt > now)).ToList();
        var findings = (await db.Set<OffPlatformFindingRow>().AsNoTracking().Where(f => f.AccountId == accountId).ToListAsync(ct))
            .OrderBy(f => f.Id).Select(View).ToList();
        return new AccountEnforcement(accountId, strikes.Where(s => s.Active).Sum(s => s.Weight), strikes, findings);
    }

    /// <summary>Records an off-platform finding; every field problem is returned and nothing is stored when there is one.</summary>
    public async Task<(FindingView? Finding, IReadOnlyList<FieldError> Errors)> AddFindingAsync(string accountId, NewFinding f, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(accountId) || accountId.Length > 128) errors.Add(new("id", "must be 1–128 characters"));
        if (string.IsNullOrWhiteSpace(f.Source) || f.Source.Length > 200) errors.Add(new("source", "is required (1–200 characters)"));
        if (string.IsNullOrWhiteSpace(f.Description) || f.Description.Length > 5000) errors.Add(new("description", "is required (1–5000 characters)"));
        if (f.EvidenceUrl is not null && (!Uri.TryCreate(f.EvidenceUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || f.EvidenceUrl.Length > 2048))
            errors.Add(new("evidenceUrl", "must be an absolute http(s) URL of at most 2048 characters"));
        if (f.LinkedEntity is not null && (string.IsNullOrWhiteSpace(f.LinkedEntity) || f.LinkedEntity.Length > 200)) errors.Add(new("linkedEntity", "must be 1–200 characters when given"));
        if (errors.Count > 0) return (null, errors);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = new OffPlatformFindingRow
        {
            AccountId = accountId, Source = f.Source!.Trim(), Description = f.Description!.Trim(), EvidenceUrl = f.EvidenceUrl,
            LinkedEntity = f.LinkedEntity?.Trim(), CreatedBy = actor, CreatedAt = clock.GetUtcNow(),
        };
        db.Set<OffPlatformFindingRow>().Add(row);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "account.offplatform_finding_added", $"account:{accountId}",
            After: $"finding {row.Id}: source={row.Source}; linkedEntity={row.LinkedEntity ?? "(none)"}")], ct);
        await tx.CommitAsync(ct);
        return (View(row), []);
    }

    private static FindingView View(OffPlatformFindingRow r) => new(r.Id, r.AccountId, r.Source, r.Description, r.EvidenceUrl, r.LinkedEntity, r.CreatedBy, r.CreatedAt);
}
