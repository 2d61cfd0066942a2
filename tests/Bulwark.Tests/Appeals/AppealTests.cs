using Bulwark.Core.Actions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Records;
using Bulwark.Core.Records.Preservation;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Appeals.EnforcementScenario;

namespace Bulwark.Tests.Appeals;

/// <summary>Appeals (DSA Art. 20): submission rules, independent human deciders, and reversals that undo what a decision did.</summary>
public class AppealTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_reversed_zero_tolerance_ban_restores_the_content_removes_the_strike_and_reinstates_the_account(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await ActivateZeroToleranceRuleAsync(core);
        await UploadAsync(core, "v-doi", "acct-z", DoiSupport, "synthetic support clip");
        await RunOnceAsync(core);
        var decision = await DecisionOfAsync(core, "v-doi");
        Assert.Equal("VE-DOI", decision.Policy);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(["content.remove", "account.strike", "account.ban"], await db.Set<ActionRow>().OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync());

        var appeals = core.Get<AppealService>();
        core.Clock.Advance(TimeSpan.FromDays(3));
        var submitted = await appeals.SubmitAsync(new NewAppeal(null, "v-doi", "The clip is a news report about the group."), "apikey:platform", default);
        Assert.Equal(AppealError.None, submitted.Error);
        var appeal = submitted.Appeal!;
        Assert.Equal((decision.Id, "acct-z", "VE-DOI", AppealStatus.Open), (appeal.DecisionId, appeal.AccountId, appeal.Policy, appeal.Status));
        Assert.Single(await appeals.ListAsync(AppealStatus.Open, 0, 10, default));

        core.Clock.Advance(TimeSpan.FromDays(1));
        var decided = await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("reversed", "News reporting is an exception under the policy.", null), "reviewer-ana", default);
        Assert.Equal(AppealError.None, decided.Error);
        Assert.Equal((AppealStatus.Decided, AppealOutcome.Reversed, "reviewer-ana"), (decided.Appeal!.Status, decided.Appeal.Outcome, decided.Appeal.DecidedBy));
        Assert.Contains("account acct-z reinstated", decided.Appeal.Effects);

        await using var check = core.Get<IBulwarkDbFactory>().Create();
        var strike = await check.Set<StrikeRow>().SingleAsync();
        Assert.NotNull(strike.RemovedAt);
        Assert.Contains($"appeal {appeal.Id}", strike.RemovedReason);
        Assert.Equal(0, (await core.Get<EnforcementService>().FactsAsync("acct-z", default)).Strikes);
        Assert.NotNull((await check.Decisions.SingleAsync()).ReversedAt);
        var undo = await check.Set<ActionRow>().Where(a => a.IdempotencyKey.StartsWith($"appeal{appeal.Id}:")).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["content.restore", "strike.remove", "account.reinstate"], undo.Select(a => a.Kind));
        Assert.Equal(("content", "v-doi"), (undo[0].TargetType, undo[0].TargetId));
        Assert.All(undo.Skip(1), a => Assert.Equal(("account", "acct-z"), (a.TargetType, a.TargetId)));
        Assert.All(undo, a => Assert.Equal(decision.Id, a.DecisionId));
        Assert.Equal(["appeal.received", "appeal.reversed", "decision.reversed", "strike.removed"],
            await check.AuditEntries.Where(e => e.Action.StartsWith("appeal.") || e.Action == "decision.reversed" || e.Action == "strike.removed").OrderBy(e => e.Seq).Select(e => e.Action).ToListAsync());
        var verification = await core.Get<AuditVerifier>().VerifyAsync(default);
        Assert.Null(verification.Problem);

        var stats = await appeals.StatisticsAsync(core.Clock.GetUtcNow().AddDays(-30), core.Clock.GetUtcNow().AddDays(1), default);
        Assert.Equal((1, 1, 0, 1, 1.0), (stats.Received, stats.Decided, stats.Upheld, stats.Reversed, stats.MedianDaysToDecide));
        Assert.Equal(new PolicyAppealCount("VE-DOI", 1, 0, 1), Assert.Single(stats.ByPolicy));
    }

    [Fact]
    public async Task Reversing_one_of_two_decisions_lifts_only_the_measures_its_strike_was_needed_for()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        // VE-INSTRUCT weighs 3: the first violation suspends (3 ≥ 3), the second bans (6 ≥ 5).
        await UploadAsync(core, "i1", "acct-s", Instruction, "first instruction clip");
        await RunOnceAsync(core);
        core.Clock.Advance(TimeSpan.FromDays(1));
        await UploadAsync(core, "i2", "acct-s", Instruction, "second instruction clip");
        await RunOnceAsync(core);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(["account.suspend", "account.ban"], await db.Set<ActionRow>().Where(a => a.Kind == "account.suspend" || a.Kind == "account.ban").OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync());
        var appeals = core.Get<AppealService>();

        // The second decision's ban goes, but the first decision's suspension still stands on its own strike.
        var second = (await appeals.SubmitAsync(new NewAppeal((await DecisionOfAsync(core, "i2")).Id, null, "Not me."), "platform", default)).Appeal!;
        var r2 = await appeals.DecideAsync(second.Id, new AppealDecisionRequest("reversed", "Mistaken identity.", "reviewer-bo"), null, default);
        // The ban no longer stands, so the platform is told to lift it (the suspension stays): issue 17's "partly reversed ban".
        Assert.Contains("account acct-s: account.ban lifted (account.lift_ban", r2.Appeal!.Effects);
        Assert.Contains("stays restricted: account.suspend", r2.Appeal.Effects);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.False(await db.Set<ActionRow>().AnyAsync(a => a.Kind == "account.reinstate"));
            Assert.Equal(1, await db.Set<ActionRow>().CountAsync(a => a.Kind == "strike.remove"));
            var lift = await db.Set<ActionRow>().SingleAsync(a => a.Kind == "account.lift_ban");
            Assert.Equal(($"appeal{second.Id}:account.lift_ban:acct-s", "acct-s"), (lift.IdempotencyKey, lift.TargetId));
        }
        var state = await core.Get<EnforcementService>().GetAsync("acct-s", default);
        Assert.Equal((false, true, 3.0), (state.Banned, state.Suspended, state.ActiveStrikeWeight));

        // Reversing the first as well leaves nothing standing: the account is reinstated.
        var first = (await appeals.SubmitAsync(new NewAppeal(null, "i1", "Also not me."), "platform", default)).Appeal!;
        var r1 = await appeals.DecideAsync(first.Id, new AppealDecisionRequest("reversed", "Mistaken identity.", "reviewer-bo"), null, default);
        Assert.Contains("account acct-s reinstated", r1.Appeal!.Effects);
        await using var after = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal($"appeal{first.Id}:account.reinstate:acct-s", (await after.Set<ActionRow>().SingleAsync(a => a.Kind == "account.reinstate")).IdempotencyKey);
        Assert.Equal(0, (await core.Get<EnforcementService>().FactsAsync("acct-s", default)).Strikes);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_deciders_at_once_decide_an_appeal_once(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await UploadAsync(core, "i1", "acct-c", Instruction, "contested clip");
        await RunOnceAsync(core);
        var appeals = core.Get<AppealService>();
        var appeal = (await appeals.SubmitAsync(new NewAppeal(null, "i1", "why"), "platform", default)).Appeal!;

        var results = await Task.WhenAll(
            appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("reversed", "Restore it.", "reviewer-one"), null, default),
            appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("upheld", "Keep it down.", "reviewer-two"), null, default));
        Assert.Single(results, r => r.Error == AppealError.None);
        Assert.Single(results, r => r.Error == AppealError.AlreadyDecided);
        var winner = results.Single(r => r.Error == AppealError.None).Appeal!;
        var stored = (await appeals.GetAsync(appeal.Id, default))!;
        Assert.Equal((winner.Outcome, winner.DecidedBy), (stored.Outcome, stored.DecidedBy));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "appeal.upheld" || e.Action == "appeal.reversed"));
        Assert.Equal(winner.Outcome == "reversed", await db.Set<ActionRow>().AnyAsync(a => a.Kind == "content.restore"));
    }

    [Fact]
    public async Task Appeals_are_refused_for_unknown_or_unrestrictive_decisions_duplicates_and_after_the_deadline()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:Appeals:DeadlineMonths"] = "6" });
        var appeals = core.Get<AppealService>();
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "hello" }, null, default);
        await UploadAsync(core, "i1", "acct-d", Instruction, "instruction clip");
        await UploadAsync(core, "i2", "acct-e", Instruction, "another instruction clip");
        await RunOnceAsync(core);

        var invalid = await appeals.SubmitAsync(new NewAppeal(5, "i1", " "), "platform", default);
        Assert.Equal(["decisionId", "reason"], invalid.Errors.Select(e => e.Field));
        Assert.Equal(AppealError.UnknownDecision, (await appeals.SubmitAsync(new NewAppeal(9999, null, "why"), "platform", default)).Error);
        Assert.Equal(AppealError.UnknownDecision, (await appeals.SubmitAsync(new NewAppeal(null, "nope", "why"), "platform", default)).Error);
        var nothing = await appeals.SubmitAsync(new NewAppeal((await DecisionOfAsync(core, "t1")).Id, null, "why"), "platform", default);
        Assert.Equal(AppealError.NothingRestricted, nothing.Error);
        Assert.Contains("restricted nothing", nothing.Message);

        var removal = await DecisionOfAsync(core, "i1");
        Assert.Equal(AppealError.None, (await appeals.SubmitAsync(new NewAppeal(removal.Id, null, "why"), "platform", default)).Error);
        var duplicate = await appeals.SubmitAsync(new NewAppeal(null, "i1", "again"), "platform", default);
        Assert.Equal(AppealError.Duplicate, duplicate.Error);
        Assert.Contains("already open", duplicate.Message);

        var other = await DecisionOfAsync(core, "i2");
        core.Clock.Advance(TimeSpan.FromDays(180)); // 14 July: still inside six months (15 January → 15 July)
        Assert.True(core.Clock.GetUtcNow() < other.DecidedAt.AddMonths(6));
        core.Clock.Advance(TimeSpan.FromDays(2));
        var late = await appeals.SubmitAsync(new NewAppeal(other.Id, null, "why"), "platform", default);
        Assert.Equal(AppealError.DeadlinePassed, late.Error);
        Assert.Contains(other.DecidedAt.AddMonths(6).ToString("yyyy-MM-dd"), late.Message);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await db.Set<AppealRow>().CountAsync());
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "appeal.received"));
    }

    [Fact]
    public async Task Only_a_named_person_other_than_the_original_reviewer_decides_and_only_once()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite);
        await UploadAsync(core, "i1", "acct-r", Instruction, "instruction clip");
        await RunOnceAsync(core);
        var decision = await DecisionOfAsync(core, "i1");
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            // As the review console will record it: a person confirmed this decision.
            await db.Decisions.Where(d => d.Id == decision.Id).ExecuteUpdateAsync(u => u.SetProperty(d => d.Automated, false).SetProperty(d => d.ReviewedBy, "moderator-cy"));
        }
        var appeals = core.Get<AppealService>();
        var appeal = (await appeals.SubmitAsync(new NewAppeal(decision.Id, null, "why"), "platform", default)).Appeal!;
        Assert.False(appeal.DecisionAutomated);

        var bad = await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("maybe", "", null), null, default);
        Assert.Equal(["outcome", "statement", "decidedBy"], bad.Errors.Select(e => e.Field));
        var machine = await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("upheld", "ok", "pipeline"), null, default);
        Assert.Contains("never decided automatically", Assert.Single(machine.Errors).Message);
        var same = await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("reversed", "ok", null), "Moderator-Cy", default);
        Assert.Equal(AppealError.DeciderConflict, same.Error);
        // The authenticated caller is the decider: naming someone else does not make the original reviewer independent.
        var renamed = await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("reversed", "ok", "reviewer-dee"), "moderator-cy", default);
        Assert.Equal("decidedBy", Assert.Single(renamed.Errors).Field);
        Assert.Equal(AppealError.NotFound, (await appeals.DecideAsync(999, new AppealDecisionRequest("upheld", "ok", "x"), null, default)).Error);

        core.Clock.Advance(TimeSpan.FromDays(10));
        var upheld = await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("upheld", "The material is instructional.", null), "reviewer-dee", default);
        Assert.Equal((AppealOutcome.Upheld, "reviewer-dee", null), (upheld.Appeal!.Outcome, upheld.Appeal.DecidedBy, upheld.Appeal.Effects));
        Assert.Equal(AppealError.AlreadyDecided, (await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest("reversed", "ok", "reviewer-eve"), null, default)).Error);
        Assert.Equal(AppealError.AlreadyDecided, (await appeals.SubmitAsync(new NewAppeal(decision.Id, null, "again"), "platform", default)).Error);

        await using var check = core.Get<IBulwarkDbFactory>().Create();
        Assert.Null((await check.Decisions.SingleAsync()).ReversedAt);
        Assert.False(await check.Set<ActionRow>().AnyAsync(a => a.IdempotencyKey.StartsWith("appeal")));
        Assert.Null((await check.Set<StrikeRow>().SingleAsync()).RemovedAt);
        // An upheld removal is preserved for the full period from the appeal's outcome.
        var item = await check.Set<PreservedItemRow>().SingleAsync();
        Assert.Equal(core.Clock.GetUtcNow().AddMonths(6), item.ExpiresAt);
    }
}
