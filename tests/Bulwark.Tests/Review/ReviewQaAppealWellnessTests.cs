using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Security;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Review;

/// <summary>Blind QA, agreement figures, senior settlement of disagreements, the appeals queue, case detail and wellness data.</summary>
public class ReviewQaAppealWellnessTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Qa_is_blind_refused_to_the_first_reviewer_counted_and_a_disagreement_is_settled_by_a_senior(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, qaRate: 1);
        await UploadAsync(core, "q1", "acct-q1", Reviewable);
        await UploadAsync(core, "q2", "acct-q2", Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var queues = core.Get<ReviewQueueService>();
        var c1 = await CaseOfAsync(core, "q1");
        var c2 = await CaseOfAsync(core, "q2");
        var first1 = await decisions.DecideAsync(Violation(await ClaimAsync(core, c1.Id, Alice)), Alice, default);
        var first2 = await decisions.DecideAsync(Violation(await ClaimAsync(core, c2.Id, Alice)), Alice, default);
        var qa1 = (await CaseOfAsync(core, "q1", ReviewQueues.Qa));
        Assert.Equal((first1.Value!.FollowUpCaseId, c1.Id, "alice"), (qa1.Id, qa1.SubjectCaseId!.Value, qa1.ExcludedReviewer!));

        // The first reviewer may not take the QA case, neither directly nor as the next one.
        Assert.Equal(ReviewError.Conflict, (await queues.ClaimAsync(qa1.Id, Alice, default)).Error);
        Assert.Equal(ReviewError.Empty, (await queues.ClaimNextAsync(ReviewQueues.Qa, Alice, default)).Error);
        Assert.Equal(ReviewError.Conflict, (await decisions.DecideAsync(NoViolation(new ReviewClaim(qa1.Id, "alice", "forged", default, default)), Alice, default)).Error);

        // Blind: nothing of Alice's decision is shown.
        var blind = (await core.Get<ReviewDetailService>().GetAsync(qa1.Id, default)).Value!;
        Assert.True(blind.Blind);
        Assert.Empty(blind.PriorReviews);
        Assert.Null(blind.Decision!.ReviewedBy);
        Assert.Null(blind.Decision.Actions);
        Assert.Empty(blind.Account!.ActiveStrikes);
        var open = (await core.Get<ReviewDetailService>().GetAsync(c1.Id, default)).Value!;
        Assert.Equal("alice", open.Decision!.ReviewedBy);
        Assert.Single(open.Account!.ActiveStrikes);

        // Bob agrees on q2 and disagrees on q1: q1 goes to a senior moderator.
        var agree = await decisions.DecideAsync(Violation(await ClaimAsync(core, (await CaseOfAsync(core, "q2", ReviewQueues.Qa)).Id, Bob)), Bob, default);
        Assert.True(agree.Value!.QaAgrees);
        Assert.Null(agree.Value.FollowUpCaseId);
        var disagree = await decisions.DecideAsync(NoViolation(await ClaimAsync(core, qa1.Id, Bob)), Bob, default);
        Assert.False(disagree.Value!.QaAgrees);
        var senior = await CaseOfAsync(core, "q1", ReviewQueues.QaDisagreement);
        Assert.Equal(disagree.Value.FollowUpCaseId, senior.Id);
        Assert.Equal(ReviewError.Forbidden, (await queues.ClaimAsync(senior.Id, Bob, default)).Error);
        var settled = (await core.Get<ReviewDetailService>().GetAsync(senior.Id, default)).Value!;
        Assert.Equal([ReviewVerdict.NoViolation, ReviewVerdict.Violation], settled.PriorReviews.Select(p => p.Verdict));

        var stats = await core.Get<ReviewQaService>().AgreementAsync(core.Clock.GetUtcNow().AddDays(-1), core.Clock.GetUtcNow().AddDays(1), default);
        Assert.Equal((2, 1, 0.5), (stats.Compared, stats.Agreed, stats.Rate));
        Assert.Equal(new AgreementRow("alice", 2, 1), Assert.Single(stats.ByModerator));
        Assert.Equal(new AgreementRow("VE-GLORIFY", 2, 1), Assert.Single(stats.ByPolicy));
        Assert.Equal(0, (await core.Get<ReviewQaService>().AgreementAsync(core.Clock.GetUtcNow().AddDays(1), core.Clock.GetUtcNow().AddDays(2), default)).Compared);

        // The senior's no-violation is final: Alice's confirmed removal and strike are undone.
        var final = await decisions.DecideAsync(NoViolation(await ClaimAsync(core, senior.Id, Sam)), Sam, default);
        Assert.True(final.Ok, final.Message);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.NotNull((await db.Set<StrikeRow>().SingleAsync(s => s.AccountId == "acct-q1")).RemovedAt);
        Assert.Null((await db.Set<StrikeRow>().SingleAsync(s => s.AccountId == "acct-q2")).RemovedAt);
        Assert.True(await db.Set<ActionRow>().AnyAsync(a => a.Kind == "content.restore" && a.TargetId == "q1"));
        // QA and disagreement decisions are not sampled again.
        Assert.Equal(2, await db.Set<ReviewCaseRow>().CountAsync(c => c.Queue == ReviewQueues.Qa));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_seniors_final_violation_over_a_first_no_violation_is_applied(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, qaRate: 1);
        await UploadAsync(core, "nv", "acct-nv", Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var first = await CaseOfAsync(core, "nv");
        Assert.True((await decisions.DecideAsync(NoViolation(await ClaimAsync(core, first.Id, Alice)), Alice, default)).Ok);
        var qa = await CaseOfAsync(core, "nv", ReviewQueues.Qa);
        var disagree = await decisions.DecideAsync(Violation(await ClaimAsync(core, qa.Id, Bob)), Bob, default);
        Assert.False(disagree.Value!.QaAgrees);
        var senior = await CaseOfAsync(core, "nv", ReviewQueues.QaDisagreement);

        var final = await decisions.DecideAsync(Violation(await ClaimAsync(core, senior.Id, Sam)), Sam, default);

        Assert.True(final.Ok, final.Message);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var strike = await db.Set<StrikeRow>().SingleAsync();
        Assert.Equal(("acct-nv", "VE-GLORIFY"), (strike.AccountId, strike.Policy));
        Assert.True(await db.Set<ActionRow>().AnyAsync(a => a.Kind == "content.remove" && a.TargetId == "nv"));
        Assert.Equal("sam", (await db.Decisions.SingleAsync()).ReviewedBy);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "decision.confirmed" && e.Actor == "sam"));
        var settled = await db.Set<ReviewCaseRow>().SingleAsync(c => c.Id == senior.Id);
        Assert.Equal((ReviewCaseStatus.Decided, ReviewVerdict.Violation), (settled.Status, settled.Verdict));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Neither_senior_whose_verdicts_disagree_may_settle_the_disagreement(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, qaRate: 1);
        await UploadAsync(core, "dd", "acct-dd", Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var queues = core.Get<ReviewQueueService>();
        var sue = new ReviewUser("sue", ConsoleRoles.SeniorModerator);
        var tom = new ReviewUser("tom", ConsoleRoles.SeniorModerator);
        // Two seniors give the first and the QA verdict (seniors may work ordinary and QA queues).
        Assert.True((await decisions.DecideAsync(Violation(await ClaimAsync(core, (await CaseOfAsync(core, "dd")).Id, Sam)), Sam, default)).Ok);
        var qa = await CaseOfAsync(core, "dd", ReviewQueues.Qa);
        Assert.False((await decisions.DecideAsync(NoViolation(await ClaimAsync(core, qa.Id, sue)), sue, default)).Value!.QaAgrees);
        var senior = await CaseOfAsync(core, "dd", ReviewQueues.QaDisagreement);
        Assert.Equal("sam,sue", senior.ExcludedReviewer);

        foreach (var reviewer in new[] { Sam, sue })
        {
            var refused = await queues.ClaimAsync(senior.Id, reviewer, default);
            Assert.Equal(ReviewError.Conflict, refused.Error);
            Assert.Contains("gave one of the two verdicts", refused.Message);
            Assert.Equal(ReviewError.Empty, (await queues.ClaimNextAsync(ReviewQueues.QaDisagreement, reviewer, default)).Error);
        }
        // A third senior takes it as the next case of the queue and settles it.
        var claim = await queues.ClaimNextAsync(ReviewQueues.QaDisagreement, tom, default);
        Assert.Equal(senior.Id, claim.Value!.CaseId);
        Assert.True((await decisions.DecideAsync(NoViolation(claim.Value), tom, default)).Ok);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_removal_undone_by_the_first_review_and_reimposed_by_the_senior_stands_again(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, qaRate: 1);
        await UploadAsync(core, "tr", "acct-tr", Imminent); // the pipeline removes it and sends it to threat-to-life
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var first = await CaseOfAsync(core, "tr");
        Assert.Contains("restored", (await decisions.DecideAsync(NoViolation(await ClaimAsync(core, first.Id, Sam)), Sam, default)).Value!.Outcome);
        var qa = await CaseOfAsync(core, "tr", ReviewQueues.Qa);
        // Role checks follow the case: the blind review of a threat-to-life case is for those who may work threat-to-life.
        Assert.Equal(ReviewError.Forbidden, (await core.Get<ReviewQueueService>().ClaimAsync(qa.Id, Bob, default)).Error);
        var una = new ReviewUser("una", ConsoleRoles.SeniorModerator);
        Assert.False((await decisions.DecideAsync(Violation(await ClaimAsync(core, qa.Id, una)), una, default)).Value!.QaAgrees);
        var tom = new ReviewUser("tom", ConsoleRoles.SeniorModerator);
        var final = await decisions.DecideAsync(Violation(await ClaimAsync(core, (await CaseOfAsync(core, "tr", ReviewQueues.QaDisagreement)).Id, tom)), tom, default);
        Assert.True(final.Ok, final.Message);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var decision = await db.Decisions.SingleAsync(d => d.Id == first.DecisionId);
        // The decision stands again, with the senior's measures only (the pipeline's removal was undone and stays so).
        Assert.Null(decision.ReversedAt);
        var enforced = AppealReversal.ActionsOf(decision);
        Assert.Contains(enforced, a => a.Kind == "content.remove");
        Assert.All(enforced, a => Assert.Equal("tom", a.Details!["confirmedBy"]));
        Assert.Equal(["content.remove", "content.restore", "content.remove"],
            await db.Set<ActionRow>().Where(a => a.TargetId == "tr" && a.TargetType == "content").OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync());
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "decision.reversed" && e.Actor == "sam"));

        // An appeal against it reverses the senior's measures.
        var appeal = (await core.Get<AppealService>().SubmitAsync(new NewAppeal(null, "tr", "It was a quote from a film."), "platform", default)).Appeal!;
        var decided = await core.Get<AppealService>().DecideAsync(appeal.Id, new AppealDecisionRequest(AppealOutcome.Reversed, "Film quote.", "lea"), "lea", default);
        Assert.Equal(AppealError.None, decided.Error);
        Assert.Equal("content.restore", (await db.Set<ActionRow>().Where(a => a.TargetId == "tr" && a.TargetType == "content").OrderBy(a => a.Id).LastAsync()).Kind);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task While_its_qa_review_is_open_the_first_verdict_is_hidden_from_everyone_but_its_reviewer_and_auditors(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, qaRate: 1);
        await UploadAsync(core, "bl", "acct-bl", Reviewable);
        await UploadAsync(core, "bl-other", "acct-bl", Reviewable); // another case of the same account
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var details = core.Get<ReviewDetailService>();
        var other = await CaseOfAsync(core, "bl-other");
        var first = await CaseOfAsync(core, "bl");
        Assert.True((await decisions.DecideAsync(Violation(await ClaimAsync(core, first.Id, Alice)), Alice, default)).Ok);
        var qa = await CaseOfAsync(core, "bl", ReviewQueues.Qa);

        // Bob, who is to do the blind review, opens the first case by its id: he sees it as the QA case shows it.
        var seen = (await details.GetAsync(first.Id, default, Bob)).Value!;
        Assert.True(seen.Blind);
        Assert.Null(seen.Result);
        Assert.Null(seen.Decision!.ReviewedBy);
        Assert.Null(seen.Decision.Actions);
        Assert.Empty(seen.PriorReviews);
        Assert.Empty(seen.Account!.ActiveStrikes);
        Assert.True((await details.GetAsync(first.Id, default, new ReviewUser("sam", ConsoleRoles.SeniorModerator))).Value!.Blind);
        // Nor through the account's history on its other case: the decision and its strike are left out for him.
        var elsewhere = (await details.GetAsync(other.Id, default, Bob)).Value!.Account!;
        Assert.DoesNotContain(elsewhere.PriorDecisions, d => d.DecisionId == first.DecisionId);
        Assert.Empty(elsewhere.ActiveStrikes);
        Assert.Equal(0, elsewhere.ActiveStrikeWeight);
        var forAlice = (await details.GetAsync(other.Id, default, Alice)).Value!.Account!;
        Assert.Contains(forAlice.PriorDecisions, d => d.DecisionId == first.DecisionId);
        Assert.Single(forAlice.ActiveStrikes);
        // Its own reviewer and auditors see it whole.
        foreach (var whole in new[] { (await details.GetAsync(first.Id, default, Alice)).Value!, (await details.GetAsync(first.Id, default, Audrey)).Value! })
        {
            Assert.False(whole.Blind);
            Assert.Equal(ReviewVerdict.Violation, whole.Result!.Verdict);
            Assert.Equal("alice", whole.Decision!.ReviewedBy);
            Assert.Single(whole.Account!.ActiveStrikes);
        }

        // Once the QA review is done, the first case is shown whole to everyone.
        Assert.True((await decisions.DecideAsync(Violation(await ClaimAsync(core, qa.Id, Bob)), Bob, default)).Value!.QaAgrees);
        var after = (await details.GetAsync(first.Id, default, Bob)).Value!;
        Assert.False(after.Blind);
        Assert.Equal("alice", after.Decision!.ReviewedBy);
        Assert.Single((await details.GetAsync(other.Id, default, Bob)).Value!.Account!.ActiveStrikes);
    }

    [Fact]
    public async Task Qa_sampling_follows_the_injected_random_source()
    {
        await using var core = await CreateAsync(DatabaseProvider.Sqlite, qaRate: 0.5);
        var ids = Enumerable.Range(1, 8).Select(i => $"s{i}").ToList();
        foreach (var id in ids) await UploadAsync(core, id, "acct-" + id, Reviewable);
        await RunAsync(core);
        var expected = new Random(42);
        var sampled = new List<string>();
        foreach (var id in ids)
        {
            var r = await core.Get<ReviewDecisionService>().DecideAsync(NoViolation(await ClaimAsync(core, (await CaseOfAsync(core, id)).Id, Alice)), Alice, default);
            if (r.Value!.FollowUpCaseId is not null) sampled.Add(id);
        }
        Assert.Equal(ids.Where(_ => expected.NextDouble() < 0.5), sampled);
        Assert.NotEmpty(sampled);
        Assert.NotEqual(ids, sampled);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_appeal_opens_a_case_that_its_original_decider_may_not_work_and_another_reviewer_reverses(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "ap", "acct-ap", Reviewable, "user_report", views: 40);
        await RunAsync(core);
        var c = await CaseOfAsync(core, "ap");
        var decisions = core.Get<ReviewDecisionService>();
        Assert.True((await decisions.DecideAsync(Violation(await ClaimAsync(core, c.Id, Alice)), Alice, default)).Ok);
        var appeal = (await core.Get<AppealService>().SubmitAsync(new NewAppeal(null, "ap", "It is a synthetic news clip."), "platform", default)).Appeal!;
        var a = await CaseOfAsync(core, "ap", ReviewQueues.Appeals);
        Assert.Equal((appeal.Id, "alice", "user_report", 40L), (a.AppealId!.Value, a.ExcludedReviewer!, a.Source, a.Reach));

        var queues = core.Get<ReviewQueueService>();
        var refused = await queues.ClaimAsync(a.Id, Alice, default);
        Assert.Equal(ReviewError.Conflict, refused.Error);
        Assert.Contains("must be decided by someone else", refused.Message);
        var forged = await decisions.DecideAsync(new ReviewDecisionRequest(a.Id, "forged", ReviewVerdict.Reverse, null, null, null, "Restore.", "ap-1"), Alice, default);
        Assert.Equal(ReviewError.Conflict, forged.Error);
        var detail = (await core.Get<ReviewDetailService>().GetAsync(a.Id, default)).Value!;
        Assert.Equal("It is a synthetic news clip.", detail.Appeal!.Reason);
        Assert.Equal("alice", Assert.Single(detail.PriorReviews).DecidedBy);

        var bobs = await ClaimAsync(core, a.Id, Bob);
        var wrongVerdict = await decisions.DecideAsync(NoViolation(bobs), Bob, default);
        Assert.Contains("uphold or reverse", wrongVerdict.Message);
        var reversed = await decisions.DecideAsync(new ReviewDecisionRequest(a.Id, bobs.Token, ReviewVerdict.Reverse, null, null, null, "News context.", "ap-2"), Bob, default);
        Assert.True(reversed.Ok, reversed.Message);
        Assert.Contains("reversed", reversed.Value!.Outcome);
        Assert.True((await decisions.DecideAsync(new ReviewDecisionRequest(a.Id, bobs.Token, ReviewVerdict.Reverse, null, null, null, "News context.", "ap-2"), Bob, default)).Value!.Replayed);
        var stored = (await core.Get<AppealService>().GetAsync(appeal.Id, default))!;
        Assert.Equal((AppealOutcome.Reversed, "bob"), (stored.Outcome!, stored.DecidedBy!));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.NotNull((await db.Set<StrikeRow>().SingleAsync()).RemovedAt);
        Assert.Equal(ReviewCaseStatus.Decided, (await db.Set<ReviewCaseRow>().SingleAsync(x => x.Id == a.Id)).Status);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_appeal_form_sent_twice_at_once_decides_once_and_the_second_gets_the_first_result(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "ar", "acct-ar", Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        Assert.True((await decisions.DecideAsync(Violation(await ClaimAsync(core, (await CaseOfAsync(core, "ar")).Id, Alice)), Alice, default)).Ok);
        await core.Get<AppealService>().SubmitAsync(new NewAppeal(null, "ar", "It is a synthetic news clip."), "platform", default);
        var bobs = await ClaimAsync(core, (await CaseOfAsync(core, "ar", ReviewQueues.Appeals)).Id, Bob);
        var form = new ReviewDecisionRequest(bobs.CaseId, bobs.Token, ReviewVerdict.Uphold, null, null, null, "The clip praises an attack.", "ar-form");

        var results = await Task.WhenAll(decisions.DecideAsync(form, Bob, default), decisions.DecideAsync(form, Bob, default));

        Assert.All(results, r => Assert.True(r.Ok, r.Message));
        Assert.Single(results, r => r.Value!.Replayed);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "appeal.upheld"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Case_detail_shows_content_signals_with_explanations_rules_history_and_claim(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "older", "acct-h", Imminent);
        await RunAsync(core);
        core.Clock.Advance(TimeSpan.FromMinutes(1));
        await UploadAsync(core, "h1", "acct-h", Reviewable, "partner_alert", views: 7, text: "Synthetic caption #demo");
        await RunAsync(core);
        var c = await CaseOfAsync(core, "h1");
        await ClaimAsync(core, c.Id, Alice);
        var d = (await core.Get<ReviewDetailService>().GetAsync(c.Id, default)).Value!;
        Assert.Equal(("video", "Synthetic caption #demo", "acct-h", "partner_alert", 7L), (d.Content!.Kind, d.Content.Text, d.Content.AccountId, d.Content.Source, d.Content.ViewCount));
        var media = Assert.Single(d.Content.Media);
        Assert.Equal(64, media.Sha256!.Length);
        var hash = d.Signals.Single(s => s.Type == "hash.match");
        Assert.Equal(("bank", Reviewable), (hash.HashMatch!.Bank, hash.HashMatch.Labels.Single()));
        Assert.Null(hash.HashMatch.ReferenceThumbnail);
        Assert.Contains("No reference thumbnail", hash.HashMatch.ThumbnailNote);
        Assert.Contains(d.Decision!.Fired, f => f.Rule == "known-content-review" && f.Inputs.Count > 0);
        Assert.False(string.IsNullOrEmpty(d.Decision.Explanation));
        var prior = Assert.Single(d.Account!.PriorDecisions);
        Assert.Equal(("older", "escalate", "VE-THREAT"), (prior.ContentId, prior.Outcome, prior.Policy!));
        Assert.Equal("older", Assert.Single(d.Account.RecentContent).ContentId);
        Assert.Equal(("alice", false), (d.Case.ClaimedBy!, d.Case.Breached));
        Assert.Equal(ReviewError.NotFound, (await core.Get<ReviewDetailService>().GetAsync(999_999, default)).Error);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Wellness_preferences_reveals_exposure_and_the_review_stretch(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, extra: new() { ["Bulwark:Review:GreyscaleMedia"] = "false", ["Bulwark:Review:PauseMinutes"] = "10" });
        var wellness = core.Get<WellnessService>();
        Assert.Equal(new WellnessPreferences(true, false, 90, true, true, true), await wellness.PreferencesAsync("alice", default));
        Assert.Equal(new WellnessPreferences(false, false, 45, false, true, false), (await wellness.SetPreferencesAsync("alice", false, null, 45, default)).Value);
        Assert.Equal(ReviewError.Invalid, (await wellness.SetPreferencesAsync("alice", null, null, 1, default)).Error);

        foreach (var i in Enumerable.Range(1, 3)) await UploadAsync(core, $"w{i}", $"acct-w{i}", Reviewable);
        await RunAsync(core);
        var start = core.Clock.GetUtcNow();
        var c1 = await CaseOfAsync(core, "w1");
        await ClaimAsync(core, c1.Id, Alice);                                          // 0:00
        core.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True((await wellness.RecordRevealAsync("alice", c1.Id, 0, 4500, default)).Ok); // 0:03
        Assert.Equal(ReviewError.Invalid, (await wellness.RecordRevealAsync("alice", c1.Id, 0, -1, default)).Error);
        Assert.Equal(ReviewError.NotFound, (await wellness.RecordRevealAsync("alice", 424242, 0, 1, default)).Error);
        core.Clock.Advance(TimeSpan.FromMinutes(8));
        await core.Get<ReviewDecisionService>().DecideAsync(NoViolation(await ClaimAsync(core, c1.Id, Alice)), Alice, default); // 0:11
        var stretch = await wellness.StretchAsync("alice", default);
        Assert.Equal((TimeSpan.FromMinutes(11), start), (stretch.Length, stretch.StartedAt!.Value));
        Assert.False(stretch.BreakDue);

        core.Clock.Advance(TimeSpan.FromMinutes(15));                                 // a break: 15 ≥ 10 minutes
        Assert.Equal(TimeSpan.Zero, (await wellness.StretchAsync("alice", default)).Length);
        var c2 = await CaseOfAsync(core, "w2");
        await ClaimAsync(core, c2.Id, Alice);                                          // 0:26, a new stretch
        await wellness.RecordRevealAsync("alice", c2.Id, 1, 1500, default);
        for (var i = 0; i < 6; i++)                                                   // activity every 8 minutes: no break
        {
            core.Clock.Advance(TimeSpan.FromMinutes(8));
            await wellness.RecordRevealAsync("alice", c2.Id, 0, 1000, default);
        }
        var long_ = await wellness.StretchAsync("alice", default);
        Assert.Equal(TimeSpan.FromMinutes(48), long_.Length);
        Assert.True(long_.BreakDue); // alice's own reminder: 45 minutes

        var exposure = await wellness.ExposureAsync("alice", null, default);
        Assert.Equal((1, 8, 12.0), (exposure.CasesDecided, exposure.MediaRevealed, exposure.SecondsRevealed));
        Assert.Equal(0, (await wellness.ExposureAsync("bob", null, default)).MediaRevealed);
    }

    [Fact]
    public void A_stretch_ends_at_the_first_gap_of_a_pause_or_more()
    {
        var t = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
        var pause = TimeSpan.FromMinutes(10);
        DateTimeOffset[] activity = [t, t.AddMinutes(5), t.AddMinutes(20), t.AddMinutes(29), t.AddMinutes(38)];
        Assert.Equal((t.AddMinutes(20), t.AddMinutes(38)), WellnessService.Stretch(activity, t.AddMinutes(40), pause));
        Assert.Equal((null, t.AddMinutes(38)), WellnessService.Stretch(activity, t.AddMinutes(48), pause));
        Assert.Equal((null, null), WellnessService.Stretch([], t, pause));
    }
}
