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
        "content.remove", "content.restrict_regions", "content.age_restrict", "content.exclude_recommendations",
        "account.strike", "account.restrict_feature", "account.suspend", "account.ban",
    };

    private static readonly string[] AccountMeasures = ["account.ban", "account.suspend", "account.restrict_feature", "account.reinstate"];

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
                new Dictionary<string, string>(details) { ["strikeId"] = s.Id.ToString(CultureInfo.InvariantCulture), ["weight"] = Num(s.Weight) }));
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
    /// Lifts the account's measures in force that no longer stand: those the reversed decision imposed directly, and those a
    /// strike threshold triggered when the remaining strikes (active when the measure was imposed) no longer reach it.
    /// The account is reinstated only when no measure remains; otherwise the measures that stand are named.
    /// </summary>
    private static async Task<List<string>> ReevaluateAccountAsync(
        BulwarkDbContext db, IActionOutbox outbox, EnforcementOptions options, string key, Dictionary<string, string> details,
        DecisionRow decision, string account, HashSet<long> removedStrikes, DateTimeOffset now, CancellationToken ct)
    {
        var history = await db.Set<ActionRow>().AsNoTracking()
            .Where(a => a.TargetType == "account" && a.TargetId == account && AccountMeasures.Contains(a.Kind))
            .ToListAsync(ct);
        history = history.OrderBy(a => a.Id).ToList();
        var lastReinstate = history.LastOrDefault(a => a.Kind == "account.reinstate")?.Id ?? 0;
        var candidates = history.Where(a => a.Id > lastReinstate && a.Kind != "account.reinstate").ToList();
        var decisionIds = candidates.Where(a => a.DecisionId is not null).Select(a => a.DecisionId!.Value).Distinct().ToList();
        var reversed = (await db.Decisions.AsNoTracking().Where(d => decisionIds.Contains(d.Id) && d.ReversedAt != null).Select(d => d.Id).ToListAsync(ct)).ToHashSet();
        var strikes = await db.Set<StrikeRow>().AsNoTracking().Where(s => s.AccountId == account && s.RemovedAt == null).ToListAsync(ct);
        strikes.RemoveAll(s => removedStrikes.Contains(s.Id));

        var lifted = new List<string>();
        var standing = new List<string>();
        foreach (var m in candidates)
        {
            var d = Details(m);
            if (m.DecisionId is { } md && reversed.Contains(md) && md != decision.Id) continue; // lifted by an earlier appeal
            if (m.Kind == "account.suspend" && d.TryGetValue("days", out var days) && int.TryParse(days, CultureInfo.InvariantCulture, out var n) && m.CreatedAt.AddDays(n) <= now)
                continue; // already over
            var name = $"{m.Kind} (action {m.Id}, decision {m.DecisionId?.ToString(CultureInfo.InvariantCulture) ?? "none"})";
            if (d.ContainsKey("reason") && m.Kind is "account.ban" or "account.suspend")
            {
                // Threshold-triggered: recount the strikes that were active when it was imposed, without the removed ones.
                var threshold = m.Kind == "account.ban" ? options.BanAtStrikes : options.SuspendAtStrikes;
                var weight = strikes.Where(s => s.DecisionId <= m.DecisionId && s.ExpiresAt > m.CreatedAt).Sum(s => s.Weight);
                if (weight < threshold) lifted.Add($"{name}: remaining strike weight {Num(weight)} is below {Num(threshold)}");
                else standing.Add($"{name}: remaining strike weight {Num(weight)} still reaches {Num(threshold)}");
            }
            else if (m.DecisionId == decision.Id) lifted.Add($"{name}: imposed by the reversed decision");
            else standing.Add($"{name}: imposed by its own decision");
        }

        var notes = new List<string>();
        if (lifted.Count == 0 && standing.Count == 0) return notes;
        if (lifted.Count > 0 && standing.Count == 0)
        {
            outbox.Enqueue(db, new PlatformAction("account.reinstate", "account", account, decision.Policy, decision.Id, $"{key}:account.reinstate:{account}",
                new Dictionary<string, string>(details) { ["lifts"] = string.Join("; ", lifted) }));
            notes.Add($"account {account} reinstated (lifted {string.Join("; ", lifted)})");
        }
        else
        {
            if (lifted.Count > 0) notes.Add($"account {account} not reinstated although {string.Join("; ", lifted)} no longer stands");
            notes.Add($"account {account} stays restricted: {string.Join("; ", standing)}");
        }
        return notes;
    }

    private static Dictionary<string, string> Details(ActionRow a)
    {
        try { return JsonSerializer.Deserialize<Dictionary<string, string>>(a.DetailsJson) ?? []; }
        catch (JsonException) { return []; }
    }

    private static string Num(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);
}
