using System.Globalization;
using System.Text.RegularExpressions;
using Bulwark.Core.Actions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Policy.Enforcement;

/// <summary>The outcome of a confirmation: the actions it caused, or why it was refused.</summary>
public sealed record ConfirmationResult(bool Applied, string? Error, bool NotFound, IReadOnlyList<PlatformAction> Actions)
{
    public static ConfirmationResult Refused(string error, bool notFound = false) => new(false, error, notFound, []);
}

/// <summary>
/// A person confirms that a decision's content violates its policy. Zero-tolerance policies ban the account permanently
/// for the violation kinds the catalogue names (a confirmed VE-DOI support or representation, a confirmed credible threat);
/// otherwise the policy's default content action applies and the account is struck, which may suspend or ban it. This is
/// also the human confirmation that bans based on off-platform findings require. A decision is confirmed at most once.
/// </summary>
public sealed partial class ConfirmationService(
    IBulwarkDbFactory dbs, PolicyStore store, IActionOutbox outbox, EnforcementService enforcement, AuditLog audit, TimeProvider clock,
    StatementOfReasonsService statements, IEnumerable<IConfirmationEffect> effects)
{
    /// <summary>The puid of the statement a confirmation's restrictions get (the pipeline's own is <c>bulwark-d{id}</c>).</summary>
    public static string PuidOf(long decisionId) => $"bulwark-d{decisionId}-confirmed";

    public Task<ConfirmationResult> ConfirmAsync(long decisionId, string? violation, string? reason, string actor, CancellationToken ct) =>
        ConfirmAsync(decisionId, violation, reason, actor, null, ct);

    /// <summary>As above, with what a reviewer chose in the console (<paramref name="choice"/>; see <see cref="ConfirmationChoice"/>).</summary>
    public async Task<ConfirmationResult> ConfirmAsync(long decisionId, string? violation, string? reason, string actor, ConfirmationChoice? choice, CancellationToken ct)
    {
        if (violation is not null && !ViolationPattern().IsMatch(violation)) return ConfirmationResult.Refused("violation must be lowercase letters, digits and '-' (e.g. support, credible-threat)");
        if (reason is not null && reason.Length > 1000) return ConfirmationResult.Refused("reason must be at most 1000 characters");
        var catalogue = await store.GetCatalogueAsync(ct);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var decision = await db.Decisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null) return ConfirmationResult.Refused($"There is no decision {decisionId}.", notFound: true);
        if (choice?.Within is { } within && await within(db, ct) is { } refusal) return ConfirmationResult.Refused(refusal);
        if ((choice?.Policy ?? decision.Policy) is not { } policyId || catalogue.Find(policyId) is not { } policy)
            return ConfirmationResult.Refused($"Decision {decisionId} names no policy of the catalogue; there is nothing to confirm.");
        var prefix = $"decision{decisionId}:confirmed:";
        if ((decision.ReviewedBy is not null && choice?.OverridesNoViolation != true) ||
            await db.Set<ActionRow>().AnyAsync(a => a.IdempotencyKey.StartsWith(prefix), ct) ||
            await db.Set<StrikeRow>().AnyAsync(s => s.CauseKey == $"decision{decisionId}:{policyId}", ct))
            return ConfirmationResult.Refused($"Decision {decisionId} is already confirmed.");
        var accountId = await db.ContentItems.Where(c => c.Id == decision.ContentId).Select(c => c.AccountId).FirstOrDefaultAsync(ct);

        var zeroTolerance = policy.ZeroTolerance && (policy.ZeroToleranceFor is not { Count: > 0 } kinds || (violation is not null && kinds.Contains(violation)));
        var actions = new List<PlatformAction>();
        var details = new Dictionary<string, string> { ["confirmedBy"] = actor };
        if (violation is not null) details["violation"] = violation;
        if (choice?.Exception is { } exception) details["exception"] = exception;
        // A content action the pipeline already enforced for this decision is not sent (or stated) again: the confirmation
        // adds only what is new, so the content has one statement of reasons, not one per person who looked at it.
        var already = decision.ReversedAt is null ? Appeals.AppealReversal.ActionsOf(decision) : [];
        foreach (var kind in ContentKinds(policy, choice).Where(k => !already.Any(a => a.Kind == k && a.TargetId == decision.ContentId)))
            actions.Add(new(kind, "content", decision.ContentId, policyId, decisionId, prefix + kind, details));
        string summary;
        if (accountId is null) summary = "no account named; content action only";
        else if (zeroTolerance)
        {
            actions.Add(new("account.ban", "account", accountId, policyId, decisionId, prefix + "account.ban",
                new Dictionary<string, string>(details) { ["permanent"] = "true", ["reason"] = $"zero tolerance: confirmed {violation ?? "violation"} of {policyId}" }));
            summary = "zero tolerance: permanent ban";
        }
        else if (already.Any(a => a.Kind == "account.strike" && a.TargetId == accountId && a.Policy == policyId))
            summary = "the decision already struck the account for this policy; no second strike";
        else
        {
            var now = clock.GetUtcNow();
            // Counted inside this transaction under the account's strike lock, like the pipeline's commit, so a confirmation
            // and a pipeline decision striking the same account side by side cannot both miss (or both take) a threshold.
            var before = (await StrikeThresholds.LockActiveWeightsAsync(db, [accountId], now, ct)).GetValueOrDefault(accountId);
            db.Set<StrikeRow>().Add(new StrikeRow
            {
                AccountId = accountId, Policy = policyId, Weight = policy.StrikeWeight, DecisionId = decisionId, ContentVersionId = decision.ContentVersionId,
                CauseKey = $"decision{decisionId}:{policyId}", CreatedAt = now, ExpiresAt = now.AddDays(enforcement.Options.StrikeWindowDays),
            });
            var strike = new Pipeline.DecisionAction("account.strike", "account", accountId, policyId,
                new Dictionary<string, string>(details) { ["weight"] = policy.StrikeWeight.ToString(CultureInfo.InvariantCulture) });
            var settled = StrikeThresholds.Settle([strike], accountId, before, enforcement.Options, out var total);
            foreach (var a in settled)
                actions.Add(new(a.Kind, a.TargetType, a.TargetId, a.Policy, decisionId, prefix + a.Kind,
                    a.Kind == "account.strike" ? a.Details : new Dictionary<string, string>(details).Concat(a.Details!).ToDictionary()));
            summary = string.Create(CultureInfo.InvariantCulture, $"strike {policy.StrikeWeight} (active weight {total})");
        }
        if (choice is not null) summary += ChosenAccountMeasures(choice, accountId, policyId, decisionId, prefix, details, actions);
        foreach (var a in actions) outbox.Enqueue(db, a);
        foreach (var effect in effects) await effect.ApplyAsync(db, decision, accountId, policyId, actions, ct);
        var statement = await RecordStatementAsync(db, catalogue, decision, policyId, actions, ct);
        // The confirmer took this decision: an appeal against it must be decided by someone else (DSA Art. 20(6)).
        // The confirmed actions join the decision's enforced ones, so an appeal finds what it restricted and a reversal undoes it.
        // A decision whose measures were undone (a first review found no violation; a senior settling the disagreement found
        // one) stands again with the new measures only: the undone ones stay undone, and ban evasion and appeals, which skip
        // reversed decisions, must see the new ones. The reversal stays in the audit log.
        var standsAgain = decision.ReversedAt is not null && actions.Count > 0;
        var enforced = (standsAgain ? [] : Appeals.AppealReversal.ActionsOf(decision))
            .Concat(actions.Select(a => new Pipeline.DecisionAction(a.Kind, a.TargetType, a.TargetId, a.Policy, a.Details))).ToList();
        var enforcedJson = System.Text.Json.JsonSerializer.Serialize(enforced, ActionsJson);
        var reversedAt = standsAgain ? null : decision.ReversedAt;
        await db.Decisions.Where(d => d.Id == decisionId).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.ReviewedBy, actor).SetProperty(d => d.Automated, false).SetProperty(d => d.ActionsJson, enforcedJson)
            .SetProperty(d => d.Policy, policyId).SetProperty(d => d.ReversedAt, reversedAt), ct);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "decision.confirmed", $"decision:{decisionId}", decision.Outcome,
            $"{policyId}: {summary}; actions {string.Join(", ", actions.Select(a => a.Kind))}" + (statement is null ? "" : $"; statement of reasons {statement}"), reason)], ct);
        await tx.CommitAsync(ct);
        return new(true, null, false, actions);
    }

    // The confirmed restrictions get their own statement, partially automated (the pipeline flagged, a person decided). The
    // event the decision was about supplies the content type, dates, language, source and the terms that identify the person.
    private async Task<string?> RecordStatementAsync(BulwarkDbContext db, Catalogue.PolicyCatalogue catalogue, DecisionRow decision, string policyId,
        List<PlatformAction> actions, CancellationToken ct)
    {
        var version = await db.ContentVersions.AsNoTracking().Where(v => v.Id == decision.ContentVersionId).Select(v => new { v.EventJson, v.ReceivedAt }).FirstOrDefaultAsync(ct);
        if (version is null) return null;
        var e = System.Text.Json.JsonSerializer.Deserialize(version.EventJson, IngestJson.Default.ContentEvent) ?? new ContentEvent();
        var profile = e.Account?.Id is { } accountId
            ? await db.Set<AccountRow>().AsNoTracking().Where(a => a.Id == accountId).Select(a => new { a.Handle, a.DisplayName }).FirstOrDefaultAsync(ct)
            : null;
        var facts = new RestrictionFacts(decision.Id, PuidOf(decision.Id), policyId,
            actions.Select(a => new Pipeline.DecisionAction(a.Kind, a.TargetType, a.TargetId, a.Policy, a.Details)).ToList(), e,
            decision.Explanation, [], DecisionPath.HumanConfirmation, version.ReceivedAt,
            new[] { profile?.Handle, profile?.DisplayName }.Where(t => t is not null).Select(t => t!).ToList());
        var input = RestrictionStatements.InputFor(facts, catalogue, clock.GetUtcNow(), enforcement.Options.SuspensionDays);
        if (input is null) return null;
        var (statement, errors, _) = RestrictionStatements.Record(statements, db, input, facts);
        // As in the pipeline, a statement problem does not undo the restriction; the audit entry names it for a fix.
        return statement is null ? $"{input.Puid} not recorded: {string.Join("; ", errors.Select(x => $"{x.Field} {x.Message}"))}" : input.Puid;
    }

    private static readonly System.Text.Json.JsonSerializerOptions ActionsJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string ContentKind(string action) => "content." + action;

    /// <summary>Content action kinds a confirmation can carry out (the catalogue's default, or a reviewer's choice among these).</summary>
    public static readonly IReadOnlySet<string> ConfirmableContentActions = new HashSet<string> { "content.remove", "content.age_restrict", "content.exclude_recommendations" };

    private static IEnumerable<string> ContentKinds(Catalogue.PolicyDefinition policy, ConfirmationChoice? choice)
    {
        if (choice?.ContentDeletedUpstream == true) return [];
        if (choice?.Actions is { } chosen) return chosen.Where(ConfirmableContentActions.Contains).Distinct();
        return policy.DefaultContentAction is "remove" or "age_restrict" or "exclude_recommendations" ? [ContentKind(policy.DefaultContentAction)] : [];
    }

    // A suspension or ban the reviewer chose on top of what the policy's strikes and zero tolerance already decided.
    private static string ChosenAccountMeasures(ConfirmationChoice choice, string? accountId, string policyId, long decisionId, string prefix,
        Dictionary<string, string> details, List<PlatformAction> actions)
    {
        var note = choice.ContentDeletedUpstream ? "; content deleted upstream, content actions skipped" : "";
        if (accountId is null || choice.Actions is not { } chosen) return note;
        if (chosen.Contains("account.ban") && !actions.Any(a => a.Kind == "account.ban"))
        {
            actions.RemoveAll(a => a.Kind == "account.suspend");
            actions.Add(new("account.ban", "account", accountId, policyId, decisionId, prefix + "account.ban",
                new Dictionary<string, string>(details) { ["permanent"] = "true" }));
            note += "; ban chosen by the reviewer";
        }
        else if (chosen.Contains("account.suspend") && !actions.Any(a => a.Kind is "account.ban" or "account.suspend"))
        {
            actions.Add(new("account.suspend", "account", accountId, policyId, decisionId, prefix + "account.suspend",
                new Dictionary<string, string>(details) { ["days"] = choice.SuspensionDays.ToString(CultureInfo.InvariantCulture) }));
            note += "; suspension chosen by the reviewer";
        }
        return note;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")] private static partial Regex ViolationPattern();
}

/// <summary>
/// What a reviewer chose when confirming in the console. <see cref="Policy"/> replaces the decision's policy; content
/// kinds in <see cref="Actions"/> replace the policy's default content action (none chosen: none taken), and
/// <c>account.suspend</c> or <c>account.ban</c> there add that measure to what strikes and zero tolerance decide.
/// <see cref="Within"/> runs first inside the confirmation's transaction (the console marks its case decided there); a
/// message it returns refuses the confirmation and nothing is recorded.
/// </summary>
public sealed record ConfirmationChoice
{
    public string? Policy { get; init; }
    public IReadOnlyList<string>? Actions { get; init; }
    public string? Exception { get; init; }
    /// <summary>The platform already deleted the content: account measures apply, content actions are skipped and noted.</summary>
    public bool ContentDeletedUpstream { get; init; }
    public int SuspensionDays { get; init; } = 7;
    /// <summary>
    /// A senior moderator's final verdict on a QA disagreement, over a first review that found no violation: that reviewer
    /// is recorded on the decision, but it was never confirmed, so the reviewer alone does not make it "already confirmed".
    /// </summary>
    public bool OverridesNoViolation { get; init; }
    public Func<BulwarkDbContext, CancellationToken, Task<string?>>? Within { get; init; }
}

/// <summary>
/// Something else a human confirmation's actions cause, in the confirmation's transaction (e.g. preserving content it
/// removes, Reg. 2021/784 Art. 6). Like <see cref="IDecisionEffect"/> for the pipeline's commit: it must only add to
/// <paramref name="db"/>'s unit of work, never save or commit.
/// </summary>
public interface IConfirmationEffect
{
    Task ApplyAsync(BulwarkDbContext db, DecisionRow decision, string? accountId, string policyId, IReadOnlyList<PlatformAction> actions, CancellationToken ct);
}
