using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Restrictions;

/// <summary>One suspension, ban or feature restriction sent for an account, and whether it still stands.</summary>
public sealed record MeasureState(long ActionId, string Kind, long? DecisionId, bool Stands, string Why);

/// <summary>
/// Which account measures stand: the one reading that appeals, the enforcement API and ban evasion share. A measure counts
/// from its action until the account's last <c>account.reinstate</c>, an explicit lift of its kind, a reversal of its
/// decision, or the end of a suspension. A measure a strike threshold caused (its action carries
/// <see cref="StrikeThresholds.Marker"/>) stands only while the strikes active when it was imposed, from decisions up to its
/// own and not removed since, still reach the threshold.
/// </summary>
public static class MeasuresInForce
{
    private static readonly string[] Kinds = [Measures.AccountBan, Measures.AccountSuspend, "account.restrict_feature", Measures.AccountReinstate, Measures.AccountLiftBan, Measures.AccountLiftSuspension];

    /// <param name="reversing">A decision being undone now: its measures no longer stand (threshold ones are recounted).</param>
    /// <param name="removedStrikes">Strikes being removed now (not yet saved).</param>
    public static async Task<IReadOnlyList<MeasureState>> EvaluateAsync(
        BulwarkDbContext db, EnforcementOptions options, string account, DateTimeOffset now, long? reversing, IReadOnlySet<long> removedStrikes, CancellationToken ct)
    {
        var history = (await db.Set<ActionRow>().AsNoTracking()
            .Where(a => a.TargetType == "account" && a.TargetId == account && Kinds.Contains(a.Kind)).ToListAsync(ct)).OrderBy(a => a.Id).ToList();
        var lastReinstate = history.LastOrDefault(a => a.Kind == Measures.AccountReinstate)?.Id ?? 0;
        var candidates = history.Where(a => a.Id > lastReinstate && a.Kind is Measures.AccountBan or Measures.AccountSuspend or "account.restrict_feature").ToList();
        if (candidates.Count == 0) return [];
        var decisionIds = candidates.Where(a => a.DecisionId is not null).Select(a => a.DecisionId!.Value).Distinct().ToList();
        var reversed = (await db.Decisions.AsNoTracking().Where(d => decisionIds.Contains(d.Id) && d.ReversedAt != null).Select(d => d.Id).ToListAsync(ct)).ToHashSet();
        var strikes = await db.Set<StrikeRow>().AsNoTracking().Where(s => s.AccountId == account && s.RemovedAt == null).ToListAsync(ct);
        strikes.RemoveAll(s => removedStrikes.Contains(s.Id));

        var result = new List<MeasureState>();
        foreach (var m in candidates)
        {
            var lift = m.Kind == Measures.AccountBan ? Measures.AccountLiftBan : m.Kind == Measures.AccountSuspend ? Measures.AccountLiftSuspension : null;
            if (lift is not null && history.Any(a => a.Kind == lift && a.Id > m.Id)) continue; // lifted explicitly
            if (m.DecisionId is { } md && reversed.Contains(md) && md != reversing) continue; // lifted by an earlier reversal
            var d = Details(m);
            if (m.Kind == Measures.AccountSuspend && d.TryGetValue("days", out var days) && int.TryParse(days, CultureInfo.InvariantCulture, out var n) && m.CreatedAt.AddDays(n) <= now)
                continue; // already over
            var name = $"{m.Kind} (action {m.Id}, decision {m.DecisionId?.ToString(CultureInfo.InvariantCulture) ?? "none"})";
            if (m.Kind is Measures.AccountBan or Measures.AccountSuspend && d.ContainsKey(StrikeThresholds.Marker))
            {
                var threshold = m.Kind == Measures.AccountBan ? options.BanAtStrikes : options.SuspendAtStrikes;
                var weight = strikes.Where(s => s.DecisionId <= m.DecisionId && s.ExpiresAt > m.CreatedAt).Sum(s => s.Weight);
                result.Add(weight < threshold
                    ? new(m.Id, m.Kind, m.DecisionId, false, $"{name}: remaining strike weight {Num(weight)} is below {Num(threshold)}")
                    : new(m.Id, m.Kind, m.DecisionId, true, $"{name}: remaining strike weight {Num(weight)} still reaches {Num(threshold)}"));
            }
            else if (m.DecisionId is { } own && own == reversing) result.Add(new(m.Id, m.Kind, m.DecisionId, false, $"{name}: imposed by the reversed decision"));
            else result.Add(new(m.Id, m.Kind, m.DecisionId, true, $"{name}: imposed by its own decision"));
        }
        return result;
    }

    internal static Dictionary<string, string> Details(ActionRow a)
    {
        try { return JsonSerializer.Deserialize<Dictionary<string, string>>(a.DetailsJson) ?? []; }
        catch (JsonException) { return []; }
    }

    internal static string Num(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
