using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Policy.Appeals;

/// <summary>
/// Undoes a decision inside the appeal's own write transaction: restores the content, removes the decision's strikes and
/// lifts the account measures that no longer stand. Every action's idempotency key derives from the appeal, so the platform
/// applies each once. Only adds to the unit of work and returns audit records; the caller saves and commits.
/// </summary>
internal static class AppealReversal
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Action kinds that restrict something; a decision with none of them cannot be appealed.</summary>
    public static readonly IReadOnlySet<string> Restrictive = new HashSet<string>
    {
        "content.remove", "content.restrict_regions", "content.age_restrict", "content.exclude_recommendations", "content.restrict",
        "account.strike", "account.restrict_feature", "account.suspend", "account.ban",
    };

    
    public static IReadOnlyList<DecisionAction> ActionsOf(DecisionRow d)
    {
        try { return JsonSerializer.Deserialize<List<DecisionAction>>(d.ActionsJson, Json) ?? []; }
        catch (JsonException) { return []; }
    }

    public static Task<(string Effects, List<AuditRecord> Audit)> ApplyAsync(
        BulwarkDbContext db, IActionOutbox outbox, EnforcementOptions options, AppealRow appeal, DecisionRow decision,
        string decider, DateTimeOffset now, CancellationToken ct) =>
        ApplyAsync(db, outbox, options, $"appeal{appeal.Id}", new Dictionary<string, string>
        {
            ["appealId"] = appeal.Id.ToString(CultureInfo.InvariantCulture),
            ["reversedDecisionId"] = decision.Id.ToString(CultureInfo.InvariantCulture),
        }, $"appeal {appeal.Id} reversed decision {decision.Id}", decision, decider, now, ct);

    /// <summary>
    /// The same undoing for another cause (e.g. a reviewer finding no violation in what the pipeline restricted):
    /// <paramref name="key"/> prefixes the idempotency keys, <paramref name="details"/> go on every action and
    /// <paramref name="removedReason"/> on every removed strike.
    /// </summary>
    public static async Task<(string Effects, List<AuditRecord> Audit)> ApplyAsync(
        BulwarkDbContext db, IActionOutbox outbox, EnforcementOptions options, string key, Dictionary<string, string> details, string removedReason,
        DecisionRow decision, string decider, DateTimeOffset now, CancellationToken ct)
    {
        var actions = ActionsOf(decision);
        var effects = new List<string>();
        var audit = new List<AuditRecord>();

        var contentKinds = actions.Where(a => a.TargetType == "content" && Restrictive.Contains(a.Kind)).Select(a => a.Kind).Distinct().ToList();
        if (contentKinds.Count > 0)
        {
            outbox.Enqueue(db, new PlatformAction("content.restore", "content", decision.ContentId, decision.Policy, decision.Id, $"{key}:content.restore",
                new Dictionary<string, string>(details) { ["undoes"] = string.Join(",", contentKinds) }));
            effects.Add($"content {decision.ContentId} restored (undoes {string.Join(", ", contentKinds)})");
        }

        var strikes = await db.Set<StrikeRow>().Where(s => s.DecisionId == decision.Id && s.RemovedAt == null).ToListAsync(ct);
        foreach (var s in strikes.OrderBy(s => s.Id))
        {
            s.RemovedAt = now;
            s.RemovedReason = removedReason;
            outbox.Enqueue(db, new PlatformAction("strike.remove", "account", s.AccountId, s.Policy, decision.Id, $"{key}:strike.remove:{s.Id}",
                new Dictionary<string, string>(details) { ["strikeId"] = s.Id.ToString(CultureInfo.InvariantCulture), ["strike"] = s.CauseKey, ["weight"] = Num(s.Weight) }));
            effects.Add($"strike {s.Id} ({s.Policy}, weight {Num(s.Weight)}) removed from account {s.AccountId}");
            audit.Add(new AuditRecord(decider, "strike.removed", $"account:{s.AccountId}", Before: $"strike {s.Id} active", After: "removed", Reason: s.RemovedReason));
        }

        var removed = strikes.Select(s => s.Id).ToHashSet();
        var accounts = actions.Where(a => a.TargetType == "account").Select(a => a.TargetId).Concat(strikes.Select(s => s.AccountId)).Distinct().ToList();
        foreach (var account in accounts)
            effects.AddRange(await ReevaluateAccountAsync(db, outbox, options, key, details, decision, account, removed, now, ct));
        return (effects.Count == 0 ? "nothing to undo" : string.Join("; ", effects), audit);
    }

    /// <summary>
    /// Lifts the account's measures that no longer stand (<see cref="Actions.Restrictions.MeasuresInForce"/>): those the
    /// reversed decision imposed directly, and those a strike threshold triggered when the remaining strikes no longer reach
    /// it. Nothing left standing: <c>account.reinstate</c>. Otherwise each kind that no longer stands is lifted on its own
    /// (<c>account.lift_ban</c>, <c>account.lift_suspension</c>), so the platform never keeps a ban Bulwark no longer has,
    /// and the measures that stand are named.
    /// </summary>
    private static async Task<List<string>> ReevaluateAccountAsync(
        BulwarkDbContext db, IActionOutbox outbox, EnforcementOptions options, string key, Dictionary<string, string> details,
        DecisionRow decision, string account, HashSet<long> removedStrikes, DateTimeOffset now, CancellationToken ct)
    {
        var states = await Actions.Restrictions.MeasuresInForce.EvaluateAsync(db, options, account, now, decision.Id, removedStrikes, ct);
        var lifted = states.Where(s => !s.Stands).ToList();
        var standing = states.Where(s => s.Stands).ToList();
        var notes = new List<string>();
        if (lifted.Count == 0) return notes;
        if (standing.Count == 0)
        {
            outbox.Enqueue(db, new PlatformAction("account.reinstate", "account", account, decision.Policy, decision.Id, $"{key}:account.reinstate:{account}",
                new Dictionary<string, string>(details) { ["lifts"] = string.Join("; ", lifted.Select(l => l.Why)) }));
            notes.Add($"account {account} reinstated (lifted {string.Join("; ", lifted.Select(l => l.Why))})");
            return notes;
        }
        foreach (var kind in lifted.Select(l => l.Kind).Distinct())
        {
            var lift = kind switch { "account.ban" => "account.lift_ban", "account.suspend" => "account.lift_suspension", _ => null };
            if (lift is null || standing.Any(s => s.Kind == kind)) continue;
            outbox.Enqueue(db, new PlatformAction(lift, "account", account, decision.Policy, decision.Id, $"{key}:{lift}:{account}",
                new Dictionary<string, string>(details)
                {
                    ["lifts"] = string.Join("; ", lifted.Where(l => l.Kind == kind).Select(l => l.Why)),
                    ["stillInForce"] = string.Join(", ", standing.Select(s => s.Kind).Distinct()),
                }));
            notes.Add($"account {account}: {kind} lifted ({lift}: {string.Join("; ", lifted.Where(l => l.Kind == kind).Select(l => l.Why))})");
        }
        notes.Add($"account {account} stays restricted: {string.Join("; ", standing.Select(s => s.Why))}");
        return notes;
    }

    private static Dictionary<string, string> Details(ActionRow a)
    {
        try { return JsonSerializer.Deserialize<Dictionary<string, string>>(a.DetailsJson) ?? []; }
        catch (JsonException) { return []; }
    }

    private static string Num(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
