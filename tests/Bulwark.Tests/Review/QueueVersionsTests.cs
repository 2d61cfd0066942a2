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
/// Queue versions (issue 23, item 5) on both providers: a stored version is restored after a preview (queues defined since
/// are kept, each restored queue audited), refused when the queues changed after the preview; a routing change never
/// overwrites a rule activation made meanwhile by another process; two processes saving queues at once lose no change.
/// </summary>
public class QueueVersionsTests
{
    private static readonly ReviewUser Pia = new("pia", ConsoleRoles.PolicyAdmin);

    private static QueueDefinition Definition(string name, int sla = 45, bool retired = false) =>
        new(name, "Synthetic " + name, sla, [ConsoleRoles.Moderator, ConsoleRoles.SeniorModerator], 55, null, false, retired);

    private static async Task<List<QueueVersionRow>> VersionsAsync(CoreServices core)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<QueueVersionRow>().AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_previous_version_is_previewed_restored_audited_and_in_force_keeping_later_queues(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var routing = core.Get<QueueRoutingService>();
        Assert.True((await routing.SaveAsync(Definition("synthetic-a", sla: 45), true, "team a", Pia, default)).Ok);
        var first = (await VersionsAsync(core)).Last().Id;
        Assert.True((await routing.SaveAsync(Definition("synthetic-a", sla: 30) with { DisplayName = "Renamed" }, false, "faster", Pia, default)).Ok);
        Assert.True((await routing.SaveAsync(Definition("synthetic-b", sla: 90), true, "team b", Pia, default)).Ok);
        var versions = await VersionsAsync(core);
        Assert.Equal(3, versions.Count);

        var preview = await routing.PreviewRestoreAsync(first, Pia, default);
        Assert.True(preview.Ok, preview.Message);
        var change = Assert.Single(preview.Value!.Changes);
        Assert.Equal("synthetic-a", change.Queue);
        Assert.Contains(new QueueFieldChange("slaMinutes", "30", "45"), change.Fields);
        Assert.Contains(new QueueFieldChange("displayName", "Renamed", "Synthetic synthetic-a"), change.Fields);
        Assert.Equal(["synthetic-b"], preview.Value.Kept);
        Assert.Equal(versions[^1].Id, preview.Value.BasedOn);
        Assert.Equal(3, (await VersionsAsync(core)).Count); // a preview stores nothing
        Assert.Equal(30, core.Get<ReviewOptions>().Queue("synthetic-a").SlaMinutes);

        // Refusals: roles, reason, unknown version, the version in force, a stale preview.
        Assert.Equal(ReviewError.Forbidden, (await routing.RestoreAsync(first, preview.Value.BasedOn, "back", Alice, default)).Error);
        Assert.Equal(ReviewError.Forbidden, (await routing.PreviewRestoreAsync(first, Alice, default)).Error);
        Assert.Equal(ReviewError.Invalid, (await routing.RestoreAsync(first, preview.Value.BasedOn, " ", Pia, default)).Error);
        Assert.Equal(ReviewError.NotFound, (await routing.PreviewRestoreAsync(9999, Pia, default)).Error);
        Assert.Contains("is the version in force", (await routing.PreviewRestoreAsync(versions[^1].Id, Pia, default)).Message);
        var stale = await routing.RestoreAsync(first, versions[^2].Id, "back to 45 minutes", Pia, default);
        Assert.Equal(ReviewError.Stale, stale.Error);
        Assert.Equal(3, (await VersionsAsync(core)).Count);

        var restored = await routing.RestoreAsync(first, preview.Value.BasedOn, "back to 45 minutes", Pia, default);
        Assert.True(restored.Ok, restored.Message);
        var options = core.Get<ReviewOptions>();
        Assert.Equal((45, "Synthetic synthetic-a"), (options.Queue("synthetic-a").SlaMinutes, options.Queue("synthetic-a").Title));
        Assert.Equal(90, options.Queue("synthetic-b").SlaMinutes); // defined after that version: kept
        var stored = (await VersionsAsync(core)).Last();
        Assert.StartsWith($"restored version {first}: synthetic-a ", stored.Change);
        Assert.Equal(("synthetic-a", "back to 45 minutes", "pia"), (stored.Queue, stored.Reason, stored.CreatedBy));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var audit = Assert.Single(await db.AuditEntries.AsNoTracking().Where(e => e.Action == "review.queue_restored").ToListAsync());
            Assert.Equal(("pia", "queue:synthetic-a", $"back to 45 minutes (version {first})"), (audit.Actor, audit.Subject, audit.Reason));
            Assert.Contains("\"slaMinutes\":30", audit.Before);
            Assert.Contains("\"slaMinutes\":45", audit.After);
        }
        Assert.Contains("nothing to restore", (await routing.PreviewRestoreAsync(first, Pia, default)).Message);

        // Another process reads the restored version on its next refresh.
        var elsewhere = new ReviewOptions();
        await new QueueRoutingService(core.Get<IBulwarkDbFactory>(), elsewhere, core.Get<PolicyStore>(), core.Get<AuditLog>(), core.Clock).RefreshAsync(default);
        Assert.Equal(45, elsewhere.Queue("synthetic-a").SlaMinutes);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Restoring_a_version_that_would_retire_a_queue_still_routed_to_is_refused_by_name(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var routing = core.Get<QueueRoutingService>();
        Assert.True((await routing.SaveAsync(Definition("synthetic-r"), true, "created", Pia, default)).Ok);
        Assert.True((await routing.SaveAsync(Definition("synthetic-r", retired: true), false, "not needed", Pia, default)).Ok);
        var retiredVersion = (await VersionsAsync(core)).Last().Id;
        Assert.True((await routing.SaveAsync(Definition("synthetic-r"), false, "needed again", Pia, default)).Ok);
        Assert.True((await routing.SaveRouteAsync("known-content-review", 0, "synthetic-r", "hash matches go there", Pia, default)).Ok);

        var refused = await routing.PreviewRestoreAsync(retiredVersion, Pia, default);
        Assert.Equal(ReviewError.Invalid, refused.Error);
        Assert.Contains($"version {retiredVersion} cannot be restored: synthetic-r: retired: rules still route to 'synthetic-r' (known-content-review)", refused.Message);
        Assert.False(core.Get<ReviewOptions>().Queue("synthetic-r").Retired);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_routing_change_never_overwrites_a_rule_activation_made_meanwhile_by_another_process(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var routing = core.Get<QueueRoutingService>();
        var store = core.Get<PolicyStore>();
        Assert.True((await routing.SaveAsync(Definition("synthetic-k"), true, "a queue for hash matches", Pia, default)).Ok);
        var preview = await routing.PreviewRouteAsync("known-content-review", 0, "synthetic-k", Pia, default);
        Assert.True(preview.Ok, preview.Message);
        var ours = await store.GetActiveRulesAsync(default); // this process's rules, cached (the fake clock does not move)

        // Another process activates an edited rule set (a new rule added) after this process read the rules.
        var other = new PolicyStore(core.Get<IBulwarkDbFactory>(), core.Get<AuditLog>(), core.Clock);
        var added = new RuleFile("synthetic-extra.rules", "rule synthetic-extra shadow {\n  policy VE-GLORIFY\n  when any hash.match\n  then review \"known-content\"\n}\n");
        var theirs = await other.ActivateAsync([.. ours.Files, added], "someone-else", default);
        Assert.True(theirs.Applied, string.Join("; ", theirs.Errors));

        // With the stale files this process would drop the other's rule; it is refused instead, and the other's set stays.
        var saved = await routing.SaveRouteAsync("known-content-review", 0, "synthetic-k", "hash matches get their own team", Pia, default);
        Assert.Equal(ReviewError.Stale, saved.Error);
        Assert.Contains("the rule set in force changed", saved.Message);
        Assert.Equal(theirs.After, (await other.GetActiveInfoAsync(default)).Hash);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.Equal(theirs.After, await db.Set<RuleSetRow>().OrderByDescending(r => r.Id).Select(r => r.Hash).FirstAsync());
            Assert.Empty(await db.AuditEntries.Where(e => e.Action == "review.route_changed").ToListAsync());
        }

        // The preview was made on the old rule set: confirming it is refused too, even once this process has the new rules.
        core.Clock.Advance(PolicyStore.RefreshInterval);
        var confirmed = await routing.SaveRouteAsync("known-content-review", 0, "synthetic-k", "hash matches get their own team", Pia, default, preview.Value!.RuleSet);
        Assert.Equal(ReviewError.Stale, confirmed.Error);
        Assert.Contains("changed after the preview", confirmed.Message);

        // Looked at again, the change goes through and keeps the other's rule.
        var again = await routing.PreviewRouteAsync("known-content-review", 0, "synthetic-k", Pia, default);
        Assert.True((await routing.SaveRouteAsync("known-content-review", 0, "synthetic-k", "hash matches get their own team", Pia, default, again.Value!.RuleSet)).Ok);
        var routes = await routing.RoutesAsync(default);
        Assert.Contains(routes, r => r.Rule == "known-content-review" && r.Queue == "synthetic-k");
        Assert.Contains(routes, r => r.Rule == "synthetic-extra");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_processes_saving_queues_at_once_lose_no_change(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var dbs = core.Get<IBulwarkDbFactory>();
        var processes = new[]
        {
            core.Get<QueueRoutingService>(),
            new QueueRoutingService(dbs, new ReviewOptions(), core.Get<PolicyStore>(), core.Get<AuditLog>(), core.Clock),
        };
        // Each process creates its queues, retrying as a user would when told the queues changed meanwhile.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var routing = processes[i % 2];
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var r = await routing.SaveAsync(Definition($"synthetic-p{i}"), true, "parallel", Pia, default);
                if (r.Error != ReviewError.Stale) return (i, Ok: r.Ok, Message: r.Message ?? "");
            }
            return (i, Ok: false, Message: "gave up");
        })));
        Assert.All(results, r => Assert.True(r.Ok, $"p{r.i}: {r.Message}"));
        var newest = (await VersionsAsync(core)).Last();
        var defined = System.Text.Json.JsonSerializer.Deserialize<List<QueueDefinition>>(newest.Json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"synthetic-p{i}").Order(StringComparer.Ordinal), defined.Select(q => q.Name).Order(StringComparer.Ordinal));
        Assert.Equal(8, (await VersionsAsync(core)).Count);
    }
}
