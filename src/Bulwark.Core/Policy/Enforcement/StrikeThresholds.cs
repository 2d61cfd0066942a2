using System.Globalization;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Policy.Enforcement;

/// <summary>
/// Turns strikes into suspensions and bans. A measure is imposed when an account's active strike weight <em>crosses</em> a
/// threshold (before &lt; threshold ≤ after): one suspension per crossing of <see cref="EnforcementOptions.SuspendAtStrikes"/>,
/// one ban per crossing of <see cref="EnforcementOptions.BanAtStrikes"/>, the ban winning when one decision crosses both.
/// The decision builder projects this from the weight it read; the commit settles it again under a per-account lock
/// (<c>RestrictionWriter.WritePipelineBatchAsync</c>), because decisions decided side by side cannot see each other's strikes.
/// </summary>
public static class StrikeThresholds
{
    /// <summary>Detail key that marks a suspension or ban as caused by strikes (its value is the threshold crossed).</summary>
    public const string Marker = "threshold";

    public static bool IsThresholdMeasure(DecisionAction a) =>
        a.Kind is "account.suspend" or "account.ban" && a.Details?.ContainsKey(Marker) == true;

    public static double StrikeWeight(IEnumerable<DecisionAction> actions, string accountId) =>
        actions.Where(a => a.Kind == "account.strike" && a.TargetId == accountId)
            .Sum(a => double.Parse(a.Details?.GetValueOrDefault("weight") ?? "1", CultureInfo.InvariantCulture));

    /// <summary>
    /// <paramref name="actions"/> without any threshold measure, plus the one its strikes cause on top of <paramref name="before"/>
    /// (the account's active strike weight before this decision). Returns the same list when nothing changes.
    /// </summary>
    public static IReadOnlyList<DecisionAction> Settle(IReadOnlyList<DecisionAction> actions, string accountId, double before, EnforcementOptions options, out double after)
    {
        var added = StrikeWeight(actions, accountId);
        after = before + added;
        DecisionAction? measure = null;
        var kept = actions.Where(a => !IsThresholdMeasure(a)).ToList();
        if (added > 0)
        {
            var policy = actions.First(a => a.Kind == "account.strike" && a.TargetId == accountId).Policy;
            var banned = kept.Any(a => a.Kind == "account.ban" && a.TargetId == accountId);
            if (!banned && before < options.BanAtStrikes && after >= options.BanAtStrikes)
                measure = new DecisionAction("account.ban", "account", accountId, policy, new Dictionary<string, string>
                {
                    ["reason"] = Fmt($"active strike weight {after} reached the ban threshold {options.BanAtStrikes}"),
                    ["permanent"] = "true", [Marker] = Fmt($"{options.BanAtStrikes}"),
                });
            else if (!banned && !kept.Any(a => a.Kind == "account.suspend" && a.TargetId == accountId)
                     && before < options.SuspendAtStrikes && after >= options.SuspendAtStrikes)
                measure = new DecisionAction("account.suspend", "account", accountId, policy, new Dictionary<string, string>
                {
                    ["reason"] = Fmt($"active strike weight {after} reached the suspension threshold {options.SuspendAtStrikes}"),
                    ["days"] = options.SuspensionDays.ToString(CultureInfo.InvariantCulture), [Marker] = Fmt($"{options.SuspendAtStrikes}"),
                });
        }
        if (measure is not null) kept.Add(measure);
        return SameMeasures(actions, kept) ? actions : kept;
    }

    /// <summary>
    /// Serialises threshold settlement per account: on PostgreSQL a transaction-scoped advisory lock per account (taken in a
    /// fixed order, so two writers cannot deadlock on them); on SQLite the single-writer gate already does it. Then reads the
    /// active strike weight each account has, as committed, inside <paramref name="db"/>'s transaction.
    /// </summary>
    public static async Task<Dictionary<string, double>> LockActiveWeightsAsync(BulwarkDbContext db, IReadOnlyCollection<string> accountIds, DateTimeOffset now, CancellationToken ct)
    {
        if (accountIds.Count == 0) return [];
        if (db.Provider == DatabaseProvider.Postgres)
            foreach (var id in accountIds.Distinct().Order(StringComparer.Ordinal))
                await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"strikes:" + id}, 0))", ct);
        var weights = await db.Set<StrikeRow>().AsNoTracking()
            .Where(s => accountIds.Contains(s.AccountId) && s.RemovedAt == null && s.ExpiresAt > now)
            .Select(s => new { s.AccountId, s.Weight }).ToListAsync(ct);
        return weights.GroupBy(w => w.AccountId).ToDictionary(g => g.Key, g => g.Sum(w => w.Weight));
    }

    private static bool SameMeasures(IReadOnlyList<DecisionAction> a, IReadOnlyList<DecisionAction> b) =>
        a.Count == b.Count && a.Zip(b).All(p => ReferenceEquals(p.First, p.Second) ||
            (p.First.Kind == p.Second.Kind && p.First.TargetId == p.Second.TargetId && p.First.Policy == p.Second.Policy &&
             (p.First.Details ?? Empty).Count == (p.Second.Details ?? Empty).Count &&
             (p.First.Details ?? Empty).All(kv => (p.Second.Details ?? Empty).TryGetValue(kv.Key, out var v) && v == kv.Value)));

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
