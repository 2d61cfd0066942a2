using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Records;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bulwark.Core.Actions.Restrictions;

/// <summary>A pipeline decision to commit: its item, the decision the rules took, and the version's status before.</summary>
public sealed record PipelineRestriction(PipelineContext Context, Decision Decision, string StatusBefore);

/// <summary>
/// The one path every restriction takes: the pipeline's batch, a person's confirmation (console case, bulk, API, CLI), an
/// authority order (issue 18), a review that finds no violation, and an appeal's outcome. Each commits in one transaction,
/// in this order, written out in each method below and nowhere else:
/// <list type="number">
/// <item>the decision (inserted, or its record updated: reviewer, enforced actions, policy, reversal);</item>
/// <item>its platform actions in the outbox (including content restores, strike removals and the lifting of a ban or
/// suspension that no longer stands);</item>
/// <item>strikes, and the suspension or ban a threshold causes (counted under the account's strike lock);</item>
/// <item>the statement of reasons (recorded, or its end dates set on reversal);</item>
/// <item>preservation (Reg. 2021/784 Art. 6);</item>
/// <item>review-case changes (a case for a decision sent to review, the case a person decided, an appeal's case closed);</item>
/// <item>the audit entry.</item>
/// </list>
/// A person's request is first planned by <see cref="PreviewAsync"/>'s code (<c>PlanAsync</c>): the commit runs the same plan
/// inside its transaction, so what the preview shows is what happens, and a measure the actor's role may not take — chosen
/// or caused by a threshold or zero tolerance — refuses the request instead of being applied.
/// </summary>
public sealed partial class RestrictionWriter(
    IBulwarkDbFactory dbs, PolicyStore store, IActionOutbox outbox, EnforcementOptions enforcement, ReviewOptions review,
    PreservationOptions preservation, StatementOfReasonsService statements, AuditLog audit, TimeProvider clock,
    ILogger<RestrictionWriter>? logger = null, IStatementNoticeSource? notices = null)
{
    private readonly ILogger _log = logger ?? NullLogger<RestrictionWriter>.Instance;

    public const int MaxReasonLength = 1000;

    /// <summary>The statement puid of a pipeline decision, and of a person's confirmation of it.</summary>
    public static string PipelinePuid(long decisionId) => $"bulwark-d{decisionId}";
    public static string ConfirmedPuid(long decisionId) => $"bulwark-d{decisionId}-confirmed";
    public static string InterimPuid(long decisionId) => $"bulwark-d{decisionId}-interim";

    // ───────────────────────────── the pipeline's batch ─────────────────────────────

    private static readonly string[] DecisionColumns = ["ContentVersionId", "ContentId", "Outcome", "Queue", "Explanation", "RulesJson", "Automated", "DecidedAt",
        "Policy", "Priority", "ActionsJson", "FiredJson", "ExceptionApplied", "ShadowJson", "RuleSet"];
    private static readonly string[] DecisionId = ["Id"];

    /// <summary>
    /// Commits a claimed batch's decisions inside the caller's write transaction (the processor stores signals and statuses
    /// beside them and commits). One multi-row insert for the decisions, one save for everything each adds, one audit append:
    /// no round trip per item. Returns the decisions as stored (thresholds settled, interim restrictions added).
    /// </summary>
    public async Task<IReadOnlyList<Decision>> WritePipelineBatchAsync(BulwarkDbContext db, IReadOnlyList<PipelineRestriction> items, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // 0. settle: strike thresholds under the accounts' strike locks (decisions decided side by side see each other's
        //    strikes), and the interim restriction of an escalation to a queue that restricts at once (threat-to-life).
        var decisions = await SettlePipelineAsync(db, items, now, ct);
        // 1. the decisions
        var rows = new List<DecisionRow>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (c, d) = (items[i].Context, decisions[i]);
            rows.Add(new DecisionRow
            {
                ContentVersionId = c.VersionId, ContentId = c.ContentId, Outcome = d.Outcome, Queue = d.Queue,
                Explanation = d.Explanation, RulesJson = JsonSerializer.Serialize(d.Rules.ToList(), IngestJson.Default.ListString),
                Automated = d.Automated, DecidedAt = now,
                Policy = d.Policy, Priority = d.Priority, ActionsJson = JsonSerializer.Serialize(d.Actions, StoredJson),
                FiredJson = JsonSerializer.Serialize(d.Fired, StoredJson), ExceptionApplied = d.Exception,
                ShadowJson = JsonSerializer.Serialize(d.Shadow, StoredJson), RuleSet = d.RuleSet,
            });
        }
        var ids = (await BulkInsert.InsertAsync(db, rows, DecisionColumns, DecisionId, ct)).Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToList();
        var catalogue = store.CatalogueInForce();
        for (var i = 0; i < items.Count; i++)
        {
            var (c, d, id) = (items[i].Context, decisions[i], ids[i]);
            // 2. platform actions and 3. strikes (keys from the content version: a redelivered event neither acts nor strikes twice)
            foreach (var a in d.Actions)
            {
                var details = new Dictionary<string, string>(a.Details ?? new Dictionary<string, string>())
                {
                    ["contentId"] = c.ContentId, ["contentVersion"] = c.Version.ToString(CultureInfo.InvariantCulture),
                };
                if (a.Kind == Measures.AccountStrike) details["strike"] = PipelineStrikeKey(c.VersionId, a.Policy);
                outbox.Enqueue(db, new PlatformAction(a.Kind, a.TargetType, a.TargetId, a.Policy, id, PipelineKey(c.VersionId, a), details));
            }
            foreach (var a in d.Actions.Where(a => a.Kind == Measures.AccountStrike))
                db.Set<StrikeRow>().Add(NewStrike(a.TargetId, a.Policy ?? "", Weight(a), c.VersionId, id, PipelineStrikeKey(c.VersionId, a.Policy), now));
            // 4. the statement of reasons, fully automated
            if (d.Actions.Count > 0 && d.Policy is { } policy)
            {
                var facts = new RestrictionFacts(id, PipelinePuid(id), policy, d.Actions, c.Event, d.Explanation, d.Rules, DecisionPath.Pipeline, now, []);
                if (RestrictionStatements.InputFor(facts, catalogue, now, enforcement.SuspensionDays) is { } input)
                {
                    var (_, errors, _) = RestrictionStatements.Record(statements, db, input, facts);
                    if (errors.Count > 0)
                        _log.LogError("No statement of reasons for decision {DecisionId} ({Policy}): {Errors}", id, policy, string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
                }
            }
            // 5. preservation
            var causes = d.Actions.Where(a => PreservingKinds.Contains(a.Kind)).Select(a => a.Kind).Distinct().ToList();
            if (causes.Count > 0)
                db.Set<PreservedItemRow>().Add(NewPreserved(id, c.ContentId, c.VersionId, c.Event.Account?.Id, d.Policy, causes, now));
            // 6. the review case of a decision sent to review or escalated
            if (d.Outcome is Outcomes.Review or Outcomes.Escalate)
                db.Set<ReviewCaseRow>().Add(ReviewCases.ForDecision(review, c, d, id, now));
        }
        await db.SaveChangesAsync(ct);
        // 7. the audit entries
        await audit.AppendAsync(db, items.Select((it, i) => new AuditRecord("pipeline", "content.decided", $"content:{it.Context.ContentId}#v{it.Context.Version}",
            Before: it.StatusBefore, After: decisions[i].Queue is null ? decisions[i].Outcome : $"{decisions[i].Outcome} ({decisions[i].Queue})", Reason: Clip(decisions[i].Explanation))).ToList(), ct);
        return decisions;
    }

    /// <summary>Kinds whose commit preserves the content (Reg. 2021/784 Art. 6).</summary>
    public static readonly IReadOnlySet<string> PreservingKinds = new HashSet<string> { Measures.ContentRemove, Measures.AccountBan };

    public static string PipelineKey(long versionId, DecisionAction a) =>
        a.Kind == Measures.AccountStrike ? $"cv{versionId}:{a.Kind}:{a.Policy}" : $"cv{versionId}:{a.Kind}";

    private static string PipelineStrikeKey(long versionId, string? policy) => $"cv{versionId}:{policy}";

    private async Task<List<Decision>> SettlePipelineAsync(BulwarkDbContext db, IReadOnlyList<PipelineRestriction> items, DateTimeOffset now, CancellationToken ct)
    {
        var striking = items.Select(i => i.Context.Event.Account?.Id).Where((id, k) => id is not null &&
            items[k].Decision.Actions.Any(a => a.Kind == Measures.AccountStrike && a.TargetId == id)).Select(id => id!).Distinct().ToList();
        var running = striking.Count == 0 ? [] : await StrikeThresholds.LockActiveWeightsAsync(db, striking, now, ct);
        var result = new List<Decision>(items.Count);
        foreach (var (context, original, _) in items)
        {
            var decision = original;
            if (context.Event.Account?.Id is { } accountId && striking.Contains(accountId))
            {
                var before = running.GetValueOrDefault(accountId);
                var settled = StrikeThresholds.Settle(decision.Actions, accountId, before, enforcement, out var after);
                running[accountId] = after;
                // The decision record says why its measures differ from what the rules projected (the statement of reasons
                // is written from structured facts, not from this explanation).
                if (!ReferenceEquals(settled, decision.Actions))
                    decision = decision with
                    {
                        Actions = settled,
                        Explanation = decision.Explanation + string.Create(CultureInfo.InvariantCulture,
                            $"\nStrike thresholds settled at commit: the account's active strike weight was {before} before this decision, not the weight read when it was decided; measures: {string.Join(", ", settled.Where(StrikeThresholds.IsThresholdMeasure).Select(a => a.Kind).DefaultIfEmpty("none"))}."),
                    };
            }
            if (InterimRestriction(decision, context.ContentId) is { } interim) decision = decision with { Actions = [.. decision.Actions, interim] };
            result.Add(decision);
        }
        return result;
    }

    /// <summary>
    /// An escalation to a queue that restricts at once (<see cref="QueueSettings.RestrictOnEscalation"/>, on by default for
    /// threat-to-life) hides the content until the reviewer confirms (a violation removes it) or lifts it (no violation
    /// restores it), unless the decision already restricts the content.
    /// </summary>
    private DecisionAction? InterimRestriction(Decision d, string contentId)
    {
        if (d.Outcome != Outcomes.Escalate || d.Queue is not { } queue || !review.Queue(queue).RestrictOnEscalation) return null;
        if (d.Actions.Any(a => a.TargetType == "content" && AppealReversal.Restrictive.Contains(a.Kind))) return null;
        return new DecisionAction(Measures.ContentRestrict, "content", contentId, d.Policy, new Dictionary<string, string>
        {
            ["interim"] = "true", ["queue"] = queue, ["reason"] = $"escalated to {queue}: restricted until a reviewer confirms or lifts it",
        });
    }

    /// <summary>
    /// A reviewer escalated a case to <paramref name="queue"/>: when that queue restricts at once and the decision does not
    /// restrict the content yet, the content is restricted now, inside the caller's transaction (decision record, outbox).
    /// Returns the audit record, or null when nothing was restricted.
    /// </summary>
    public async Task<AuditRecord?> RestrictOnEscalationAsync(BulwarkDbContext db, long decisionId, string queue, string actor, CancellationToken ct)
    {
        var decision = await db.Decisions.FirstOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null || decision.ReversedAt is not null) return null;
        var actions = AppealReversal.ActionsOf(decision).ToList();
        var interim = InterimRestriction(new Decision(Outcomes.Escalate, queue, "", [], false) { Policy = decision.Policy, Actions = actions }, decision.ContentId);
        if (interim is null) return null;
        // 1. the decision
        decision.ActionsJson = JsonSerializer.Serialize(actions.Append(interim).ToList(), StoredJson);
        // 2. the platform action (no strike or preservation: nothing is decided yet)
        var action = new PlatformAction(interim.Kind, "content", decision.ContentId, decision.Policy, decision.Id, $"decision{decision.Id}:escalated:{queue}:{interim.Kind}",
            new Dictionary<string, string>(interim.Details!) { ["escalatedBy"] = actor });
        outbox.Enqueue(db, action);
        // 4. the statement of reasons: hiding the content is a restriction (DSA Art. 17(1)(a)), said to be pending review;
        //    it ends the day a reviewer lifts it, and a confirmation gets its own statement.
        var statement = decision.Policy is { } policy
            ? await RecordStatementAsync(db, await store.GetCatalogueAsync(ct), decision, policy, [action], RestrictionSource.Person, clock.GetUtcNow(), ct, InterimPuid(decision.Id))
            : null;
        // 7. the audit entry (the caller appends it with its own)
        return new AuditRecord(actor, "content.restricted", $"decision:{decision.Id}", null,
            $"content {decision.ContentId} restricted on escalation to {queue}" + (statement is null ? "; no statement of reasons (the decision names no policy)" : $"; statement {statement}"));
    }

    // ───────────────────────────── a person's (or an authority's) request ─────────────────────────────

    /// <summary>What <paramref name="request"/> would do, computed by the commit's own code without saving anything.</summary>
    public async Task<RestrictionPlan> PreviewAsync(RestrictionRequest request, CancellationToken ct)
    {
        var catalogue = await store.GetCatalogueAsync(ct);
        await using var db = dbs.Create();
        return await PlanAsync(db, request, catalogue, locked: false, ct);
    }

    /// <summary>Carries <paramref name="request"/> out in one write transaction, in the order above; a refusal records nothing.</summary>
    public async Task<RestrictionResult> CommitAsync(RestrictionRequest request, CancellationToken ct)
    {
        var catalogue = await store.GetCatalogueAsync(ct);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        // Two people confirming one decision at once are serialised on the decision's row (SQLite's single writer already
        // does it): the second then plans against the first's commit and is refused as already confirmed.
        if (db.Provider == DatabaseProvider.Postgres)
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM decisions WHERE id = {request.DecisionId} FOR UPDATE", ct);
        var plan = await PlanAsync(db, request, catalogue, locked: true, ct);
        if (plan.Refused) return new(false, plan, null);
        var decision = await db.Decisions.AsNoTracking().FirstAsync(d => d.Id == request.DecisionId, ct);
        var now = clock.GetUtcNow();
        var policyId = plan.Policy!;

        // 1. the decision: the person took it (an appeal must go to someone else, DSA Art. 20(6)), and its enforced actions
        //    grow by the new ones so an appeal finds and undoes them. A decision whose measures were undone (a first review
        //    found no violation; a senior's final verdict found one) stands again with the new measures only.
        var standsAgain = decision.ReversedAt is not null && plan.Actions.Count > 0;
        //    The interim restriction no longer stands once the confirmation ends it (an appeal then has nothing of it to undo);
        //    lifting it is an undoing, not a measure the decision enforces.
        var enforced = (standsAgain ? [] : AppealReversal.ActionsOf(decision)).Where(a => !(plan.EndsInterim && IsInterim(a, decision.ContentId)))
            .Concat(plan.Actions.Where(a => a.Kind != Measures.ContentRestore).Select(a => new DecisionAction(a.Kind, a.TargetType, a.TargetId, a.Policy, a.Details))).ToList();
        var enforcedJson = JsonSerializer.Serialize(enforced, StoredJson);
        var reversedAt = standsAgain ? null : decision.ReversedAt;
        await db.Decisions.Where(d => d.Id == decision.Id).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.ReviewedBy, request.Actor.Name).SetProperty(d => d.Automated, false).SetProperty(d => d.ActionsJson, enforcedJson)
            .SetProperty(d => d.Policy, policyId).SetProperty(d => d.ReversedAt, reversedAt), ct);
        // 2. platform actions
        foreach (var a in plan.Actions) outbox.Enqueue(db, a);
        // 3. strikes (the threshold consequence is already among the actions, counted under the lock)
        foreach (var a in plan.Actions.Where(a => a.Kind == Measures.AccountStrike))
            db.Set<StrikeRow>().Add(NewStrike(a.TargetId, policyId, Weight(a), decision.ContentVersionId, decision.Id, a.Details!["strike"], now));
        // 4. the statement of reasons, partially automated (the pipeline flagged, a person decided)
        var statement = await RecordStatementAsync(db, catalogue, decision, policyId, plan.Actions.Where(a => a.Kind != Measures.ContentRestore).ToList(), request.Source, now, ct);
        //    The confirmation ends an interim restriction (threat-to-life), with a content measure or without (the content is
        //    shown again): its statement, which said the content is hidden until a reviewer decides, ends today; a final
        //    statement, if any, takes over. One already submitted to the Transparency Database stays as submitted: the
        //    database has no call to change or end a statement (docs/architecture.md, "Reversal").
        if (plan.EndsInterim || plan.Actions.Any(a => a.TargetType == "content")) await EndInterimStatementsAsync(db, decision.Id, now, ct);
        // 5. preservation
        await PreserveAsync(db, decision, plan.AccountId, policyId, plan.Actions, now, ct);
        await db.SaveChangesAsync(ct);
        // 6. the review case
        if (request.ReviewCase is { } reviewCase && await reviewCase(db, ct) is { } refusal)
            return new(false, plan with { Why = new RestrictionMessage(RestrictionCodes.ReviewCaseRefused, [refusal], refusal) }, null);
        // 7. the audit entry
        await audit.AppendAsync(db, [new AuditRecord(request.Actor.Name, "decision.confirmed", $"decision:{decision.Id}", decision.Outcome,
            $"{policyId} ({request.Source.ToString().ToLowerInvariant()}): {string.Join("; ", plan.Notes)}; actions {(plan.Actions.Count == 0 ? "none" : string.Join(", ", plan.Actions.Select(a => a.Kind)))}"
            + (statement is null ? "" : $"; statement of reasons {statement}") + (request.AuthorityReference is null ? "" : $"; order {request.AuthorityReference}"), request.Reason)], ct);
        await tx.CommitAsync(ct);
        return new(true, plan, statement);
    }

    private async Task<RestrictionPlan> PlanAsync(BulwarkDbContext db, RestrictionRequest r, Policy.Catalogue.PolicyCatalogue catalogue, bool locked, CancellationToken ct)
    {
        Func<RestrictionMessage, RestrictionPlan> refuse = m => RestrictionPlan.Refuse(r.DecisionId, m);
        if (r.Violation is not null && !System.Text.RegularExpressions.Regex.IsMatch(r.Violation, "^[a-z0-9][a-z0-9-]{0,63}$"))
            return refuse(RestrictionMessage.Of(RestrictionCodes.InvalidViolation, $"violation must be lowercase letters, digits and '-' (e.g. support, credible-threat)"));
        if (r.Reason is { Length: > MaxReasonLength }) return refuse(RestrictionMessage.Of(RestrictionCodes.ReasonTooLong, $"reason must be at most {MaxReasonLength} characters"));
        if (r.SuspensionDays is < 1 or > 365) return refuse(RestrictionMessage.Of(RestrictionCodes.InvalidSuspensionDays, $"suspensionDays must be between 1 and 365"));
        var unknown = r.Measures.Where(m => !Measures.ConfirmableContent.Contains(m) && !Measures.ConfirmableAccount.Contains(m)).ToList();
        if (unknown.Count > 0)
            return refuse(RestrictionMessage.Of(RestrictionCodes.UnknownMeasure,
                $"measure '{unknown[0]}' is not one a person can take (content: {string.Join(", ", Measures.ConfirmableContent)}; account: {string.Join(", ", Measures.ConfirmableAccount)})") with { Args = [unknown[0]] });
        var decision = await db.Decisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == r.DecisionId, ct);
        if (decision is null) return RestrictionPlan.Refuse(r.DecisionId, RestrictionMessage.Of(RestrictionCodes.DecisionNotFound, $"There is no decision {r.DecisionId}."), notFound: true);
        if ((r.Policy ?? decision.Policy) is not { } policyId || catalogue.Find(policyId) is not { } policy)
            return refuse(RestrictionMessage.Of(RestrictionCodes.NoPolicy, $"Decision {r.DecisionId} names no policy of the catalogue; there is nothing to confirm."));
        var prefix = r.Source == RestrictionSource.AuthorityOrder ? $"decision{decision.Id}:order:{r.AuthorityReference}:" : $"decision{decision.Id}:confirmed:";
        var strikeKey = r.Source == RestrictionSource.AuthorityOrder ? $"decision{decision.Id}:order:{r.AuthorityReference}:{policyId}" : $"decision{decision.Id}:{policyId}";
        if (r.Source != RestrictionSource.AuthorityOrder &&
            ((decision.ReviewedBy is not null && !r.OverridesNoViolation) ||
             await db.Set<ActionRow>().AnyAsync(a => a.IdempotencyKey.StartsWith(prefix), ct) ||
             await db.Set<StrikeRow>().AnyAsync(s => s.CauseKey == strikeKey, ct)))
            return refuse(RestrictionMessage.Of(RestrictionCodes.AlreadyConfirmed, $"Decision {decision.Id} is already confirmed."));
        var accountId = await db.ContentItems.Where(c => c.Id == decision.ContentId).Select(c => c.AccountId).FirstOrDefaultAsync(ct);
        var wanted = r.Measures.Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        foreach (var m in wanted.Order(StringComparer.Ordinal))
            if (!r.Actor.MayTake(m)) return refuse(RestrictionMessage.Of(RestrictionCodes.MeasureNotPermitted, $"Your role may not take the measure '{m}'. Nothing was recorded."));
        if (accountId is null && wanted.Any(m => m.StartsWith("account.", StringComparison.Ordinal)))
            return refuse(RestrictionMessage.Of(RestrictionCodes.NoAccount,
                $"Decision {decision.Id} is about content that names no account; leave the account measures ({string.Join(", ", wanted.Where(m => m.StartsWith("account.", StringComparison.Ordinal)))}) out."));

        var details = new Dictionary<string, string> { ["confirmedBy"] = r.Actor.Name, ["source"] = SourceName(r.Source) };
        if (r.Violation is not null) details["violation"] = r.Violation;
        if (r.Exception is not null) details["exception"] = r.Exception;
        if (r.AuthorityReference is not null) details["order"] = r.AuthorityReference;
        var notes = new List<RestrictionMessage>();
        var actions = new List<PlatformAction>();
        // A content measure the decision already enforces is not sent (or stated) again: the content has one statement.
        var already = decision.ReversedAt is null ? AppealReversal.ActionsOf(decision) : [];
        if (r.ContentDeletedUpstream) { if (wanted.Any(m => m.StartsWith("content.", StringComparison.Ordinal))) notes.Add(RestrictionMessage.Of(RestrictionCodes.ContentDeletedUpstream, $"content deleted upstream: content actions skipped")); }
        else
            foreach (var kind in Measures.ConfirmableContent.Where(wanted.Contains))
            {
                if (already.Any(a => a.Kind == kind && a.TargetId == decision.ContentId)) { notes.Add(RestrictionMessage.Of(RestrictionCodes.ContentAlreadyEnforced, $"{kind} already enforced by the decision")); continue; }
                actions.Add(new(kind, "content", decision.ContentId, policyId, decision.Id, prefix + kind, details));
            }
        if (!wanted.Any(m => m.StartsWith("content.", StringComparison.Ordinal))) notes.Add(RestrictionMessage.Of(RestrictionCodes.NoContentMeasure, $"no content measure"));
        // An interim restriction (threat-to-life) ends with the confirmation. A content measure takes its place; without one the
        // reviewer chose to leave the content up, so it is shown again (said in the preview, never left hidden implicitly).
        var interimInForce = already.Any(a => IsInterim(a, decision.ContentId));
        if (interimInForce && !actions.Any(a => a.TargetType == "content") && !r.ContentDeletedUpstream)
        {
            actions.Add(new(Measures.ContentRestore, "content", decision.ContentId, policyId, decision.Id, prefix + Measures.ContentRestore,
                new Dictionary<string, string>(details) { ["undoes"] = Measures.ContentRestrict, ["interim"] = "lifted" }));
            notes.Add(RestrictionMessage.Of(RestrictionCodes.InterimLifted, $"no content measure: the interim restriction is lifted and the content is shown again"));
        }

        double before = 0, after = 0;
        var strikeNumber = 0;
        RestrictionMessage? refusal = null;
        var required = new List<string>();
        var consequences = new List<PlatformAction>();
        if (accountId is not null)
        {
            var zeroTolerance = policy.ZeroTolerance && (policy.ZeroToleranceFor is not { Count: > 0 } kinds || (r.Violation is not null && kinds.Contains(r.Violation)));
            if (zeroTolerance)
                consequences.Add(new(Measures.AccountBan, "account", accountId, policyId, decision.Id, prefix + Measures.AccountBan,
                    new Dictionary<string, string>(details) { ["permanent"] = "true", ["reason"] = $"zero tolerance: confirmed {r.Violation ?? "violation"} of {policyId}" }));
            if (wanted.Contains(Measures.AccountStrike) && zeroTolerance) notes.Add(RestrictionMessage.Of(RestrictionCodes.ZeroToleranceInsteadOfStrike, $"zero tolerance: a ban instead of a strike"));
            else if (wanted.Contains(Measures.AccountStrike))
            {
                if (already.Any(a => a.Kind == Measures.AccountStrike && a.TargetId == accountId && a.Policy == policyId))
                    notes.Add(RestrictionMessage.Of(RestrictionCodes.AlreadyStruck, $"the decision already struck the account for this policy; no second strike"));
                else if (policy.StrikeWeight <= 0) notes.Add(RestrictionMessage.Of(RestrictionCodes.PolicyGivesNoStrikes, $"{policyId} gives no strikes"));
                else
                {
                    // Counted inside the commit's transaction under the account's strike lock, like the pipeline's commit.
                    var now = clock.GetUtcNow();
                    var weights = locked ? await StrikeThresholds.LockActiveWeightsAsync(db, [accountId], now, ct)
                        : await db.Set<StrikeRow>().AsNoTracking().Where(s => s.AccountId == accountId && s.RemovedAt == null && s.ExpiresAt > now)
                            .GroupBy(s => s.AccountId).Select(g => new { g.Key, W = g.Sum(s => s.Weight) }).ToDictionaryAsync(x => x.Key, x => x.W, ct);
                    before = weights.GetValueOrDefault(accountId) + (locked ? 0 : r.PendingStrikeWeight);
                    strikeNumber = 1 + (locked ? 0 : r.PendingStrikes) + await db.Set<StrikeRow>().CountAsync(s => s.AccountId == accountId && s.RemovedAt == null && s.ExpiresAt > now, ct);
                    var strike = new DecisionAction(Measures.AccountStrike, "account", accountId, policyId,
                        new Dictionary<string, string>(details) { ["weight"] = policy.StrikeWeight.ToString(CultureInfo.InvariantCulture), ["strike"] = strikeKey });
                    foreach (var a in StrikeThresholds.Settle([strike], accountId, before, enforcement, out after))
                        (a.Kind == Measures.AccountStrike ? actions : consequences).Add(new(a.Kind, a.TargetType, a.TargetId, a.Policy, decision.Id, prefix + a.Kind,
                            a.Kind == Measures.AccountStrike ? a.Details : new Dictionary<string, string>(details).Concat(a.Details!).ToDictionary()));
                    notes.Add(RestrictionMessage.Of(RestrictionCodes.Strike, $"strike {policy.StrikeWeight} (the account's strike {strikeNumber}; active weight {Math.Round(before, 2)} → {Math.Round(after, 2)})"));
                }
            }
            // The measures a person chose on top, and what the strike or zero tolerance causes; a ban makes a suspension moot.
            var banned = wanted.Contains(Measures.AccountBan) || consequences.Any(c => c.Kind == Measures.AccountBan);
            foreach (var c in consequences)
            {
                if (c.Kind == Measures.AccountSuspend && banned) continue;
                var threshold = c.Details!.ContainsKey(StrikeThresholds.Marker);
                var violation = r.Violation ?? "violation";
                var why = threshold
                    ? RestrictionMessage.Of(c.Kind == Measures.AccountBan ? RestrictionCodes.ThresholdBan : RestrictionCodes.ThresholdSuspend,
                        $"this is the account's strike {strikeNumber} (active weight {Math.Round(after, 2)}): the account will be {(c.Kind == Measures.AccountBan ? "banned" : "suspended")}")
                    : RestrictionMessage.Of(RestrictionCodes.ZeroToleranceBan, $"a confirmed {violation} of {policyId} bans the account (zero tolerance)");
                // The refusals speak of the same values as the note, and the measure.
                IReadOnlyList<object> args = threshold ? [strikeNumber, Math.Round(after, 2), c.Kind] : [violation, policyId, c.Kind];
                // Shown by the preview either way; committed only when the person listed it and may take it.
                required.Add(c.Kind);
                if (!r.Actor.MayTake(c.Kind))
                    refusal ??= new(threshold ? RestrictionCodes.ThresholdNotPermitted : RestrictionCodes.ZeroToleranceNotPermitted, args,
                        $"{Capital(why.English)}, and your role may not take '{c.Kind}'. Leave the strike out or ask a senior moderator. Nothing was recorded.");
                else if (!wanted.Contains(c.Kind))
                    refusal ??= new(threshold ? RestrictionCodes.ThresholdNotListed : RestrictionCodes.ZeroToleranceNotListed, args,
                        $"{Capital(why.English)}: include '{c.Kind}' in the measures to confirm it, or leave the strike out. Nothing was recorded.");
                actions.Add(c);
                notes.Add(why);
            }
            if (wanted.Contains(Measures.AccountBan) && !actions.Any(a => a.Kind == Measures.AccountBan))
            {
                actions.Add(new(Measures.AccountBan, "account", accountId, policyId, decision.Id, prefix + Measures.AccountBan, new Dictionary<string, string>(details) { ["permanent"] = "true" }));
                notes.Add(RestrictionMessage.Of(RestrictionCodes.BanChosen, $"ban chosen by the reviewer"));
            }
            else if (wanted.Contains(Measures.AccountSuspend) && !banned && !actions.Any(a => a.Kind == Measures.AccountSuspend))
            {
                var days = r.SuspensionDays ?? enforcement.SuspensionDays;
                actions.Add(new(Measures.AccountSuspend, "account", accountId, policyId, decision.Id, prefix + Measures.AccountSuspend,
                    new Dictionary<string, string>(details) { ["days"] = days.ToString(CultureInfo.InvariantCulture) }));
                notes.Add(RestrictionMessage.Of(RestrictionCodes.SuspensionChosen, $"suspension of {days} days chosen by the reviewer"));
            }
        }
        else notes.Add(RestrictionMessage.Of(RestrictionCodes.NoAccountNamed, $"no account named"));
        return new RestrictionPlan(decision.Id, policyId, accountId, actions, notes, before, after, strikeNumber, refusal, false) { Consequences = required, EndsInterim = interimInForce };
    }

    /// <summary>The content restriction an escalation put in place until a reviewer decides (<see cref="InterimRestriction"/>).</summary>
    private static bool IsInterim(DecisionAction a, string contentId) =>
        a.Kind == Measures.ContentRestrict && a.TargetId == contentId && a.Details?.GetValueOrDefault("interim") == "true";

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string SourceName(RestrictionSource s) => s switch
    {
        RestrictionSource.Bulk => "bulk", RestrictionSource.AuthorityOrder => "authority_order", RestrictionSource.Appeal => "appeal",
        RestrictionSource.Pipeline => "pipeline", _ => "person",
    };

    private async Task<string?> RecordStatementAsync(BulwarkDbContext db, Policy.Catalogue.PolicyCatalogue catalogue, DecisionRow decision, string policyId,
        IReadOnlyList<PlatformAction> actions, RestrictionSource source, DateTimeOffset now, CancellationToken ct, string? puidOverride = null)
    {
        if (actions.Count == 0) return null;
        var version = await db.ContentVersions.AsNoTracking().Where(v => v.Id == decision.ContentVersionId).Select(v => new { v.EventJson, v.ReceivedAt }).FirstOrDefaultAsync(ct);
        if (version is null) return null;
        var e = JsonSerializer.Deserialize(version.EventJson, IngestJson.Default.ContentEvent) ?? new ContentEvent();
        // Content uploaded as such and then named by a notice (issue 19): the statement states the notice as its source.
        if (e.Source?.Type is null or "upload" && notices is not null && await notices.SourceForAsync(db, decision.Id, ct) is { } notice) e.Source = notice;
        var profile = e.Account?.Id is { } accountId
            ? await db.Set<AccountRow>().AsNoTracking().Where(a => a.Id == accountId).Select(a => new { a.Handle, a.DisplayName }).FirstOrDefaultAsync(ct)
            : null;
        var puid = puidOverride ?? ConfirmedPuid(decision.Id);
        if (source == RestrictionSource.AuthorityOrder)
            puid = OrderStatementPuid(decision.Id, actions[0].IdempotencyKey);
        var facts = new RestrictionFacts(decision.Id, puid, policyId,
            actions.Select(a => new DecisionAction(a.Kind, a.TargetType, a.TargetId, a.Policy, a.Details)).ToList(), e,
            decision.Explanation, [], DecisionPath.HumanConfirmation, version.ReceivedAt,
            new[] { profile?.Handle, profile?.DisplayName }.Where(t => t is not null).Select(t => t!).ToList());
        var input = RestrictionStatements.InputFor(facts, catalogue, now, enforcement.SuspensionDays);
        if (input is null) return null;
        var (statement, errors, _) = RestrictionStatements.Record(statements, db, input, facts);
        // A statement problem does not undo the restriction; the audit entry names it for a fix.
        return statement is null ? $"{input.Puid} not recorded: {string.Join("; ", errors.Select(x => $"{x.Field} {x.Message}"))}" : input.Puid;
    }

    // A confirmation that removes content or bans preserves it as the pipeline's removals are; when the decision's own item
    // exists already (the pipeline removed, the person banned), its cause gains the new kinds.
    private async Task PreserveAsync(BulwarkDbContext db, DecisionRow decision, string? accountId, string policyId, IReadOnlyList<PlatformAction> actions, DateTimeOffset now, CancellationToken ct)
    {
        var causes = actions.Select(a => a.Kind).Where(PreservingKinds.Contains).Distinct().ToList();
        if (causes.Count == 0) return;
        var item = await db.Set<PreservedItemRow>().FirstOrDefaultAsync(i => i.DecisionId == decision.Id, ct);
        if (item is not null)
        {
            var known = item.Cause.Split(',', StringSplitOptions.RemoveEmptyEntries);
            item.Cause = string.Join(",", known.Concat(causes.Where(c => !known.Contains(c))));
            return;
        }
        db.Set<PreservedItemRow>().Add(NewPreserved(decision.Id, decision.ContentId, decision.ContentVersionId, accountId, policyId, causes, now));
    }

    // ───────────────────────────── undoing: no violation found, appeals ─────────────────────────────

    /// <summary>
    /// Undoes a decision inside the caller's write transaction (a reviewer found no violation, or lifted a threat-to-life
    /// restriction): the same steps as an appeal's reversal. <paramref name="key"/> prefixes the idempotency keys.
    /// Returns what was done and the audit records; the caller saves, appends and commits.
    /// </summary>
    public async Task<(string Effects, List<AuditRecord> Audit)> UndoAsync(BulwarkDbContext db, DecisionRow decision, string key,
        Dictionary<string, string> details, string reason, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // 1. the decision
        decision.ReversedAt = now;
        // 2.–3. restores, strike removals, lifts
        var (effects, records) = await AppealReversal.ApplyAsync(db, outbox, enforcement, key, details, reason, decision, actor, now, ct);
        // 4. the statements end the day of the reversal
        await EndStatementsAsync(db, decision, now, ct);
        records.Insert(0, new AuditRecord(actor, "decision.reversed", $"decision:{decision.Id}", decision.Outcome, "reversed", reason));
        return (effects, records);
    }

    /// <summary>
    /// An appeal's outcome inside <see cref="AppealService"/>'s write transaction: a reversal undoes the decision (steps 1–4);
    /// an upheld removal is preserved for the full period from the outcome (5); the appeal's case closes (6). Returns the
    /// effects (for the appeal) and audit records (7, appended by the caller after its own entry).
    /// </summary>
    public async Task<(string? Effects, List<AuditRecord> Audit)> ApplyAppealOutcomeAsync(BulwarkDbContext db, AppealRow appeal, DecisionRow decision, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        string? effects = null;
        var records = new List<AuditRecord>();
        if (appeal.Outcome == AppealOutcome.Reversed)
        {
            decision.ReversedAt = now;
            var (summary, audits) = await AppealReversal.ApplyAsync(db, outbox, enforcement, appeal, decision, appeal.DecidedBy!, now, ct);
            effects = summary;
            await EndStatementsAsync(db, decision, now, ct);
            records.Add(new AuditRecord(appeal.DecidedBy!, "decision.reversed", $"decision:{decision.Id}", Before: decision.Outcome, After: "reversed", Reason: $"appeal {appeal.Id}"));
            records.AddRange(audits);
        }
        else if (appeal.Outcome == AppealOutcome.Upheld)
        {
            var until = now.AddMonths(preservation.RetentionMonths);
            var item = await db.Set<PreservedItemRow>().FirstOrDefaultAsync(i => i.DecisionId == decision.Id, ct);
            if (item is not null && item.ExpiresAt < until) item.ExpiresAt = until;
        }
        var verdict = appeal.Outcome == AppealOutcome.Reversed ? ReviewVerdict.Reverse : ReviewVerdict.Uphold;
        var outcome = $"appeal {appeal.Id} {appeal.Outcome}" + (effects == null ? "" : $": {effects}");
        if (outcome.Length > 2000) outcome = outcome[..2000];
        await db.Set<ReviewCaseRow>().Where(c => c.AppealId == appeal.Id && c.Status == ReviewCaseStatus.Open).ExecuteUpdateAsync(u => u
            .SetProperty(c => c.Status, ReviewCaseStatus.Decided).SetProperty(c => c.Verdict, verdict).SetProperty(c => c.VerdictPolicy, decision.Policy)
            .SetProperty(c => c.DecidedBy, appeal.DecidedBy).SetProperty(c => c.DecidedAt, now).SetProperty(c => c.Outcome, outcome)
            .SetProperty(c => c.ClaimExpiresAt, (DateTimeOffset?)null), ct);
        return (effects, records);
    }

    // The Transparency Database accepts new statements only; a pending one gets the reversal day as its restrictions' end.
    // Only the statements named in <paramref name="only"/> when given (an authority order's own, on a decision that stands).
    private static async Task EndStatementsAsync(BulwarkDbContext db, DecisionRow decision, DateTimeOffset now, CancellationToken ct, IReadOnlySet<string>? only = null)
    {
        var end = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = await db.Set<StatementRow>().Where(r => r.DecisionId == decision.Id && r.SubmissionStatus == SubmissionStatus.Pending).ToListAsync(ct);
        if (only is not null) rows = rows.Where(r => only.Contains(r.Puid)).ToList();
        foreach (var row in rows)
        {
            var s = StatementOfReasons.FromJson(row.Json);
            var ended = s with
            {
                EndDateVisibilityRestriction = s.DecisionVisibility is { Count: > 0 } ? Earlier(s.EndDateVisibilityRestriction, end) : s.EndDateVisibilityRestriction,
                EndDateAccountRestriction = s.DecisionAccount is not null ? Earlier(s.EndDateAccountRestriction, end) : s.EndDateAccountRestriction,
                EndDateServiceRestriction = s.DecisionProvision is not null ? Earlier(s.EndDateServiceRestriction, end) : s.EndDateServiceRestriction,
                EndDateMonetaryRestriction = s.DecisionMonetary is not null ? Earlier(s.EndDateMonetaryRestriction, end) : s.EndDateMonetaryRestriction,
            };
            // Never store what would fail validation (e.g. a statement applied after today by a skewed clock).
            if (SorValidator.Validate(ended).Count == 0) row.Json = ended.ToJson();
        }
    }

    /// <summary>Ends the visibility restriction of <paramref name="decisionId"/>'s pending interim statements (<see cref="SorFacts.Interim"/>) today; other restrictions they state are left as they are.</summary>
    private static async Task EndInterimStatementsAsync(BulwarkDbContext db, long decisionId, DateTimeOffset now, CancellationToken ct)
    {
        var end = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var row in await db.Set<StatementRow>().Where(r => r.DecisionId == decisionId && r.SubmissionStatus == SubmissionStatus.Pending).ToListAsync(ct))
        {
            var s = StatementOfReasons.FromJson(row.Json);
            if (!SorFacts.Interim(s)) continue;
            var ended = s with { EndDateVisibilityRestriction = Earlier(s.EndDateVisibilityRestriction, end) };
            if (SorValidator.Validate(ended).Count == 0) row.Json = ended.ToJson();
        }
    }

    private static string Earlier(string? current, string end) => current is not null && string.CompareOrdinal(current, end) < 0 ? current : end;

    // ───────────────────────────── shared ─────────────────────────────

    private StrikeRow NewStrike(string account, string policy, double weight, long? versionId, long decisionId, string cause, DateTimeOffset now) => new()
    {
        AccountId = account, Policy = policy, Weight = weight, ContentVersionId = versionId, DecisionId = decisionId,
        CauseKey = cause, CreatedAt = now, ExpiresAt = now.AddDays(enforcement.StrikeWindowDays),
    };

    private PreservedItemRow NewPreserved(long decisionId, string contentId, long versionId, string? accountId, string? policy, List<string> causes, DateTimeOffset now) => new()
    {
        DecisionId = decisionId, ContentId = contentId, ContentVersionId = versionId, AccountId = accountId, Policy = policy,
        Cause = string.Join(",", causes), Status = PreservationStatus.Pending, CreatedAt = now, ExpiresAt = now.AddMonths(preservation.RetentionMonths),
    };

    private static double Weight(DecisionAction a) => double.Parse(a.Details?.GetValueOrDefault("weight") ?? "1", CultureInfo.InvariantCulture);
    private static double Weight(PlatformAction a) => double.Parse(a.Details?.GetValueOrDefault("weight") ?? "1", CultureInfo.InvariantCulture);

    // Stored, not rendered as HTML: keep quotes and accented letters readable in the database.
    internal static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Clip(string s) => s.Length <= 1000 ? s : s[..1000] + "…";
}
