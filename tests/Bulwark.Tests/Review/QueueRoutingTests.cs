using Bulwark.Core.Actions.Review;
using Bulwark.Core.Actions.Review.Routing;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Review;

/// <summary>
/// Queues and routing managed by policy admins (issue 23, item 5), on both providers: a change is previewed, refused with
/// the field named when invalid (nothing stored), stored as a version and audited, and in force at once — for claims,
/// decisions, escalations and new cases — in this process and, after a refresh, in another.
/// </summary>
public class QueueRoutingTests
{
    private static readonly ReviewUser Pia = new("pia", ConsoleRoles.PolicyAdmin);

    private static QueueDefinition Definition(string name, int sla = 45, string[]? roles = null, string[]? actions = null, bool retired = false) =>
        new(name, "Synthetic " + name, sla, roles ?? [ConsoleRoles.Moderator, ConsoleRoles.SeniorModerator], 55, actions, false, retired);

    private static async Task<List<AuditEntryRow>> AuditAsync(CoreServices core, string prefix)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith(prefix)).OrderBy(e => e.Seq).ToListAsync();
    }

    private static async Task<int> VersionsAsync(CoreServices core)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<QueueVersionRow>().CountAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_created_queue_is_previewed_audited_versioned_and_used_at_once_for_escalations_and_their_sla(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "q1", "acct-q1", Reviewable);
        await RunAsync(core);
        var routing = core.Get<QueueRoutingService>();
        var fresh = Definition("synthetic-hate", sla: 45);

        var preview = await routing.PreviewAsync(fresh, create: true, Pia, default);
        Assert.True(preview.Ok, preview.Message);
        Assert.True(preview.Value!.Creates);
        Assert.Contains(new QueueFieldChange("slaMinutes", "—", "45"), preview.Value.Fields);
        Assert.Equal(0, await VersionsAsync(core)); // a preview stores nothing

        Assert.Equal(ReviewError.Forbidden, (await routing.SaveAsync(fresh, true, "new team", Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await routing.SaveAsync(fresh, true, "  ", Pia, default)).Error);
        Assert.True((await routing.SaveAsync(fresh, true, "A team for invented hate-speech cases", Pia, default)).Ok);
        Assert.Equal(ReviewError.Invalid, (await routing.SaveAsync(fresh, true, "again", Pia, default)).Error); // exists now

        // In force without a restart: on the dashboard, and as an escalation target with its own SLA.
        Assert.Contains(await core.Get<ReviewQueueService>().DashboardAsync(Alice, default), r => r.Queue == "synthetic-hate" && r.SlaMinutes == 45);
        var claim = await ClaimAsync(core, (await CaseOfAsync(core, "q1")).Id, Alice);
        var escalated = await core.Get<ReviewDecisionService>().DecideAsync(
            new ReviewDecisionRequest(claim.CaseId, claim.Token, ReviewVerdict.Escalate, null, null, null, "needs the hate team", Guid.NewGuid().ToString("N"), "synthetic-hate"), Alice, default);
        Assert.True(escalated.Ok, escalated.Message);
        var moved = await CaseOfAsync(core, "q1", "synthetic-hate");
        Assert.Equal(TimeSpan.FromMinutes(45), moved.DueAt - moved.CreatedAt);

        var audit = Assert.Single(await AuditAsync(core, "review.queue_"));
        Assert.Equal(("pia", "review.queue_created", "queue:synthetic-hate", "A team for invented hate-speech cases"), (audit.Actor, audit.Action, audit.Subject, audit.Reason));
        Assert.Contains("\"slaMinutes\":45", audit.After);
        var history = Assert.Single(await routing.HistoryAsync(10, default));
        Assert.StartsWith("created: ", history.Change);

        // Another process reads the stored version on its next refresh.
        var elsewhere = new ReviewOptions();
        await new QueueRoutingService(core.Get<IBulwarkDbFactory>(), elsewhere, core.Get<PolicyStore>(), core.Get<AuditLog>(), core.Clock).RefreshAsync(default);
        Assert.Equal(45, elsewhere.Queue("synthetic-hate").SlaMinutes);
        Assert.Equal("Synthetic synthetic-hate", elsewhere.Queue("synthetic-hate").Title);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Invalid_queues_are_refused_with_each_field_named_and_nothing_stored(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var routing = core.Get<QueueRoutingService>();
        var bad = new QueueDefinition("Bad Name!", new string('x', 81), 0, [ConsoleRoles.Auditor], -1, ["content.delete_everything"], false, false);
        var refused = await routing.SaveAsync(bad, true, "trying", Pia, default);
        Assert.Equal(ReviewError.Invalid, refused.Error);
        foreach (var field in new[] { "name: 'Bad Name!'", "displayName", "slaMinutes must be between 1 and 100000 (got 0)", "order", "roles: 'auditor' may not decide cases", "allowedActions: 'content.delete_everything'" })
            Assert.Contains(field, refused.Message);
        Assert.Contains("no queue 'nope'", (await routing.PreviewAsync(Definition("nope"), false, Pia, default)).Message);
        Assert.Contains("at least one of", (await routing.PreviewAsync(Definition("threat", roles: []), false, Pia, default)).Message);
        Assert.Equal(0, await VersionsAsync(core));
        Assert.Empty(await AuditAsync(core, "review.queue_"));
        Assert.Equal(60, core.Get<ReviewOptions>().Queue("threat").SlaMinutes);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_queues_roles_and_allowed_actions_apply_to_claims_and_decisions_at_once(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        foreach (var id in new[] { "a1", "a2" }) await UploadAsync(core, id, "acct-" + id, Reviewable);
        await RunAsync(core);
        var routing = core.Get<QueueRoutingService>();
        var queue = (await CaseOfAsync(core, "a1")).Queue;
        var current = QueueDefinition.From(core.Get<ReviewOptions>().Queue(queue));

        // Only content removal in this queue: a strike is refused, naming the queue and what it allows.
        var limited = current with { AllowedActions = ["content.remove"] };
        var preview = (await routing.PreviewAsync(limited, false, Pia, default)).Value!;
        Assert.Equal([new QueueFieldChange("allowedActions", "*", "content.remove")], preview.Fields);
        Assert.Equal(2, preview.OpenCases);
        Assert.Contains("known-content-review", preview.RoutingRules);
        Assert.True((await routing.SaveAsync(limited, false, "strikes are decided by the senior team", Pia, default)).Ok);
        var claim = await ClaimAsync(core, (await CaseOfAsync(core, "a1")).Id, Alice);
        var refused = await core.Get<ReviewDecisionService>().DecideAsync(Violation(claim, actions: ["content.remove", "account.strike"]), Alice, default);
        Assert.Equal(ReviewError.Invalid, refused.Error);
        Assert.Contains($"action 'account.strike' is not allowed in queue '{queue}' (allowed there: content.remove)", refused.Message);
        Assert.Equal(ReviewError.Invalid, (await core.Get<ReviewDecisionService>().PreviewAsync(Violation(claim, actions: ["account.strike"]), Alice, default)).Error);
        Assert.True((await core.Get<ReviewDecisionService>().DecideAsync(Violation(claim, actions: ["content.remove"]), Alice, default)).Ok);

        // Senior moderators only: a moderator can no longer claim; the preview says how many open cases that touches.
        var senior = limited with { Roles = [ConsoleRoles.SeniorModerator] };
        Assert.Equal(1, (await routing.PreviewAsync(senior, false, Pia, default)).Value!.OpenCasesLosingWorkers);
        Assert.True((await routing.SaveAsync(senior, false, "only seniors for now", Pia, default)).Ok);
        Assert.Equal(ReviewError.Forbidden, (await core.Get<ReviewQueueService>().ClaimAsync((await CaseOfAsync(core, "a2")).Id, Alice, default)).Error);
        Assert.True((await core.Get<ReviewQueueService>().ClaimAsync((await CaseOfAsync(core, "a2")).Id, Sam, default)).Ok);
        Assert.Equal(["review.queue_changed", "review.queue_changed"], (await AuditAsync(core, "review.queue_")).Select(a => a.Action));
        Assert.Equal(2, await VersionsAsync(core));
        Assert.Contains("nothing to save", (await routing.SaveAsync(senior, false, "same again", Pia, default)).Message);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_rule_is_routed_to_another_queue_through_a_new_rule_set_version_and_new_items_land_there(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "before", "acct-b", Reviewable);
        await RunAsync(core);
        var routing = core.Get<QueueRoutingService>();
        Assert.True((await routing.SaveAsync(Definition("synthetic-known"), true, "a queue for hash matches", Pia, default)).Ok);
        var hashBefore = (await core.Get<PolicyStore>().GetActiveInfoAsync(default)).Hash;

        Assert.Contains("there is no queue 'missing'", (await routing.PreviewRouteAsync("known-content-review", 0, "missing", Pia, default)).Message);
        Assert.Contains("no rule 'nope'", (await routing.PreviewRouteAsync("nope", 0, "synthetic-known", Pia, default)).Message);
        Assert.Contains("no number 2", (await routing.PreviewRouteAsync("known-content-review", 1, "synthetic-known", Pia, default)).Message);
        Assert.Contains("appeals", (await routing.PreviewRouteAsync("known-content-review", 0, "appeals", Pia, default)).Message);
        var preview = await routing.PreviewRouteAsync("known-content-review", 0, "synthetic-known", Pia, default);
        Assert.True(preview.Ok, preview.Message);
        Assert.Equal(("known-content", "synthetic-known", 1), (preview.Value!.Before, preview.Value.After, preview.Value.OpenCasesInBefore));
        Assert.Equal(hashBefore, (await core.Get<PolicyStore>().GetActiveInfoAsync(default)).Hash); // nothing activated by a preview
        Assert.Equal(ReviewError.Forbidden, (await routing.SaveRouteAsync("known-content-review", 0, "synthetic-known", "x", Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await routing.SaveRouteAsync("known-content-review", 0, "synthetic-known", null, Pia, default)).Error);
        Assert.True((await routing.SaveRouteAsync("known-content-review", 0, "synthetic-known", "hash matches get their own team", Pia, default)).Ok);

        Assert.Contains(await routing.RoutesAsync(default), r => r.Rule == "known-content-review" && r.Queue == "synthetic-known");
        Assert.NotEqual(hashBefore, (await core.Get<PolicyStore>().GetActiveInfoAsync(default)).Hash);
        await UploadAsync(core, "after", "acct-a", Reviewable);
        await RunAsync(core);
        Assert.Equal("synthetic-known", (await CaseOfAsync(core, "after")).Queue);
        Assert.Equal("known-content", (await CaseOfAsync(core, "before")).Queue); // open cases stay where they are
        var audit = Assert.Single(await AuditAsync(core, "review.route_changed"));
        Assert.Equal(("rule:known-content-review", "known-content", "synthetic-known"), (audit.Subject, audit.Before, audit.After));
        Assert.StartsWith("hash matches get their own team (rule set ", audit.Reason);
        Assert.Single(await AuditAsync(core, "rules.activated"));

        // A queue that rules route to, or that holds open cases, cannot be retired; an unused one can, and is then refused as a target.
        var retire = Definition("synthetic-known", retired: true);
        var refused = await routing.SaveAsync(retire, false, "no longer needed", Pia, default);
        Assert.Contains("rules still route to 'synthetic-known' (known-content-review)", refused.Message);
        Assert.Contains("still has 1 open case(s)", refused.Message);
        Assert.True((await routing.SaveAsync(Definition("synthetic-spare"), true, "spare", Pia, default)).Ok);
        Assert.True((await routing.SaveAsync(Definition("synthetic-spare", retired: true), false, "not needed after all", Pia, default)).Ok);
        Assert.Equal("review.queue_retired", (await AuditAsync(core, "review.queue_")).Last().Action);
        Assert.DoesNotContain(await core.Get<ReviewQueueService>().DashboardAsync(Alice, default), r => r.Queue == "synthetic-spare");
        Assert.Contains("retired", (await routing.PreviewRouteAsync("known-content-review", 0, "synthetic-spare", Pia, default)).Message);
        var claim = await ClaimAsync(core, (await CaseOfAsync(core, "after")).Id, Alice);
        var escalate = await core.Get<ReviewDecisionService>().DecideAsync(
            new ReviewDecisionRequest(claim.CaseId, claim.Token, ReviewVerdict.Escalate, null, null, null, "n", Guid.NewGuid().ToString("N"), "synthetic-spare"), Alice, default);
        Assert.Contains("queue 'synthetic-spare' is retired", escalate.Message);
    }

    [Fact]
    public void Retarget_replaces_only_the_quoted_queue_of_the_action_at_the_position()
    {
        const string text = "rule a enforce {\n  policy P\n  when x\n  then review \"one\" priority high\n  then review \"two\"\n}\n";
        Assert.Equal(text.Replace("\"two\"", "\"three\""), QueueRoutingService.Retarget(text, new SourcePos("f", 5, 8), "three"));
        Assert.Equal(text.Replace("\"one\"", "\"zero\""), QueueRoutingService.Retarget(text, new SourcePos("f", 4, 8), "zero"));
    }
}
