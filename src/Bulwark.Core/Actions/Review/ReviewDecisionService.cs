using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Actions.Review;

/// <summary>
/// What a reviewer submits for one case. <see cref="ClaimToken"/> is the claim the form was made under (a decision under a lost
/// claim is refused); <see cref="SubmissionId"/> is the form's nonce (the same submission twice records once and returns the
/// first result). <see cref="Violation"/> optionally names the violation kind a zero-tolerance policy bans for (e.g. <c>support</c>).
/// </summary>
public sealed record ReviewDecisionRequest(
    long CaseId, string? ClaimToken, string? Verdict, string? Policy, IReadOnlyList<string>? Actions, string? Exception, string? Note,
    string? SubmissionId, string? EscalateTo = null, string? Violation = null);

/// <summary>One decision for many cases of a queue page (at most <see cref="ReviewOptions.MaxBulkCases"/>).</summary>
public sealed record BulkReviewRequest(
    IReadOnlyList<long> CaseIds, string? Verdict, string? Policy, IReadOnlyList<string>? Actions, string? Exception, string? Note, string? SubmissionId,
    BulkSummary? Confirmed = null);

/// <summary>
/// What a bulk decision will do, counted over its cases by the restriction writer's preview: the summary a moderator must
/// confirm (posted back as <see cref="BulkReviewRequest.Confirmed"/>) before anything is recorded.
/// </summary>
public sealed record BulkSummary(int Cases, int Removals, int Strikes, int Suspensions, int Bans, int Refused)
{
    /// <summary>
    /// Whether what the cases would do now stays within what the moderator confirmed: never more removals, strikes,
    /// suspensions or bans (fewer is fine: cases decided by others meanwhile, or a repeated submission).
    /// </summary>
    public bool Covers(BulkSummary now) =>
        now.Removals <= Removals && now.Strikes <= Strikes && now.Suspensions <= Suspensions && now.Bans <= Bans;
}

/// <summary>A case's preview within a bulk decision.</summary>
/// <summary>A case of a bulk preview: its plan, or its refusal (in English, and with its code in <see cref="Why"/> when it is a restriction's refusal).</summary>
public sealed record BulkPreviewItem(long CaseId, RestrictionPlan? Plan, string? Refusal, RestrictionMessage? Why = null);

/// <summary>What a decision did. <see cref="Replayed"/>: this was a repeated submission; nothing new was recorded.</summary>
public sealed record ReviewDecisionResult(
    long CaseId, string Queue, string Verdict, string? Policy, IReadOnlyList<string> Actions, string Outcome, bool Replayed,
    long? FollowUpCaseId, bool? QaAgrees)
{
    /// <summary>The queue an escalation sent the case to (the console names it in the page's language, as the English <see cref="Outcome"/> does).</summary>
    public string? EscalatedTo { get; init; }
    /// <summary>A violation confirmed after the platform had deleted the content: its content measures were skipped.</summary>
    public bool ContentDeletedUpstream { get; init; }

    /// <summary>A decided case's result, from its row; <paramref name="deletedUpstream"/>: the content was deleted upstream before the decision.</summary>
    public static ReviewDecisionResult Of(ReviewCaseRow c, IReadOnlyList<string> actions, bool replayed, long? followUp, bool deletedUpstream) =>
        new(c.Id, c.Queue, c.Verdict ?? "", c.VerdictPolicy, actions, c.Outcome ?? "", replayed, followUp, c.QaAgrees)
        {
            EscalatedTo = c.EscalatedTo, ContentDeletedUpstream = deletedUpstream && c.Verdict == ReviewVerdict.Violation,
        };

    /// <summary>Whether the content was deleted upstream by the time the case was decided (what the decision then skipped).</summary>
    public static Task<bool> DeletedBeforeAsync(BulwarkDbContext db, ReviewCaseRow c, CancellationToken ct) =>
        c.Verdict != ReviewVerdict.Violation || c.DecidedAt is not { } at ? Task.FromResult(false)
            : db.Set<UpstreamDeletionRow>().AnyAsync(x => x.ContentId == c.ContentId && x.DeletedAt <= at, ct);
}

public sealed record BulkReviewItem(long CaseId, ReviewError Error, string? Message, ReviewDecisionResult? Result, RestrictionMessage? Why = null);

/// <summary>
/// Decides review cases. A violation goes through <see cref="RestrictionWriter"/> (measures, strikes and thresholds, zero
/// tolerance, statements of reasons, preservation and audit), with the case marked decided inside the confirmation's own transaction; a no-violation
/// undoes what the pipeline already restricted through the appeal reversal path; an escalation opens a case in another queue.
/// QA cases only compare; a QA disagreement is settled by a senior moderator, whose verdict is applied as final; an appeals
/// case decides its appeal through <see cref="AppealService"/>.
/// </summary>
public sealed partial class ReviewDecisionService(
    IBulwarkDbFactory dbs, ReviewOptions options, TimeProvider clock, Random random, PolicyStore policies, RestrictionWriter writer,
    AppealService appeals, EnforcementOptions enforcement, AuditLog audit, Signals.Exchange.ExchangeFeedback partnerFeedback)
{
    public static readonly IReadOnlySet<string> Exceptions = new HashSet<string> { "news-documentary", "education", "research", "counter-speech", "artistic-expression" };
    public const int MaxNoteLength = 1000;

    public async Task<ReviewResult<ReviewDecisionResult>> DecideAsync(ReviewDecisionRequest r, ReviewUser user, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.ClaimToken)) return Invalid(ReviewCodes.ClaimTokenRequired, $"claimToken is required: claim the case before deciding it");
        return await DecideOneAsync(r, user, bulk: false, ct);
    }

    public async Task<ReviewResult<IReadOnlyList<BulkReviewItem>>> DecideBulkAsync(BulkReviewRequest r, ReviewUser user, CancellationToken ct)
    {
        if (r.CaseIds is not { Count: > 0 }) return ReviewResult<IReadOnlyList<BulkReviewItem>>.Fail(ReviewError.Invalid, ReviewCodes.Of(ReviewCodes.BulkNoCases, $"caseIds: select at least one case"));
        if (r.CaseIds.Count > options.MaxBulkCases)
            return ReviewResult<IReadOnlyList<BulkReviewItem>>.Fail(ReviewError.Invalid, ReviewCodes.Of(ReviewCodes.BulkTooMany, $"caseIds: {r.CaseIds.Count} cases selected; one bulk decision covers at most {options.MaxBulkCases}. Nothing was recorded."));
        if (r.Verdict is ReviewVerdict.Escalate or ReviewVerdict.Uphold or ReviewVerdict.Reverse)
            return ReviewResult<IReadOnlyList<BulkReviewItem>>.Fail(ReviewError.Invalid, ReviewCodes.Of(ReviewCodes.BulkVerdictNotAllowed, $"verdict: '{r.Verdict}' cannot be given in bulk; use violation or no-violation"));
        // Nothing drastic happens implicitly: the moderator confirms the summary the preview showed, and it must still be
        // what the cases would do now (a strike elsewhere may have moved an account past a threshold meanwhile).
        var (summary, previews) = await PreviewBulkAsync(r, user, ct);
        if (r.Confirmed is null)
            return ReviewResult<IReadOnlyList<BulkReviewItem>>.Fail(ReviewError.Invalid, ReviewCodes.Of(ReviewCodes.BulkSummaryUnconfirmed, $"confirm the bulk summary first: what the decision will do is shown before anything is recorded. Nothing was recorded."));
        if (!r.Confirmed.Covers(summary))
            return ReviewResult<IReadOnlyList<BulkReviewItem>>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.BulkSummaryChanged,
                $"The bulk decision now does something else than the summary you confirmed ({Describe(r.Confirmed)}; now {Describe(summary)}). Review the new summary. Nothing was recorded."));
        var items = new List<BulkReviewItem>(r.CaseIds.Count);
        foreach (var id in r.CaseIds.Distinct())
        {
            // The consequences the moderator accepted with the summary (each case's own, as previewed) join its measures.
            var accepted = previews.FirstOrDefault(p => p.CaseId == id)?.Plan?.Consequences ?? [];
            var one = await DecideOneAsync(new ReviewDecisionRequest(id, null, r.Verdict, r.Policy, [.. (r.Actions ?? []), .. accepted], r.Exception, r.Note, r.SubmissionId), user, bulk: true, ct);
            items.Add(new BulkReviewItem(id, one.Error, one.Message, one.Value, one.Why));
        }
        return ReviewResult<IReadOnlyList<BulkReviewItem>>.Success(items);
    }

    private async Task<ReviewResult<ReviewDecisionResult>> DecideOneAsync(ReviewDecisionRequest r, ReviewUser user, bool bulk, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.SubmissionId) || r.SubmissionId.Length > 100) return Invalid(ReviewCodes.SubmissionIdRequired, $"submissionId is required (the form's nonce, at most {100} characters)");
        if (r.Note is { Length: > MaxNoteLength }) return Invalid(ReviewCodes.NoteTooLong, $"note must be at most {MaxNoteLength} characters (it has {r.Note.Length})");
        if (r.Exception is not null && !Exceptions.Contains(r.Exception))
            return Invalid(ReviewCodes.UnknownException, $"exception '{r.Exception}' is not one of {string.Join(", ", Exceptions)}");

        await using var read = dbs.Create();
        var c = await read.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == r.CaseId, ct);
        if (c is null) return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.NotFound, ReviewCodes.Of(ReviewCodes.CaseNotFound, $"There is no case {r.CaseId}."));
        if (c.Status == ReviewCaseStatus.Decided && c.SubmissionId == r.SubmissionId && c.DecidedBy == user.Name)
            return ReviewResult<ReviewDecisionResult>.Success(await ResultOfAsync(read, c, replayed: true, ct));
        var queue = options.Queue(c.Queue);
        if (!queue.MayWork(user.Roles))
            return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Forbidden, ReviewQueueService.QueueRefusal(c.Queue, queue.Roles, user));
        if (ReviewQueueService.Excluded(c.ExcludedReviewer, user)) return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Conflict, ReviewQueueService.Exclusion(c, user));
        if (await ReviewQueueService.MayNotSeeWhyAsync(read, options, c, user, ct) is { } hidden) return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Forbidden, hidden);

        if (c.Queue == ReviewQueues.Appeals && c.AppealId is not null)
            return bulk ? Invalid(ReviewCodes.AppealNotInBulk, $"case {c.Id} is an appeal; appeals are decided one at a time") : await DecideAppealAsync(c, r, user, ct);
        if (r.Verdict is not (ReviewVerdict.Violation or ReviewVerdict.NoViolation or ReviewVerdict.Escalate))
            return Invalid(ReviewCodes.InvalidVerdict, $"verdict must be violation, no-violation or escalate (got '{r.Verdict}')");
        if (r.Verdict == ReviewVerdict.Escalate)
        {
            if (c.Queue is ReviewQueues.Qa or ReviewQueues.QaDisagreement) return Invalid(ReviewCodes.QaNotEscalated, $"a QA case cannot be escalated; give violation or no-violation");
            if (string.IsNullOrWhiteSpace(r.EscalateTo) || !QueuePattern().IsMatch(r.EscalateTo)) return Invalid(ReviewCodes.EscalateToRequired, $"escalateTo must name the queue to escalate to (lowercase letters, digits, '-')");
            if (r.EscalateTo == c.Queue) return Invalid(ReviewCodes.AlreadyInQueue, $"escalateTo: the case is already in '{c.Queue}'");
            // Cases there are opened by an appeal or a QA sample and read as such (an appeal id, a subject that was reviewed).
            if (r.EscalateTo is ReviewQueues.Appeals or ReviewQueues.Qa or ReviewQueues.QaDisagreement)
                return Invalid(ReviewCodes.NotAnEscalationTarget, $"escalateTo: '{r.EscalateTo}' is not a queue cases are escalated to");
            if (options.Queue(r.EscalateTo).Retired) return Invalid(ReviewCodes.QueueRetired, $"escalateTo: queue '{r.EscalateTo}' is retired");
        }
        string? policyId = null;
        var chosen = (r.Actions ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (r.Verdict == ReviewVerdict.Violation)
        {
            if (string.IsNullOrWhiteSpace(r.Note)) return Invalid(ReviewCodes.NoteRequired, $"note is required for a violation: say what in the content violates the policy");
            if (string.IsNullOrWhiteSpace(r.Policy)) return Invalid(ReviewCodes.PolicyRequired, $"policy is required for a violation");
            var catalogue = await policies.GetCatalogueAsync(ct);
            if (catalogue.Find(r.Policy) is not { } policy)
                return Invalid(ReviewCodes.UnknownPolicy, $"policy '{r.Policy}' is not in the catalogue in force ({string.Join(", ", catalogue.Policies?.Select(p => p.Id) ?? [])})");
            policyId = policy.Id;
            var allowed = AllowedActions(policy).ToList();
            // A suspension or ban the strike itself causes (a threshold; zero tolerance) may be listed under any policy: it
            // is how the reviewer confirms the consequence the preview showed.
            var policyAllows = allowed.Count;
            if (chosen.Any(a => !allowed.Contains(a) && a is "account.suspend" or "account.ban") && c.DecisionId is { } previewed)
                allowed.AddRange((await writer.PreviewAsync(Request(new Decide(c, r, user, bulk, policyId, chosen), previewed, false, c.Queue != ReviewQueues.QaDisagreement), ct)).Consequences);
            foreach (var a in chosen)
            {
                if (!allowed.Contains(a)) return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Invalid, NotAllowedByPolicy(a, policyId, allowed));
                // The queue's own list (set by a policy admin in the console) narrows what the policy allows.
                // A consequence the strike itself causes (a threshold) is confirmed, not chosen, so the queue's list does not hold it back.
                if (queue.AllowedActions is { } inQueue && !inQueue.Contains(a) && !allowed.Skip(policyAllows).Contains(a))
                    return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Invalid, NotAllowedInQueue(a, c.Queue, inQueue));
                if (!ConsoleRoles.MayTake(user.Roles, a))
                    return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Forbidden, RoleMayNotTake(a, user));
            }
        }
        else if (chosen.Count > 0) return Invalid(ReviewCodes.ActionsOnlyForViolation, $"actions are only taken for a violation; remove {string.Join(", ", chosen)}");

        var decide = new Decide(c, r, user, bulk, policyId, chosen);
        return c.Queue switch
        {
            ReviewQueues.Qa => await CompareQaAsync(decide, ct),
            ReviewQueues.QaDisagreement => await SettleDisagreementAsync(decide, ct),
            _ => await ApplyAsync(decide, qaSample: true, ct),
        };
    }

    private sealed record Decide(ReviewCaseRow Case, ReviewDecisionRequest Request, ReviewUser User, bool Bulk, string? Policy, List<string> Actions);

    /// <summary>Content actions a confirmation can take under the policy, account measures the policy has, in role-checked kinds.</summary>
    public static IReadOnlyList<string> AllowedActions(Policy.Catalogue.PolicyDefinition policy)
    {
        var list = new List<string>();
        if (policy.DefaultContentAction is not (null or "none")) list.AddRange(Measures.ConfirmableContent);
        if (policy.StrikeWeight > 0) list.Add("account.strike");
        if (policy.DefaultAccountAction is not (null or "none")) list.Add("account.suspend");
        if (policy.ZeroTolerance || policy.DefaultAccountAction is "ban") list.Add("account.ban");
        return list;
    }

    // A case of an ordinary queue (or a disagreement's final verdict, qaSample false): confirm, undo, or escalate.
    private async Task<ReviewResult<ReviewDecisionResult>> ApplyAsync(Decide d, bool qaSample, CancellationToken ct)
    {
        var c = d.Case;
        var r = d.Request;
        ReviewResult<ReviewDecisionResult>? failure = null;
        long? followUp = null;
        var outcome = "";
        async Task<string?> MarkAsync(BulwarkDbContext db, string summary, CancellationToken token)
        {
            var now = clock.GetUtcNow();
            if (await MarkDecidedAsync(db, d, summary, null, now, token) is { } f) { failure = f; return f.Message; }
            ReviewCaseRow? next = null;
            if (r.Verdict == ReviewVerdict.Escalate) next = ReviewCases.FollowUp(options, c, r.EscalateTo!, now, null);
            else if (qaSample && Sample()) next = ReviewCases.FollowUp(options, c, ReviewQueues.Qa, now, d.User.Name);
            if (next is not null)
            {
                db.Set<ReviewCaseRow>().Add(next);
                await db.SaveChangesAsync(token);
                followUp = next.Id;
            }
            await audit.AppendAsync(db, [new AuditRecord(d.User.Name, "review.decided", $"review-case:{c.Id}", ReviewCaseStatus.Open,
                $"{r.Verdict}{(d.Policy is null ? "" : $" {d.Policy}")} in {c.Queue}; {summary}" + (next is null ? "" : $"; case {next.Id} opened in {next.Queue}"),
                Note(r))], token);
            // A partner whose entry matched the content hears what the person decided (sent later, batched and retried).
            await partnerFeedback.RecordAsync(db, c, r.Verdict, r.Exception, d.User.Name, token);
            return null;
        }

        var deleted = await DeletedUpstreamAsync(c.ContentId, ct);
        if (r.Verdict == ReviewVerdict.Violation && c.DecisionId is { } decisionId)
        {
            outcome = $"confirmed {d.Policy}" + (d.Actions.Count == 0 ? "" : $" with {string.Join(", ", d.Actions)}") + (deleted ? "; content deleted upstream: content actions skipped" : "");
            // A case decided or claimed by someone else meanwhile is stale before anything else is said about it.
            await using (var check = dbs.Create())
                if (await StaleAsync(check, d, clock.GetUtcNow(), ct) is { } stale)
                    return (await ReplayAfterRaceAsync(c.Id, r.SubmissionId!, d.User, ct)) ?? stale;
            var request = Request(d, decisionId, deleted, qaSample) with { ReviewCase = (db, token) => MarkAsync(db, outcome, token) };
            // The case's outcome lists what was done (the plan the writer commits), for the result page.
            var plan = await writer.PreviewAsync(request, ct);
            if (!plan.Refused) outcome = $"confirmed {d.Policy}: {Did(plan)}";
            var confirmed = await writer.CommitAsync(request, ct);
            if (!confirmed.Applied)
                return (await ReplayAfterRaceAsync(c.Id, r.SubmissionId!, d.User, ct)) ?? failure
                    ?? ReviewResult<ReviewDecisionResult>.Fail(RestrictionCodes.IsPermission(confirmed.ErrorCode) ? ReviewError.Forbidden : ReviewError.Invalid,
                        confirmed.Plan.Why! with { English = confirmed.Error!.EndsWith("Nothing was recorded.", StringComparison.Ordinal) ? confirmed.Error : $"{confirmed.Error} Nothing was recorded." });
        }
        else
        {
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var records = new List<AuditRecord>();
            outcome = r.Verdict == ReviewVerdict.Escalate ? $"escalated to {r.EscalateTo}" : "no violation";
            if (r.Verdict == ReviewVerdict.NoViolation && c.DecisionId is { } id)
                outcome += await UndoAsync(db, id, $"review{c.Id}", d.User.Name, $"case {c.Id}: no violation found by {d.User.Name}", records, ct);
            if (r.Verdict == ReviewVerdict.Violation) outcome = $"violation of {d.Policy} recorded (no pipeline decision to confirm)";
            if (r.Verdict == ReviewVerdict.Escalate && c.DecisionId is { } escalated
                && await writer.RestrictOnEscalationAsync(db, escalated, r.EscalateTo!, d.User.Name, ct) is { } restricted)
            {
                outcome += $"; {restricted.After}";
                records.Add(restricted);
            }
            if (await MarkAsync(db, outcome, ct) is not null)
                return (await ReplayAfterRaceAsync(c.Id, r.SubmissionId!, d.User, ct)) ?? failure!;
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, records, ct);
            await tx.CommitAsync(ct);
        }
        await using var after = dbs.Create();
        var stored = await after.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == c.Id, ct);
        return ReviewResult<ReviewDecisionResult>.Success(await ResultOfAsync(after, stored, replayed: false, ct) with { FollowUpCaseId = followUp });
    }

    private RestrictionRequest Request(Decide d, long decisionId, bool deleted, bool qaSample) => new()
    {
        DecisionId = decisionId, Source = d.Bulk ? RestrictionSource.Bulk : RestrictionSource.Person,
        Actor = new RestrictionActor(d.User.Name, kind => ConsoleRoles.MayTake(d.User.Roles, kind)),
        Policy = d.Policy, Measures = d.Actions, SuspensionDays = enforcement.SuspensionDays, Violation = d.Request.Violation,
        Exception = d.Request.Exception, Reason = d.Request.Note, ContentDeletedUpstream = deleted,
        // Only a disagreement's final verdict (qaSample false) comes here after a first review: one that found no violation.
        OverridesNoViolation = !qaSample,
    };

    // Refusals of a measure by the policy, the queue's list or the role: coded like the writer's, so the console words them.
    private static RestrictionMessage NotAllowedByPolicy(string measure, string? policy, IEnumerable<string> allowed) =>
        new(RestrictionCodes.NotAllowedByPolicy, [measure, policy ?? "", string.Join(", ", allowed.Distinct())],
            $"action '{measure}' is not allowed under {policy} (allowed: {string.Join(", ", allowed.Distinct())})");

    private static RestrictionMessage NotAllowedInQueue(string measure, string queue, IReadOnlyCollection<string> inQueue) =>
        new(RestrictionCodes.NotAllowedInQueue, [measure, queue, inQueue.Count == 0 ? "—" : string.Join(", ", inQueue)],
            $"action '{measure}' is not allowed in queue '{queue}' (allowed there: {(inQueue.Count == 0 ? "none" : string.Join(", ", inQueue))})");

    private static RestrictionMessage RoleMayNotTake(string measure, ReviewUser user) =>
        new(RestrictionCodes.MeasureNotPermitted, [measure], $"Your roles ({ReviewQueueService.Roles(user)}) may not take the action '{measure}'. Nothing was recorded.");

    /// <summary>What was (or will be) done, in words for the case's outcome and the result page.</summary>
    public static string Did(RestrictionPlan plan) =>
        (plan.Actions.Count == 0 ? "no measure" : string.Join(", ", plan.Actions.Select(a => a.Kind)))
        + (plan.Notes.Count == 0 ? "" : $" ({string.Join("; ", plan.Notes)})");

    /// <summary>
    /// What deciding one case as <paramref name="r"/> asks would do, from the restriction writer's own planning (no save):
    /// null when the verdict is not a violation of a pipeline decision. A refusal of the request itself is returned as the error.
    /// </summary>
    public Task<ReviewResult<RestrictionPlan?>> PreviewAsync(ReviewDecisionRequest r, ReviewUser user, CancellationToken ct) => PreviewAsync(r, user, ct, null);

    private async Task<ReviewResult<RestrictionPlan?>> PreviewAsync(ReviewDecisionRequest r, ReviewUser user, CancellationToken ct, Dictionary<string, (int Count, double Weight)>? pending)
    {
        if (r.Verdict != ReviewVerdict.Violation) return ReviewResult<RestrictionPlan?>.Success(null);
        await using var read = dbs.Create();
        var c = await read.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == r.CaseId, ct);
        if (c is null) return ReviewResult<RestrictionPlan?>.Fail(ReviewError.NotFound, ReviewCodes.Of(ReviewCodes.CaseNotFound, $"There is no case {r.CaseId}."));
        if (c.Status != ReviewCaseStatus.Open) return ReviewResult<RestrictionPlan?>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.CaseAlreadyDecided, $"Case {c.Id} was already decided ({c.Verdict}) by {c.DecidedBy}."));
        if (c.ClaimedBy is not null && c.ClaimedBy != user.Name && c.ClaimExpiresAt > clock.GetUtcNow())
            return ReviewResult<RestrictionPlan?>.Fail(ReviewError.Stale, ReviewCodes.Of(ReviewCodes.CaseClaimedByOther, $"Case {c.Id} is claimed by {c.ClaimedBy}."));
        if (!options.Queue(c.Queue).MayWork(user.Roles)) return ReviewResult<RestrictionPlan?>.Fail(ReviewError.Forbidden, ReviewQueueService.QueueRefusal(c.Queue, options.Queue(c.Queue).Roles, user));
        if (c.DecisionId is not { } decisionId || string.IsNullOrWhiteSpace(r.Policy)) return ReviewResult<RestrictionPlan?>.Success(null);
        var chosen = (r.Actions ?? []).Distinct(StringComparer.Ordinal).ToList();
        // The same checks as the decision itself, so the preview refuses what the decision would.
        var catalogue = await policies.GetCatalogueAsync(ct);
        if (catalogue.Find(r.Policy) is not { } policy)
            return ReviewResult<RestrictionPlan?>.Fail(ReviewError.Invalid, ReviewCodes.Of(ReviewCodes.UnknownPolicy, $"policy '{r.Policy}' is not in the catalogue in force ({string.Join(", ", catalogue.Policies?.Select(p => p.Id) ?? [])})"));
        var allowed = AllowedActions(policy).ToList();
        var plan = await writer.PreviewAsync(Request(new Decide(c, r, user, false, policy.Id, chosen), decisionId, await DeletedUpstreamAsync(c.ContentId, ct), c.Queue != ReviewQueues.QaDisagreement) with
        {
            PendingStrikes = pending is not null && c.AccountId is { } pa ? pending.GetValueOrDefault(pa).Count : 0,
            PendingStrikeWeight = pending is not null && c.AccountId is { } pw ? pending.GetValueOrDefault(pw).Weight : 0,
        }, ct);
        allowed.AddRange(plan.Consequences);
        var queueAllows = options.Queue(c.Queue).AllowedActions;
        foreach (var a in chosen)
        {
            if (!allowed.Contains(a)) return ReviewResult<RestrictionPlan?>.Fail(ReviewError.Invalid, NotAllowedByPolicy(a, policy.Id, allowed));
            if (queueAllows is not null && !queueAllows.Contains(a) && !plan.Consequences.Contains(a))
                return ReviewResult<RestrictionPlan?>.Fail(ReviewError.Invalid, NotAllowedInQueue(a, c.Queue, queueAllows));
            if (!ConsoleRoles.MayTake(user.Roles, a))
                return ReviewResult<RestrictionPlan?>.Fail(ReviewError.Forbidden, RoleMayNotTake(a, user));
        }
        return ReviewResult<RestrictionPlan?>.Success(plan);
    }

    /// <summary>The summary of a bulk decision (counts over every case's preview), and each case's plan or refusal.</summary>
    public async Task<(BulkSummary Summary, IReadOnlyList<BulkPreviewItem> Items)> PreviewBulkAsync(BulkReviewRequest r, ReviewUser user, CancellationToken ct)
    {
        var items = new List<BulkPreviewItem>();
        // Cases are decided in order, so each sees the strikes the earlier ones add to its account.
        var pending = new Dictionary<string, (int Count, double Weight)>(StringComparer.Ordinal);
        foreach (var id in (r.CaseIds ?? []).Distinct())
        {
            var one = await PreviewAsync(new ReviewDecisionRequest(id, null, r.Verdict, r.Policy, r.Actions, r.Exception, r.Note, r.SubmissionId), user, ct, pending);
            var plan = one.Value;
            // In bulk, a consequence the moderator may take is accepted by confirming the summary; one they may not take refuses that case.
            if (plan is { Refused: true } && plan.Consequences.Count > 0 && plan.Consequences.All(k => ConsoleRoles.MayTake(user.Roles, k))
                && plan.RefusalCode is RestrictionCodes.ThresholdNotListed or RestrictionCodes.ZeroToleranceNotListed)
                plan = plan with { Why = null };
            if (one.Error == ReviewError.Stale) continue; // decided or held by someone else: nothing will happen to it
            if (plan is { Refused: false, AccountId: { } account } && plan.Strikes > 0)
                pending[account] = (pending.GetValueOrDefault(account).Count + plan.Strikes, pending.GetValueOrDefault(account).Weight + plan.StrikeWeightAfter - plan.StrikeWeightBefore);
            items.Add(new BulkPreviewItem(id, plan is { Refused: false } ? plan : null, one.Ok ? plan?.Refusal : one.Message, one.Ok ? plan?.Why : one.Why));
        }
        var ok = items.Where(i => i.Plan is not null).Select(i => i.Plan!).ToList();
        return (new BulkSummary(items.Count, ok.Sum(p => p.Removals), ok.Sum(p => p.Strikes), ok.Sum(p => p.Suspensions), ok.Sum(p => p.Bans),
            items.Count(i => i.Refusal is not null)), items);
    }

    private static string Describe(BulkSummary s) =>
        $"{s.Cases} cases: {s.Removals} removals, {s.Strikes} strikes, {s.Suspensions} suspensions, {s.Bans} bans, {s.Refused} refused";

    /// <summary>Undoes what the decision restricted (content restored, strikes removed, measures lifted) when it still stands.</summary>
    private async Task<string> UndoAsync(BulwarkDbContext db, long decisionId, string key, string actor, string reason, List<AuditRecord> records, CancellationToken ct)
    {
        var decision = await db.Decisions.FirstAsync(x => x.Id == decisionId, ct);
        decision.ReviewedBy = actor;
        decision.Automated = false;
        if (decision.ReversedAt is not null || !AppealReversal.ActionsOf(decision).Any(a => AppealReversal.Restrictive.Contains(a.Kind))) return "";
        var details = new Dictionary<string, string> { ["reversedDecisionId"] = decisionId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["review"] = key };
        var (effects, audits) = await writer.UndoAsync(db, decision, key, details, reason, actor, ct);
        records.AddRange(audits);
        return $"; undone: {effects}";
    }

    // The blind second review: compared with the first, never applied. A disagreement goes to a senior moderator.
    private async Task<ReviewResult<ReviewDecisionResult>> CompareQaAsync(Decide d, CancellationToken ct)
    {
        if (d.Case.SubjectCaseId is null) return await CompareAutomatedQaAsync(d, ct);
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var first = await db.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == d.Case.SubjectCaseId, ct);
        var agrees = first.Verdict == d.Request.Verdict && (d.Request.Verdict != ReviewVerdict.Violation || first.VerdictPolicy == d.Policy);
        var now = clock.GetUtcNow();
        var summary = agrees ? $"agrees with case {first.Id}" : $"disagrees with case {first.Id} ({first.Verdict} {first.VerdictPolicy})";
        if (await MarkDecidedAsync(db, d, summary, agrees, now, ct) is { } f) return (await ReplayAfterRaceAsync(d.Case.Id, d.Request.SubmissionId!, d.User, ct)) ?? f;
        long? followUp = null;
        if (!agrees)
        {
            // Neither reviewer whose verdicts disagree may settle the disagreement, even when one of them is a senior moderator.
            var senior = ReviewCases.FollowUp(options, d.Case, ReviewQueues.QaDisagreement, now, ReviewCases.Exclude(first.DecidedBy, d.User.Name));
            db.Set<ReviewCaseRow>().Add(senior);
            await db.SaveChangesAsync(ct);
            followUp = senior.Id;
            summary += $"; case {senior.Id} opened in {ReviewQueues.QaDisagreement}";
        }
        await audit.AppendAsync(db, [new AuditRecord(d.User.Name, "review.qa", $"review-case:{d.Case.Id}", ReviewCaseStatus.Open,
            $"{d.Request.Verdict}{(d.Policy is null ? "" : $" {d.Policy}")}; {summary}", Note(d.Request))], ct);
        await tx.CommitAsync(ct);
        var stored = await db.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == d.Case.Id, ct);
        return ReviewResult<ReviewDecisionResult>.Success(await ResultOfAsync(db, stored, false, ct) with { FollowUpCaseId = followUp });
    }

    // A blind re-review of an automated restriction (opened by the transparency sampler): it measures the detector's accuracy
    // and changes nothing; a reviewer who finds no violation is told to undo it through an ordinary review or an appeal.
    private async Task<ReviewResult<ReviewDecisionResult>> CompareAutomatedQaAsync(Decide d, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var decision = await db.Decisions.AsNoTracking().FirstAsync(x => x.Id == d.Case.DecisionId, ct);
        var agrees = d.Request.Verdict == ReviewVerdict.Violation && d.Policy == decision.Policy;
        var summary = agrees ? $"agrees with automated decision {decision.Id}" : $"disagrees with automated decision {decision.Id} ({decision.Policy}); counted for its detectors' accuracy, nothing undone";
        if (await MarkDecidedAsync(db, d, summary, agrees, clock.GetUtcNow(), ct) is { } f) return (await ReplayAfterRaceAsync(d.Case.Id, d.Request.SubmissionId!, d.User, ct)) ?? f;
        await audit.AppendAsync(db, [new AuditRecord(d.User.Name, "review.qa", $"review-case:{d.Case.Id}", ReviewCaseStatus.Open,
            $"{d.Request.Verdict}{(d.Policy is null ? "" : $" {d.Policy}")}; {summary}", Note(d.Request))], ct);
        await tx.CommitAsync(ct);
        var stored = await db.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == d.Case.Id, ct);
        return ReviewResult<ReviewDecisionResult>.Success(await ResultOfAsync(db, stored, false, ct));
    }

    // A senior moderator's verdict on a disagreement is final: applied where it differs from what the first review did.
    private async Task<ReviewResult<ReviewDecisionResult>> SettleDisagreementAsync(Decide d, CancellationToken ct)
    {
        await using var read = dbs.Create();
        var qa = await read.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == d.Case.SubjectCaseId, ct);
        var first = await read.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == qa.SubjectCaseId, ct);
        var alreadyApplied = first.Verdict == d.Request.Verdict && (d.Request.Verdict != ReviewVerdict.Violation || first.VerdictPolicy == d.Policy);
        if (alreadyApplied || (d.Request.Verdict == ReviewVerdict.Violation && first.Verdict == ReviewVerdict.Violation))
        {
            // Same verdict as the first review (or a violation under another policy, which stays confirmed as it was): recorded only.
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var summary = $"final: {d.Request.Verdict}{(d.Policy is null ? "" : $" {d.Policy}")}; first review (case {first.Id}) stands as applied";
            if (await MarkDecidedAsync(db, d, summary, null, clock.GetUtcNow(), ct) is { } f) return (await ReplayAfterRaceAsync(d.Case.Id, d.Request.SubmissionId!, d.User, ct)) ?? f;
            await audit.AppendAsync(db, [new AuditRecord(d.User.Name, "review.qa_final", $"review-case:{d.Case.Id}", ReviewCaseStatus.Open, summary, Note(d.Request))], ct);
            await tx.CommitAsync(ct);
            var stored = await db.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == d.Case.Id, ct);
            return ReviewResult<ReviewDecisionResult>.Success(await ResultOfAsync(db, stored, false, ct));
        }
        return await ApplyAsync(d, qaSample: false, ct);
    }

    private async Task<ReviewResult<ReviewDecisionResult>> DecideAppealAsync(ReviewCaseRow c, ReviewDecisionRequest r, ReviewUser user, CancellationToken ct)
    {
        if (r.Verdict is not (ReviewVerdict.Uphold or ReviewVerdict.Reverse)) return Invalid(ReviewCodes.InvalidAppealVerdict, $"verdict must be uphold or reverse for an appeal (got '{r.Verdict}')");
        if (string.IsNullOrWhiteSpace(r.Note)) return Invalid(ReviewCodes.AppealNoteRequired, $"note is required: the reasons given to the user");
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        // The form's nonce goes on the case while the claim is held, before the appeal is decided: ReviewAppealEffect closes
        // the case in the appeal's transaction, so a second submission racing the first then finds the nonce and replays.
        int held;
        await using (var tx = await dbs.BeginWriteAsync(db, ct))
        {
            held = await db.Set<ReviewCaseRow>()
                .Where(x => x.Id == c.Id && x.Status == ReviewCaseStatus.Open && x.ClaimToken == r.ClaimToken && x.ClaimedBy == user.Name && x.ClaimExpiresAt > now)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.SubmissionId, r.SubmissionId), ct);
            await tx.CommitAsync(ct);
        }
        if (held == 0)
        {
            if (await ReplayAfterRaceAsync(c.Id, r.SubmissionId!, user, ct) is { } replay) return replay;
            return (await ReviewQueueService.ClaimFailureAsync(db, c.Id, r.ClaimToken!, user, now, ct)).As<ReviewDecisionResult>();
        }
        var outcome = r.Verdict == ReviewVerdict.Uphold ? AppealOutcome.Upheld : AppealOutcome.Reversed;
        var result = await appeals.DecideAsync(c.AppealId!.Value, new AppealDecisionRequest(outcome, r.Note, user.Name), user.Name, ct);
        if (result.Error != AppealError.None)
        {
            if (result.Error == AppealError.AlreadyDecided && await ReplayAfterRaceAsync(c.Id, r.SubmissionId!, user, ct) is { } replay) return replay;
            var error = result.Error switch
            {
                AppealError.DeciderConflict => ReviewError.Conflict,
                AppealError.AlreadyDecided => ReviewError.Stale,
                AppealError.NotFound => ReviewError.NotFound,
                _ => ReviewError.Invalid,
            };
            var message = (result.Message ?? string.Join("; ", result.Errors.Select(e => $"{e.Field} {e.Message}"))) + " Nothing was recorded.";
            return ReviewResult<ReviewDecisionResult>.Fail(error, new RestrictionMessage(ReviewCodes.AppealRefused, [message], message));
        }
        // ReviewAppealEffect closed the case in the appeal's transaction; the note follows.
        await using (var tx = await dbs.BeginWriteAsync(db, ct))
        {
            await db.Set<ReviewCaseRow>().Where(x => x.Id == c.Id).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.Note, r.Note).SetProperty(x => x.ClaimToken, (string?)null), ct);
            await tx.CommitAsync(ct);
        }
        var stored = await db.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == c.Id, ct);
        return ReviewResult<ReviewDecisionResult>.Success(await ResultOfAsync(db, stored, false, ct));
    }

    /// <summary>
    /// Marks the case decided if the user still holds it: for a single decision, the claim of the form (unexpired); in bulk,
    /// nobody else's valid claim. One conditional UPDATE, so a concurrent decider finds the case already decided.
    /// </summary>
    private async Task<ReviewResult<ReviewDecisionResult>?> MarkDecidedAsync(BulwarkDbContext db, Decide d, string summary, bool? agrees, DateTimeOffset now, CancellationToken ct)
    {
        var r = d.Request;
        var name = d.User.Name;
        var q = db.Set<ReviewCaseRow>().Where(x => x.Id == d.Case.Id && x.Status == ReviewCaseStatus.Open);
        q = d.Bulk
            ? q.Where(x => x.ClaimedBy == null || x.ClaimExpiresAt <= now || x.ClaimedBy == name)
            : q.Where(x => x.ClaimToken == r.ClaimToken && x.ClaimedBy == name && x.ClaimExpiresAt > now);
        var actionsJson = JsonSerializer.Serialize(d.Actions, ReviewCases.Json);
        var n = await q.ExecuteUpdateAsync(u => u
            .SetProperty(x => x.Status, ReviewCaseStatus.Decided).SetProperty(x => x.Verdict, r.Verdict).SetProperty(x => x.VerdictPolicy, d.Policy)
            .SetProperty(x => x.ActionsJson, actionsJson).SetProperty(x => x.ExceptionApplied, r.Exception).SetProperty(x => x.Note, r.Note)
            .SetProperty(x => x.EscalatedTo, r.Verdict == ReviewVerdict.Escalate ? r.EscalateTo : null)
            .SetProperty(x => x.DecidedBy, name).SetProperty(x => x.DecidedAt, now).SetProperty(x => x.SubmissionId, r.SubmissionId)
            .SetProperty(x => x.Outcome, summary.Length > 2000 ? summary[..2000] : summary).SetProperty(x => x.QaAgrees, agrees)
            .SetProperty(x => x.ClaimToken, (string?)null).SetProperty(x => x.ClaimExpiresAt, (DateTimeOffset?)null), ct);
        if (n == 1) return null;
        if (d.Bulk)
        {
            var cur = await db.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == d.Case.Id, ct);
            return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Stale, cur.Status == ReviewCaseStatus.Decided
                ? ReviewCodes.Of(ReviewCodes.CaseAlreadyDecided, $"Case {cur.Id} was already decided ({cur.Verdict}) by {cur.DecidedBy}; nothing was recorded for it.")
                : ReviewCodes.Of(ReviewCodes.CaseClaimedByOther, $"Case {cur.Id} is claimed by {cur.ClaimedBy}; nothing was recorded for it."));
        }
        return (await ReviewQueueService.ClaimFailureAsync(db, d.Case.Id, r.ClaimToken!, d.User, now, ct)).As<ReviewDecisionResult>();
    }

    /// <summary>The refusal <see cref="MarkDecidedAsync"/> would give if the case is no longer the user's to decide; null when it is.</summary>
    private async Task<ReviewResult<ReviewDecisionResult>?> StaleAsync(BulwarkDbContext db, Decide d, DateTimeOffset now, CancellationToken ct)
    {
        var name = d.User.Name;
        var cur = await db.Set<ReviewCaseRow>().AsNoTracking().FirstAsync(x => x.Id == d.Case.Id, ct);
        var held = cur.Status == ReviewCaseStatus.Open && (d.Bulk
            ? cur.ClaimedBy == null || cur.ClaimExpiresAt <= now || cur.ClaimedBy == name
            : cur.ClaimToken == d.Request.ClaimToken && cur.ClaimedBy == name && cur.ClaimExpiresAt > now);
        if (held) return null;
        if (d.Bulk)
            return ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Stale, cur.Status == ReviewCaseStatus.Decided
                ? ReviewCodes.Of(ReviewCodes.CaseAlreadyDecided, $"Case {cur.Id} was already decided ({cur.Verdict}) by {cur.DecidedBy}; nothing was recorded for it.")
                : ReviewCodes.Of(ReviewCodes.CaseClaimedByOther, $"Case {cur.Id} is claimed by {cur.ClaimedBy}; nothing was recorded for it."));
        return (await ReviewQueueService.ClaimFailureAsync(db, d.Case.Id, d.Request.ClaimToken!, d.User, now, ct)).As<ReviewDecisionResult>();
    }

    // A double submission racing the first: once the first committed, the second returns its result.
    private async Task<ReviewResult<ReviewDecisionResult>?> ReplayAfterRaceAsync(long caseId, string submissionId, ReviewUser user, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var c = await db.Set<ReviewCaseRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == caseId, ct);
        return c is { Status: ReviewCaseStatus.Decided } && c.SubmissionId == submissionId && c.DecidedBy == user.Name
            ? ReviewResult<ReviewDecisionResult>.Success(await ResultOfAsync(db, c, replayed: true, ct))
            : null;
    }

    private static async Task<ReviewDecisionResult> ResultOfAsync(BulwarkDbContext db, ReviewCaseRow c, bool replayed, CancellationToken ct)
    {
        var followUp = await db.Set<ReviewCaseRow>().AsNoTracking().Where(x => x.SubjectCaseId == c.Id).OrderBy(x => x.Id).Select(x => (long?)x.Id).FirstOrDefaultAsync(ct);
        var actions = JsonSerializer.Deserialize<List<string>>(c.ActionsJson, ReviewCases.Json) ?? [];
        return ReviewDecisionResult.Of(c, actions, replayed, followUp, await ReviewDecisionResult.DeletedBeforeAsync(db, c, ct));
    }

    private async Task<bool> DeletedUpstreamAsync(string contentId, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return await db.Set<UpstreamDeletionRow>().AnyAsync(x => x.ContentId == contentId, ct);
    }

    private bool Sample()
    {
        if (options.QaSampleRate <= 0) return false;
        lock (random) return random.NextDouble() < options.QaSampleRate;
    }

    private static string? Note(ReviewDecisionRequest r) => r.Exception is null ? r.Note : $"exception {r.Exception}; {r.Note}";

    private static ReviewResult<ReviewDecisionResult> Invalid(string code, FormattableString message) => ReviewResult<ReviewDecisionResult>.Fail(ReviewError.Invalid, ReviewCodes.Of(code, message));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")] private static partial Regex QueuePattern();
}
