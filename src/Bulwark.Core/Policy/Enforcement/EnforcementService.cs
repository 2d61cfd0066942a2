using Bulwark.Core.Ingest;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Policy.Enforcement;

public sealed record NewFinding(string? Source, string? Description, string? EvidenceUrl, string? LinkedEntity);

public sealed record FindingView(long Id, string AccountId, string Source, string Description, string? EvidenceUrl, string? LinkedEntity, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record StrikeView(long Id, string Policy, double Weight, long? ContentVersionId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool Active);

/// <summary>
/// An account's enforcement state: weighted strikes per policy with their expiry, off-platform findings, and the suspensions
/// and bans that stand (<see cref="Actions.Restrictions.MeasuresInForce"/>). The actions sent to the platform leave it in this state.
/// </summary>
public sealed record AccountEnforcement(string AccountId, double ActiveStrikeWeight, IReadOnlyList<StrikeView> Strikes, IReadOnlyList<FindingView> Findings,
    bool Banned = false, bool Suspended = false, IReadOnlyList<Actions.Restrictions.MeasureState>? Measures = null);

/// <summary>
/// Strikes and off-platform findings. Strikes count for <see cref="EnforcementOptions.StrikeWindowDays"/> from the decision
/// (clock: the injected <see cref="TimeProvider"/>); the decision builder turns the active weight into suspensions and bans.
/// </summary>
public sealed class EnforcementService(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock, EnforcementOptions options)
{
    public EnforcementOptions Options => options;

    /// <summary>What rules may read about an account, as of now. The per-item reference for <see cref="FactsAsync(IReadOnlyCollection{string}, CancellationToken)"/>.</summary>
    public async Task<AccountFacts> FactsAsync(string? accountId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(accountId)) return AccountFacts.None;
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var strikes = await db.Set<StrikeRow>().AsNoTracking()
            .Where(s => s.AccountId == accountId && s.RemovedAt == null && s.ExpiresAt > now)
            .Select(s => new ActiveStrike(s.Id, s.Policy, s.Weight)).ToListAsync(ct);
        var findings = await db.Set<OffPlatformFindingRow>().AsNoTracking().Where(f => f.AccountId == accountId)
            .Select(f => f.LinkedEntity).ToListAsync(ct);
        // Skip the profile lookup when the account's state already proves it is known.
        var known = strikes.Count > 0 || findings.Count > 0 || await db.Accounts.AnyAsync(a => a.Id == accountId, ct);
        return FactsOf(known, strikes, findings);
    }

    /// <summary>
    /// <see cref="FactsAsync(string?, CancellationToken)"/> for many accounts at once, as the pipeline reads them for a claimed
    /// batch: three queries in all (active strikes, findings, and which of the accounts with neither have a profile) instead
    /// of up to three per item. Every id asked for is in the result; empty ids are ignored.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, AccountFacts>> FactsAsync(IReadOnlyCollection<string> accountIds, CancellationToken ct)
    {
        var ids = accountIds.Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, AccountFacts>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0) return result;
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var strikes = (await db.Set<StrikeRow>().AsNoTracking()
                .Where(s => ids.Contains(s.AccountId) && s.RemovedAt == null && s.ExpiresAt > now)
                .Select(s => new { s.AccountId, Strike = new ActiveStrike(s.Id, s.Policy, s.Weight) }).ToListAsync(ct))
            .ToLookup(s => s.AccountId, s => s.Strike, StringComparer.Ordinal);
        var findings = (await db.Set<OffPlatformFindingRow>().AsNoTracking().Where(f => ids.Contains(f.AccountId))
                .Select(f => new { f.AccountId, f.LinkedEntity }).ToListAsync(ct))
            .ToLookup(f => f.AccountId, f => f.LinkedEntity, StringComparer.Ordinal);
        var unproven = ids.Where(id => !strikes.Contains(id) && !findings.Contains(id)).ToList();
        var profiles = unproven.Count == 0 ? [] :
            (await db.Accounts.AsNoTracking().Where(a => unproven.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var s = strikes[id].ToList();
            var f = findings[id].ToList();
            result[id] = FactsOf(s.Count > 0 || f.Count > 0 || profiles.Contains(id), s, f);
        }
        return result;
    }

    private sealed record ActiveStrike(long Id, string Policy, double Weight);

    // Sums in strike order, so that the per-item and the batched reads give bit-identical weights whatever order rows arrive in.
    private static AccountFacts FactsOf(bool known, List<ActiveStrike> strikes, List<string?> linkedEntities)
    {
        strikes.Sort((a, b) => a.Id.CompareTo(b.Id));
        var total = 0.0;
        var perPolicy = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in strikes)
        {
            total += s.Weight;
            perPolicy[s.Policy] = perPolicy.GetValueOrDefault(s.Policy) + s.Weight;
        }
        return new AccountFacts(known, total, perPolicy, linkedEntities.Count, linkedEntities.Count(f => !string.IsNullOrWhiteSpace(f)));
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
        var measures = (await Actions.Restrictions.MeasuresInForce.EvaluateAsync(db, options, accountId, now, null, new HashSet<long>(), ct)).Where(m => m.Stands).ToList();
        return new AccountEnforcement(accountId, strikes.Where(s => s.Active).Sum(s => s.Weight), strikes, findings,
            measures.Any(m => m.Kind == "account.ban"), measures.Any(m => m.Kind == "account.suspend"), measures);
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
