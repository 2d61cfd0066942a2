using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Records;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Review;

/// <summary>Deciding cases: violations through ConfirmationService, refusals that record nothing, double submits, bulk.</summary>
public class ReviewDecisionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_violation_confirms_the_decision_with_strike_actions_statement_and_audit_and_a_double_submit_records_once(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "v1", "acct-v", Reviewable);
        await RunAsync(core);
        var c = await CaseOfAsync(core, "v1");
        var claim = await ClaimAsync(core, c.Id, Alice);
        var decisions = core.Get<ReviewDecisionService>();
        var request = Violation(claim, "VE-GLORIFY", ["content.remove", "account.strike"], submission: "form-1") with { Exception = null };

        var results = await Task.WhenAll(decisions.DecideAsync(request, Alice, default), decisions.DecideAsync(request, Alice, default));
        Assert.All(results, r => Assert.True(r.Ok, r.Message));
        Assert.Single(results, r => r.Value!.Replayed);
        var again = await decisions.DecideAsync(request, Alice, default);
        Assert.True(again.Value!.Replayed);
        Assert.Equal((ReviewVerdict.Violation, "VE-GLORIFY"), (again.Value.Verdict, again.Value.Policy));
        Assert.Equal(["content.remove", "account.strike"], again.Value.Actions);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var strike = await db.Set<StrikeRow>().SingleAsync();
        Assert.Equal(("acct-v", "VE-GLORIFY", c.DecisionId), (strike.AccountId, strike.Policy, strike.DecisionId));
        Assert.Equal(["content.remove", "account.strike"], await db.Set<ActionRow>().OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync());
        Assert.True(await db.Set<StatementRow>().AnyAsync(s => s.Puid == Bulwark.Core.Actions.Restrictions.RestrictionWriter.ConfirmedPuid(c.DecisionId!.Value)));
        var decision = await db.Decisions.SingleAsync();
        Assert.Equal(("alice", false), (decision.ReviewedBy, decision.Automated));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "review.decided"));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "decision.confirmed" && e.Actor == "alice"));
        var stored = await db.Set<ReviewCaseRow>().SingleAsync();
        Assert.Equal((ReviewCaseStatus.Decided, "alice", "form-1"), (stored.Status, stored.DecidedBy!, stored.SubmissionId!));
        Assert.Null((await core.Get<AuditVerifier>().VerifyAsync(default)).Problem);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Tampered_fields_a_forbidden_action_an_unknown_policy_and_a_missing_note_are_refused_and_record_nothing(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "d1", "acct-d", Reviewable);
        await RunAsync(core);
        var c = await CaseOfAsync(core, "d1");
        var claim = await ClaimAsync(core, c.Id, Alice);
        var decisions = core.Get<ReviewDecisionService>();

        var ban = await decisions.DecideAsync(Violation(claim, "VE-DOI", ["content.remove", "account.ban"]), Alice, default);
        Assert.Equal(ReviewError.Forbidden, ban.Error);
        Assert.Contains("'account.ban'", ban.Message);
        var unknown = await decisions.DecideAsync(Violation(claim, "VE-MADE-UP"), Alice, default);
        Assert.Equal(ReviewError.Invalid, unknown.Error);
        Assert.Contains("'VE-MADE-UP' is not in the catalogue", unknown.Message);
        var notAllowed = await decisions.DecideAsync(Violation(claim, "VE-GLORIFY", ["account.ban"]), Sam, default);
        Assert.Equal(ReviewError.Invalid, notAllowed.Error); // VE-GLORIFY has no zero tolerance: a ban is not among its actions
        Assert.Contains("'account.ban' is not allowed under VE-GLORIFY", notAllowed.Message);
        var noNote = await decisions.DecideAsync(Violation(claim) with { Note = " " }, Alice, default);
        Assert.Contains("note is required", noNote.Message);
        var longNote = await decisions.DecideAsync(Violation(claim) with { Note = new string('x', 1001) }, Alice, default);
        Assert.Contains("at most 1000", longNote.Message);
        var badException = await decisions.DecideAsync(Violation(claim) with { Exception = "satire" }, Alice, default);
        Assert.Contains("exception 'satire'", badException.Message);
        var zeroTolerance = await decisions.DecideAsync(Violation(claim, "VE-DOI") with { Violation = "support" }, Alice, default);
        Assert.Equal(ReviewError.Forbidden, zeroTolerance.Error);
        Assert.Contains("zero tolerance", zeroTolerance.Message);
        var auditor = await decisions.DecideAsync(Violation(claim), Audrey, default);
        Assert.Equal(ReviewError.Forbidden, auditor.Error);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.False(await db.Set<ActionRow>().AnyAsync());
        Assert.False(await db.Set<StrikeRow>().AnyAsync());
        Assert.Equal(ReviewCaseStatus.Open, (await db.Set<ReviewCaseRow>().SingleAsync()).Status);
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action.StartsWith("review.") || e.Action == "decision.confirmed"));

        // The refusals left Alice's claim in place: she can still decide.
        Assert.True((await decisions.DecideAsync(Violation(claim), Alice, default)).Ok);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Under_zero_tolerance_for_every_violation_a_moderator_may_not_confirm_and_so_ban_but_a_senior_may(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var store = core.Get<Bulwark.Core.Policy.PolicyStore>();
        var catalogue = await store.GetCatalogueAsync(default);
        catalogue = catalogue with
        {
            Version = "zero-tolerance-glorify",
            Policies = catalogue.Policies!.Select(p => p.Id == "VE-GLORIFY" ? p with { ZeroTolerance = true, ZeroToleranceFor = null } : p).ToList(),
        };
        var updated = await store.UpdateCatalogueAsync(catalogue.ToJson(), "policy-admin", default);
        Assert.True(updated.Applied, string.Join("; ", updated.Errors));
        await UploadAsync(core, "z1", "acct-z", Reviewable);
        await RunAsync(core);
        var c = await CaseOfAsync(core, "z1");
        var decisions = core.Get<ReviewDecisionService>();

        var alices = await ClaimAsync(core, c.Id, Alice);
        var moderator = await decisions.DecideAsync(Violation(alices, "VE-GLORIFY", ["content.remove"]), Alice, default);

        Assert.Equal(ReviewError.Forbidden, moderator.Error);
        Assert.Contains("'account.ban'", moderator.Message);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.False(await db.Set<ActionRow>().AnyAsync());
            Assert.Equal(ReviewCaseStatus.Open, (await db.Set<ReviewCaseRow>().SingleAsync()).Status);
        }
        Assert.True((await core.Get<ReviewQueueService>().ReleaseAsync(c.Id, alices.Token, Alice, default)).Ok);
        // Zero tolerance bans: the senior names the ban the preview shows; leaving it out is refused, never applied implicitly.
        var samClaim = await ClaimAsync(core, c.Id, Sam);
        var implicitBan = await decisions.DecideAsync(Violation(samClaim, "VE-GLORIFY", ["content.remove"]), Sam, default);
        Assert.Contains("include 'account.ban'", implicitBan.Message);
        var senior = await decisions.DecideAsync(Violation(samClaim, "VE-GLORIFY", ["content.remove", "account.ban"]), Sam, default);
        Assert.True(senior.Ok, senior.Message);
        await using var after = core.Get<IBulwarkDbFactory>().Create();
        Assert.True(await after.Set<ActionRow>().AnyAsync(a => a.Kind == "account.ban" && a.TargetId == "acct-z"));
    }

    [Theory]
    [InlineData(ReviewQueues.Appeals)]
    [InlineData(ReviewQueues.Qa)]
    [InlineData(ReviewQueues.QaDisagreement)]
    public async Task A_tampered_escalation_into_the_appeals_or_qa_queues_is_refused_and_records_nothing(string queue)
    {
        await using var core = await CreateAsync(DatabaseProvider.Sqlite);
        await UploadAsync(core, "e1", "acct-e", Reviewable);
        await RunAsync(core);
        var c = await CaseOfAsync(core, "e1");
        var claim = await ClaimAsync(core, c.Id, Alice);
        var decisions = core.Get<ReviewDecisionService>();

        var r = await decisions.DecideAsync(new ReviewDecisionRequest(c.Id, claim.Token, ReviewVerdict.Escalate, null, null, null, "Forged target.", "esc-x",
            EscalateTo: queue), Alice, default);

        Assert.Equal(ReviewError.Invalid, r.Error);
        Assert.Contains($"'{queue}'", r.Message);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(ReviewCaseStatus.Open, (await db.Set<ReviewCaseRow>().SingleAsync()).Status);
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action.StartsWith("review.")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_stale_or_expired_claim_is_refused_with_a_message_and_nothing_is_recorded(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "s1", "acct-s", Reviewable);
        await RunAsync(core);
        var c = await CaseOfAsync(core, "s1");
        var decisions = core.Get<ReviewDecisionService>();
        var alices = await ClaimAsync(core, c.Id, Alice);
        core.Clock.Advance(TimeSpan.FromMinutes(16));
        var expired = await decisions.DecideAsync(Violation(alices), Alice, default);
        Assert.Equal(ReviewError.ClaimExpired, expired.Error);
        Assert.Contains("expired", expired.Message);

        var bobs = await ClaimAsync(core, c.Id, Bob);
        Assert.True((await decisions.DecideAsync(NoViolation(bobs), Bob, default)).Ok);
        var stale = await decisions.DecideAsync(Violation(alices), Alice, default);
        Assert.Equal(ReviewError.Stale, stale.Error);
        Assert.Contains("already decided (no-violation) by bob", stale.Message);
        var noClaim = await decisions.DecideAsync(Violation(alices) with { ClaimToken = null }, Alice, default);
        Assert.Contains("claimToken is required", noClaim.Message);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.False(await db.Set<StrikeRow>().AnyAsync());
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "review.decided"));
        Assert.Equal("bob", (await db.Set<ReviewCaseRow>().SingleAsync()).DecidedBy);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task No_violation_on_an_escalation_that_removed_content_restores_it_and_escalate_opens_a_case_elsewhere(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "t1", "acct-t", Imminent);
        await UploadAsync(core, "k1", "acct-k", Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var t = await CaseOfAsync(core, "t1");
        var claim = await ClaimAsync(core, t.Id, Sam);
        var r = await decisions.DecideAsync(NoViolation(claim), Sam, default);
        Assert.True(r.Ok, r.Message);
        Assert.Contains("restored", r.Value!.Outcome);

        var k = await CaseOfAsync(core, "k1");
        var escalated = await decisions.DecideAsync(new ReviewDecisionRequest(k.Id, (await ClaimAsync(core, k.Id, Alice)).Token, ReviewVerdict.Escalate, null, null, null,
            "Looks like a threat; needs a senior.", "esc-1", EscalateTo: "threat-to-life"), Alice, default);
        Assert.True(escalated.Ok, escalated.Message);
        var follow = await CaseOfAsync(core, "k1", "threat-to-life");
        Assert.Equal((escalated.Value!.FollowUpCaseId, k.Id, ReviewCaseStatus.Open), (follow.Id, follow.SubjectCaseId!.Value, follow.Status));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var restore = await db.Set<ActionRow>().SingleAsync(a => a.Kind == "content.restore");
        Assert.Equal(("t1", $"review{t.Id}:content.restore"), (restore.TargetId, restore.IdempotencyKey));
        var decision = await db.Decisions.SingleAsync(d => d.Id == t.DecisionId);
        Assert.NotNull(decision.ReversedAt);
        Assert.Equal("sam", decision.ReviewedBy);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "decision.reversed" && e.Actor == "sam"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_bulk_decision_applies_and_audits_each_case_reports_stale_ones_and_refuses_more_than_the_limit(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        foreach (var i in Enumerable.Range(1, 4)) await UploadAsync(core, $"b{i}", $"acct-b{i}", Reviewable);
        await RunAsync(core);
        var ids = new List<long>();
        foreach (var i in Enumerable.Range(1, 4)) ids.Add((await CaseOfAsync(core, $"b{i}")).Id);
        var decisions = core.Get<ReviewDecisionService>();
        // b2 is decided by Bob meanwhile, b3 is held by Lea.
        Assert.True((await decisions.DecideAsync(NoViolation(await ClaimAsync(core, ids[1], Bob)), Bob, default)).Ok);
        await ClaimAsync(core, ids[2], Lea);

        var bulk = new BulkReviewRequest(ids, ReviewVerdict.Violation, "VE-GLORIFY", ["content.remove", "account.strike"], null, "Synthetic glorification, same clip family.", "bulk-1");
        // Nothing is recorded until the moderator confirms the summary of what the bulk decision does.
        Assert.Equal(ReviewError.Invalid, (await decisions.DecideBulkAsync(bulk, Alice, default)).Error);
        var (summary, _) = await decisions.PreviewBulkAsync(bulk, Alice, default);
        Assert.Equal(new BulkSummary(2, 2, 2, 0, 0, 0), summary);
        bulk = bulk with { Confirmed = summary };
        var result = (await decisions.DecideBulkAsync(bulk, Alice, default)).Value!;
        Assert.Equal([ReviewError.None, ReviewError.Stale, ReviewError.Stale, ReviewError.None], result.Select(x => x.Error));
        Assert.Contains("already decided", result[1].Message);
        Assert.Contains("claimed by lea", result[2].Message);
        var replay = (await decisions.DecideBulkAsync(bulk, Alice, default)).Value!;
        Assert.True(replay[0].Result!.Replayed);

        var tooMany = await decisions.DecideBulkAsync(bulk with { CaseIds = Enumerable.Range(1, 1001).Select(i => (long)i).ToList() }, Alice, default);
        Assert.Equal(ReviewError.Invalid, tooMany.Error);
        Assert.Contains("at most 1000", tooMany.Message);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(2, await db.Set<StrikeRow>().CountAsync());
        Assert.Equal(["acct-b1", "acct-b4"], await db.Set<StrikeRow>().OrderBy(s => s.AccountId).Select(s => s.AccountId).ToListAsync());
        Assert.Equal(3, await db.AuditEntries.CountAsync(e => e.Action == "review.decided"));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == "decision.confirmed"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Content_deleted_upstream_is_shown_and_a_violation_records_the_strike_but_skips_content_actions(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "gone", "acct-g", Reviewable);
        await RunAsync(core);
        Assert.True((await core.Get<ReviewQaService>().MarkDeletedUpstreamAsync("gone", "author deleted it", "platform", default)).Value);
        Assert.Equal(ReviewError.NotFound, (await core.Get<ReviewQaService>().MarkDeletedUpstreamAsync("never-seen", null, "platform", default)).Error);
        var c = await CaseOfAsync(core, "gone");
        var detail = (await core.Get<ReviewDetailService>().GetAsync(c.Id, default)).Value!;
        Assert.True(detail.Content!.DeletedUpstream);

        var r = await core.Get<ReviewDecisionService>().DecideAsync(Violation(await ClaimAsync(core, c.Id, Alice)), Alice, default);
        Assert.True(r.Ok, r.Message);
        Assert.Contains("content actions skipped", r.Value!.Outcome);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(["account.strike"], await db.Set<ActionRow>().Select(a => a.Kind).ToListAsync());
        Assert.Contains("content deleted upstream", (await db.AuditEntries.SingleAsync(e => e.Action == "decision.confirmed")).After);
    }
}
