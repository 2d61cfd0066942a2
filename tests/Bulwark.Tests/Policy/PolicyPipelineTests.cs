using Bulwark.Core.Actions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Policy;

/// <summary>The rules in the pipeline: actions and strikes commit with the decision, once; strike expiry; findings; activation; backtests.</summary>
public class PolicyPipelineTests
{
    private const string Instruction = "radicalisation-recruitment-or-instruction";

    private static async Task<BatchOutcome> RunOnce(CoreServices core, string worker = "test")
    {
        var queue = core.Get<IWorkQueue>();
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(await queue.ClaimAsync(worker, 100, default), default);
        await queue.CompleteAsync(outcome.Completed, default);
        await queue.FailAsync(outcome.Failed, default);
        return outcome;
    }

    /// <summary>Uploads a generated file whose MD5 is in a bank with <paramref name="label"/>, from <paramref name="account"/>.</summary>
    private static async Task Upload(CoreServices core, string id, string account, string label, string content)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        var stored = await core.Get<IMediaStore>().PutAsync(new MemoryStream(bytes), 1000, default);
        var banks = core.Get<BankService>();
        if ((await banks.ListAsync(default)).All(b => b.Name != "bank")) await banks.CreateAsync("bank", null, "tester", default);
        await banks.AddExactAsync("bank", "md5", stored.Md5!, [label], "tester", default);
        var uploads = new Dictionary<string, StoredMedia> { ["f.bin"] = new("f.bin", stored.Sha256!, stored.Size, "video/mp4") };
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "video", Account = new AccountRef { Id = account }, Media = [new MediaRef { Part = "f.bin" }],
        }, uploads, default);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_removal_and_strike_reach_the_outbox_with_the_decision_and_a_redelivery_strikes_no_second_time(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, new() { ["Bulwark:Pipeline:LeaseSeconds"] = "10" });
        await Upload(core, "v1", "acct-1", Instruction, "synthetic instruction clip");
        var queue = core.Get<IWorkQueue>();
        var batch = await queue.ClaimAsync("first", 10, default);
        Assert.Single((await core.Get<PipelineProcessor>().ProcessAsync(batch, default)).Completed);
        // The worker dies before acknowledging; another worker gets the item again after the lease.
        core.Clock.Advance(TimeSpan.FromSeconds(11));
        var again = await queue.ClaimAsync("second", 10, default);
        Assert.Single((await core.Get<PipelineProcessor>().ProcessAsync(again, default)).Completed);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var decision = await db.Decisions.SingleAsync();
        Assert.Equal((Outcomes.Remove, "VE-INSTRUCT"), (decision.Outcome, decision.Policy));
        Assert.Contains("instruct-known-material", decision.FiredJson);
        Assert.Contains($"labelled {Instruction}", decision.FiredJson);
        var actions = await db.Set<ActionRow>().OrderBy(a => a.Id).ToListAsync();
        // VE-INSTRUCT weighs 3: the first strike reaches the default suspension threshold.
        Assert.Equal(["content.remove", "account.strike", "account.suspend"], actions.Select(a => a.Kind));
        Assert.All(actions, a => Assert.Equal(decision.Id, a.DecisionId));
        var versionId = decision.ContentVersionId;
        Assert.Equal([$"cv{versionId}:content.remove", $"cv{versionId}:account.strike:VE-INSTRUCT", $"cv{versionId}:account.suspend"], actions.Select(a => a.IdempotencyKey));
        var strike = await db.Set<StrikeRow>().SingleAsync();
        Assert.Equal(("acct-1", "VE-INSTRUCT", 3.0), (strike.AccountId, strike.Policy, strike.Weight));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_violations_by_one_account_in_one_batch_each_see_the_other_and_cross_each_threshold_once(DatabaseProvider provider)
    {
        // VE-INSTRUCT weighs 3; thresholds 3 (suspend) and 5 (ban). Decided side by side, both read weight 0 and would each
        // have suspended; settled at commit, the first suspends (0 → 3) and the second bans (3 → 6).
        await using var core = await CoreServices.CreateAsync(provider);
        await Upload(core, "b1", "acct-9", Instruction, "first synthetic instruction clip");
        await Upload(core, "b2", "acct-9", Instruction, "second synthetic instruction clip");
        Assert.Equal(2, (await RunOnce(core)).Completed.Count);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var measures = await db.Set<ActionRow>().Where(a => a.TargetType == "account" && a.Kind != "account.strike").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["account.suspend", "account.ban"], measures.Select(a => a.Kind));
        var decisions = await db.Decisions.ToDictionaryAsync(d => d.Id);
        var banning = decisions[measures[1].DecisionId!.Value];
        var suspending = decisions[measures[0].DecisionId!.Value];
        Assert.NotEqual(banning.Id, suspending.Id);
        // The stored decision tells what was done: the settled measure, not the projection, and why.
        Assert.Contains("account.ban", banning.ActionsJson);
        Assert.DoesNotContain("account.suspend", banning.ActionsJson);
        Assert.Contains("settled at commit", banning.Explanation);
        Assert.Contains("account.suspend", suspending.ActionsJson);
        Assert.Equal(6, (await core.Get<EnforcementService>().FactsAsync("acct-9", default)).Strikes);
    }

    [Fact]
    public async Task On_PostgreSQL_a_writer_counting_strikes_waits_for_another_writer_striking_the_same_account()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Postgres);
        var dbs = core.Get<IBulwarkDbFactory>();
        var now = core.Clock.GetUtcNow();
        await using var first = dbs.Create();
        await using var firstTx = await dbs.BeginWriteAsync(first, default);
        Assert.Empty(await StrikeThresholds.LockActiveWeightsAsync(first, ["acct-c"], now, default));
        first.Set<StrikeRow>().Add(new StrikeRow { AccountId = "acct-c", Policy = "VE-THREAT", Weight = 3, CauseKey = "test:first", CreatedAt = now, ExpiresAt = now.AddDays(90) });
        await first.SaveChangesAsync();

        var second = Task.Run(async () =>
        {
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, default);
            var weights = await StrikeThresholds.LockActiveWeightsAsync(db, ["acct-c", "acct-other"], now, default);
            await tx.CommitAsync(default);
            return weights.GetValueOrDefault("acct-c");
        });
        // Without the lock the second writer would read 0 now, before the first commits.
        await Task.Delay(300);
        Assert.False(second.IsCompleted, "the second writer counted while the first still held the account's strike lock");
        await firstTx.CommitAsync(default);
        Assert.Equal(3, await second);
    }

    [Fact]
    public void Threshold_measures_are_imposed_on_crossing_only_and_a_ban_wins_over_a_suspension()
    {
        var options = new EnforcementOptions { SuspendAtStrikes = 3, BanAtStrikes = 5, SuspensionDays = 7 };
        DecisionAction Strike(double w) => new("account.strike", "account", "a", "VE-THREAT", new Dictionary<string, string> { ["weight"] = w.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        string[] Kinds(IReadOnlyList<DecisionAction> xs) => xs.Select(x => x.Kind).ToArray();

        Assert.Equal(["account.strike", "account.suspend"], Kinds(StrikeThresholds.Settle([Strike(1)], "a", 2, options, out var after)));
        Assert.Equal(3, after);
        Assert.Equal(["account.strike"], Kinds(StrikeThresholds.Settle([Strike(1)], "a", 3, options, out _)));      // 3 → 4: already over
        Assert.Equal(["account.strike", "account.ban"], Kinds(StrikeThresholds.Settle([Strike(4)], "a", 2, options, out _))); // crosses both
        Assert.Equal(["account.strike"], Kinds(StrikeThresholds.Settle([Strike(1)], "a", 5, options, out _)));      // banned already
        // A projected measure that the settled weight no longer justifies is dropped; a rule's own ban is kept and not doubled.
        var projected = StrikeThresholds.Settle([Strike(3)], "a", 0, options, out _);
        Assert.Equal(["account.strike"], Kinds(StrikeThresholds.Settle(projected, "a", 6, options, out _)));
        var ruleBan = new DecisionAction("account.ban", "account", "a", "VE-DOI", new Dictionary<string, string> { ["permanent"] = "true" });
        Assert.Equal(["account.strike", "account.ban"], Kinds(StrikeThresholds.Settle([Strike(9), ruleBan], "a", 0, options, out _)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Strikes_expire_after_the_window_and_no_longer_count_towards_a_ban(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, new() { ["Bulwark:Enforcement:StrikeWindowDays"] = "30", ["Bulwark:Enforcement:BanAtStrikes"] = "6" });
        var enforcement = core.Get<EnforcementService>();
        await Upload(core, "v1", "acct-2", Instruction, "first synthetic clip");
        await RunOnce(core);
        Assert.Equal(3, (await enforcement.FactsAsync("acct-2", default)).Strikes);

        core.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(3, (await enforcement.FactsAsync("acct-2", default)).StrikesFor("VE-INSTRUCT"));
        core.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, (await enforcement.FactsAsync("acct-2", default)).Strikes);

        // A second violation after expiry suspends again (3 ≥ 3) but does not ban (3 < 6); within the window it would have.
        await Upload(core, "v2", "acct-2", Instruction, "second synthetic clip");
        await RunOnce(core);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var kinds = await db.Set<ActionRow>().Where(a => a.TargetType == "account").Select(a => a.Kind).ToListAsync();
        Assert.DoesNotContain("account.ban", kinds);
        var state = await enforcement.GetAsync("acct-2", default);
        Assert.Equal((2, 3.0), (state.Strikes.Count, state.ActiveStrikeWeight));
        Assert.False(state.Strikes[0].Active);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_off_platform_finding_is_stored_audited_and_sends_the_account_to_review(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var enforcement = core.Get<EnforcementService>();
        var (bad, errors) = await enforcement.AddFindingAsync("acct-3", new NewFinding(" ", null, "ftp://x", null), "investigator", default);
        Assert.Null(bad);
        Assert.Equal(["source", "description", "evidenceUrl"], errors.Select(e => e.Field));

        var (finding, none) = await enforcement.AddFindingAsync("acct-3",
            new NewFinding("partner-report", "Posts recruitment material for Synthetic Front elsewhere", "https://example.org/evidence/1", "entity-17"), "investigator", default);
        Assert.Empty(none);
        Assert.Equal("entity-17", finding!.LinkedEntity);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "hello", Account = new AccountRef { Id = "acct-3" } }, null, default);
        await RunOnce(core);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var d = await db.Decisions.SingleAsync();
        Assert.Equal((Outcomes.Review, "account-ban", "VE-DOI"), (d.Outcome, d.Queue, d.Policy));
        Assert.False(await db.Set<ActionRow>().AnyAsync(a => a.Kind == "account.ban"));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "account.offplatform_finding_added"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_rule_set_that_fails_to_compile_never_replaces_the_active_one_and_activation_is_audited(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var store = core.Get<PolicyStore>();
        var shipped = await store.GetActiveRulesAsync(default);
        var broken = await store.ActivateAsync([new RuleFile("x.rules", "rule a {\n  policy VE-NOPE\n  when any hash.match\n  then remove\n}\n")], "policy-admin", default);
        Assert.False(broken.Applied);
        Assert.StartsWith("x.rules:2:10: unknown policy 'VE-NOPE'", Assert.Single(broken.Errors));
        Assert.Equal(shipped.Hash, (await store.GetActiveRulesAsync(default)).Hash);

        var files = new[] { new RuleFile("only.rules", "rule everything-to-review {\n  policy VE-THREAT\n  when content.kind = \"text\"\n  then review \"all-text\"\n}\n") };
        var ok = await store.ActivateAsync(files, "policy-admin", default);
        Assert.True(ok.Applied);
        Assert.Equal((shipped.Hash, RuleSet.ComputeHash(files)), (ok.Before, ok.After));
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "hello" }, null, default);
        await RunOnce(core);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal("all-text", (await db.Decisions.SingleAsync()).Queue);
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == "rules.activated");
        Assert.Equal(("policy-admin", shipped.Hash, ok.After), (audit.Actor, audit.Before, audit.After));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_backtest_counts_the_outcomes_a_candidate_would_change_by_policy_and_action(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await Upload(core, "old", "acct-4", "perpetrator-produced-or-crisis-incident", "clip before the window");
        await RunOnce(core);
        core.Clock.Advance(TimeSpan.FromDays(2));
        var since = core.Clock.GetUtcNow();
        await Upload(core, "k1", "acct-4", "perpetrator-produced-or-crisis-incident", "known clip one");
        await Upload(core, "k2", "acct-5", "perpetrator-produced-or-crisis-incident", "known clip two");
        await Upload(core, "i1", "acct-6", Instruction, "instruction clip");
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "t1", Kind = "text", Text = "hello" }, null, default);
        await RunOnce(core);

        // Candidate: the catch-all review rule only observes (shadow).
        var files = Bulwark.Core.Policy.Catalogue.ShippedPolicy.Rules()
            .Select(r => new RuleFile(r.Name, r.Name == "known-content.rules" ? r.Text.Replace("rule known-content-review enforce", "rule known-content-review shadow") : r.Text)).ToList();
        var (candidate, errors) = await core.Get<PolicyStore>().CompileAsync(files, default);
        Assert.Empty(errors);
        var report = await core.Get<Backtester>().RunAsync(candidate!, since, default);

        Assert.Equal((4, 2), (report.Evaluated, report.Changed)); // k1 and k2; i1 is removed either way; t1 has nothing
        Assert.Equal(
        [
            new BacktestDelta("-", "outcome:no_action", 2, 0),
            new BacktestDelta("VE-GLORIFY", "outcome:review (known-content)", 0, 2),
        ], report.Deltas);
        var same = await core.Get<Backtester>().RunAsync(await core.Get<PolicyStore>().GetActiveRulesAsync(default), since, default);
        Assert.Equal((4, 0), (same.Evaluated, same.Changed));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_confirmed_doi_support_bans_permanently_once_while_other_confirmed_violations_strike(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await core.Get<EnforcementService>().AddFindingAsync("acct-7", new NewFinding("partner", "Recruits for Synthetic Front", null, "entity-1"), "investigator", default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "p1", Kind = "text", Text = "hello", Account = new AccountRef { Id = "acct-7" } }, null, default);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "p2", Kind = "text", Text = "hello again", Account = new AccountRef { Id = "acct-7" } }, null, default);
        await Upload(core, "k1", "acct-8", "perpetrator-produced-or-crisis-incident", "known clip");
        await RunOnce(core);
        long Id(string content) { using var db = core.Get<IBulwarkDbFactory>().Create(); return db.Decisions.Single(d => d.ContentId == content).Id; }

        var ban = await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, Id("p1"), "support", "verified by a second analyst", "reviewer-1");
        Assert.True(ban.Applied, ban.Error);
        Assert.Equal(["content.remove", "account.ban"], ban.Actions.Select(a => a.Kind));
        Assert.Equal("true", ban.Actions[1].Details!["permanent"]);
        var again = await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, Id("p1"), "support", null, "reviewer-2");
        Assert.Equal($"Decision {Id("p1")} is already confirmed.", again.Error);

        // Praise is not one of VE-DOI's zero-tolerance kinds: it strikes (weight 2).
        var praise = await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, Id("p2"), "praise", null, "reviewer-1");
        Assert.Equal(["content.remove", "account.strike"], praise.Actions.Select(a => a.Kind));
        // VE-GLORIFY (the known-content review) is not zero tolerance: content removed, account struck with weight 1.
        var glorify = await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, Id("k1"), null, null, "reviewer-1");
        Assert.Equal(["content.remove", "account.strike"], glorify.Actions.Select(a => a.Kind));
        Assert.Equal((2.0, 1.0), ((await core.Get<EnforcementService>().FactsAsync("acct-7", default)).Strikes, (await core.Get<EnforcementService>().FactsAsync("acct-8", default)).Strikes));
        Assert.True((await Bulwark.Tests.Restrictions.Confirm.AsPersonAsync(core, 999_999, null, null, "reviewer-1", [])).NotFound);

        await using var check = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(1, await check.Set<ActionRow>().CountAsync(a => a.Kind == "account.ban"));
        Assert.Equal(3, await check.AuditEntries.CountAsync(e => e.Action == "decision.confirmed"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Real_classifier_and_time_place_signals_escalate_a_specific_threat_and_review_a_vague_one(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var ingest = core.Get<IngestService>();
        await ingest.AcceptOneAsync(new ContentEvent { Id = "en", Kind = "text", Language = "en", Text = "I will shoot everyone at the school tomorrow" }, null, default);
        await ingest.AcceptOneAsync(new ContentEvent { Id = "it", Kind = "text", Language = "it", Text = "domani vi ammazzo tutti davanti alla stazione" }, null, default);
        await ingest.AcceptOneAsync(new ContentEvent { Id = "vague", Kind = "text", Language = "en", Text = "we will kill you all" }, null, default);
        await ingest.AcceptOneAsync(new ContentEvent { Id = "calm", Kind = "text", Language = "en", Text = "lovely walk to the market this morning" }, null, default);
        await RunOnce(core);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var d = await db.Decisions.ToDictionaryAsync(x => x.ContentId);
        Assert.Equal((Outcomes.Escalate, "threat-to-life", "high", "VE-THREAT"), (d["en"].Outcome, d["en"].Queue, d["en"].Priority, d["en"].Policy));
        Assert.Contains("text.time_place: text names a place: \\\"at the school\\\"", d["en"].FiredJson);
        Assert.Equal((Outcomes.Escalate, "threat-to-life"), (d["it"].Outcome, d["it"].Queue));
        Assert.Contains("davanti alla stazione", d["it"].FiredJson);
        Assert.Equal((Outcomes.Review, "threat"), (d["vague"].Outcome, d["vague"].Queue));
        Assert.Equal(Outcomes.NoAction, d["calm"].Outcome);
        Assert.Contains(await db.Signals.Where(x => x.Type == TimePlaceExtractor.SignalType).Select(x => x.Value).ToListAsync(), v => v == "this morning");
    }
}
