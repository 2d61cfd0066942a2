using System.Text.Json;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Restrictions;

/// <summary>The decision an authority's removal order (Reg. 2021/784 Art. 3) is recorded on, for content the order names.</summary>
public sealed record AuthorityOrderDecision(string ContentId, string Policy, string Reference, string Explanation, string Actor);

public sealed partial class RestrictionWriter
{
    /// <summary>
    /// The decision a removal order's restriction is committed on (<see cref="CommitAsync"/> with
    /// <see cref="RestrictionSource.AuthorityOrder"/> then takes the measures, the statement of reasons and preservation):
    /// the content's latest version's decision when the pipeline has decided it; otherwise a decision recorded now for that
    /// version, in its own write transaction, which marks the version decided so the pipeline does not decide it again (a
    /// worker holding it finds it decided at commit and skips it). Returns null when the platform has no such content.
    /// Safe to repeat: a second call finds the decision the first recorded.
    /// </summary>
    public async Task<long?> DecisionForAuthorityOrderAsync(AuthorityOrderDecision order, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var version = await LatestVersionAsync(db, order.ContentId, ct);
        if (version is null) return null;
        if (await db.Decisions.AsNoTracking().Where(d => d.ContentVersionId == version.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct) is { } existing)
            return existing;
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        version = await LatestVersionAsync(db, order.ContentId, ct);
        if (await db.Decisions.AsNoTracking().Where(d => d.ContentVersionId == version!.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct) is { } raced)
            return raced;
        var now = clock.GetUtcNow();
        // 1. the decision (its measures are added by CommitAsync, which also records the statement of reasons and preservation)
        var row = new DecisionRow
        {
            ContentVersionId = version!.Id, ContentId = order.ContentId, Outcome = Outcomes.Remove, Explanation = order.Explanation,
            Automated = false, DecidedAt = now, Policy = order.Policy, Priority = "high",
        };
        db.Decisions.Add(row);
        var before = version.Status;
        await db.ContentVersions.Where(v => v.Id == version.Id).ExecuteUpdateAsync(u => u
            .SetProperty(v => v.Status, ContentStatus.Decided).SetProperty(v => v.DecidedAt, now).SetProperty(v => v.Error, (string?)null), ct);
        await db.SaveChangesAsync(ct);
        // 7. the audit entry
        await audit.AppendAsync(db, [new AuditRecord(order.Actor, "content.decided", $"content:{order.ContentId}#v{version.Version}", before,
            $"{Outcomes.Remove} (removal order {order.Reference})", Clip(order.Explanation))], ct);
        await tx.CommitAsync(ct);
        return row.Id;
    }

    private static Task<ContentVersion?> LatestVersionAsync(BulwarkDbContext db, string contentId, CancellationToken ct) =>
        db.ContentVersions.AsNoTracking().Where(v => v.ContentId == contentId).OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Undoes what one removal order added to <paramref name="decision"/> — its measures (those whose details name
    /// <paramref name="orderKey"/>, the request's <see cref="RestrictionRequest.AuthorityReference"/>), any strike it caused
    /// and its own statement of reasons — and nothing else, inside the caller's write transaction. A pipeline strike or
    /// restriction on the same decision stands: the content is restored and each content measure that still stands is sent
    /// again after the restore, so the platform ends where Bulwark does. A decision left with no restriction (one the order
    /// itself recorded) is marked reversed. Returns what was done and the audit records; the caller saves, appends, commits.
    /// </summary>
    public async Task<(string Effects, List<AuditRecord> Audit)> UndoAuthorityOrderAsync(BulwarkDbContext db, DecisionRow decision, string orderKey, string key,
        Dictionary<string, string> details, string reason, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var actions = AppealReversal.ActionsOf(decision);
        bool Ours(DecisionAction a) => a.Details?.GetValueOrDefault("order") == orderKey;
        var ours = actions.Where(Ours).ToList();
        var rest = actions.Where(a => !Ours(a)).ToList();
        var strikePrefix = $"decision{decision.Id}:order:{orderKey}:";
        var strikes = await db.Set<StrikeRow>().Where(s => s.DecisionId == decision.Id && s.RemovedAt == null && s.CauseKey.StartsWith(strikePrefix)).ToListAsync(ct);
        if (ours.Count == 0 && strikes.Count == 0) return ("nothing of the order to undo", []);
        var effects = new List<string>();
        var records = new List<AuditRecord>();

        // 1. the decision: it keeps every measure the order did not take
        decision.ActionsJson = JsonSerializer.Serialize(rest, StoredJson);
        var standsOtherwise = rest.Any(a => AppealReversal.Restrictive.Contains(a.Kind));
        if (!standsOtherwise) decision.ReversedAt = now;
        // 2. the platform: restore what the order restricted, then restate the content measures that stand for other reasons
        var undone = ours.Where(a => a.TargetType == "content" && AppealReversal.Restrictive.Contains(a.Kind)).Select(a => a.Kind).Distinct().ToList();
        if (undone.Count > 0)
        {
            var standing = rest.Where(a => a.TargetType == "content" && a.TargetId == decision.ContentId && AppealReversal.Restrictive.Contains(a.Kind)).ToList();
            outbox.Enqueue(db, new PlatformAction("content.restore", "content", decision.ContentId, decision.Policy, decision.Id, $"{key}:content.restore",
                new Dictionary<string, string>(details) { ["undoes"] = string.Join(",", undone), ["stillInForce"] = string.Join(",", standing.Select(a => a.Kind).Distinct()) }));
            foreach (var a in standing)
                outbox.Enqueue(db, new PlatformAction(a.Kind, a.TargetType, a.TargetId, a.Policy, decision.Id, $"{key}:restated:{a.Kind}",
                    new Dictionary<string, string>(a.Details ?? new Dictionary<string, string>()) { ["restated"] = "true", ["after"] = $"{key}:content.restore" }));
            effects.Add($"content {decision.ContentId} restored (undoes {string.Join(", ", undone)})"
                + (standing.Count == 0 ? "" : $"; {string.Join(", ", standing.Select(a => a.Kind).Distinct())} stand(s) for the decision's other reasons and are sent again"));
        }
        // 3. strikes the order caused (an order takes content measures only today; kept for completeness)
        foreach (var s in strikes.OrderBy(s => s.Id))
        {
            s.RemovedAt = now;
            s.RemovedReason = reason;
            outbox.Enqueue(db, new PlatformAction("strike.remove", "account", s.AccountId, s.Policy, decision.Id, $"{key}:strike.remove:{s.Id}",
                new Dictionary<string, string>(details) { ["strikeId"] = s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["strike"] = s.CauseKey }));
            effects.Add($"strike {s.Id} removed from account {s.AccountId}");
            records.Add(new AuditRecord(actor, "strike.removed", $"account:{s.AccountId}", Before: $"strike {s.Id} active", After: "removed", Reason: reason));
        }
        // 4. the order's own statement of reasons ends the day of the reinstatement; the decision's others stand
        var puids = ours.Select(a => OrderStatementPuid(decision.Id, $"decision{decision.Id}:order:{orderKey}:{a.Kind}")).ToHashSet(StringComparer.Ordinal);
        await EndStatementsAsync(db, decision, now, ct, puids);
        records.Insert(0, new AuditRecord(actor, standsOtherwise ? "decision.order_undone" : "decision.reversed", $"decision:{decision.Id}", decision.Outcome,
            standsOtherwise ? $"the measures of order {orderKey} undone; {string.Join(", ", rest.Where(a => AppealReversal.Restrictive.Contains(a.Kind)).Select(a => a.Kind).Distinct())} stand" : "reversed", reason));
        return (string.Join("; ", effects), records);
    }

    /// <summary>The statement of reasons' PUID of a restriction an authority order caused (one per order and decision).</summary>
    internal static string OrderStatementPuid(long decisionId, string firstActionKey) =>
        $"bulwark-d{decisionId}-order-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(firstActionKey)))[..16]}";
}
