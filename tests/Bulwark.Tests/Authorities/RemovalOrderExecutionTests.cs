using Bulwark.Core;
using Bulwark.Core.Actions;
using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Records;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Authorities.RemovalOrderTests;

namespace Bulwark.Tests.Authorities;

/// <summary>
/// Executing removal orders from more than one process on one database (claims), and reinstating only what an order did.
/// </summary>
public class RemovalOrderExecutionTests
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Two_executors_on_one_database_racing_over_the_same_orders_execute_every_item_exactly_once(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        // A second process on the same database: its own services, its own in-process lock, the same clock.
        await using var other = SecondProcess(core);
        var a = core.Get<RemovalOrderService>();
        var b = other.GetRequiredService<RemovalOrderService>();
        Assert.NotEqual(a.Executor, b.Executor);

        // Orders for content not yet known: stored unmatched, executed by whoever gets there first once it arrives.
        const int n = 12;
        var ids = new List<long>();
        for (var i = 0; i < n; i++)
            ids.Add((await a.ReceiveAsync(Order($"IT-RACE-{i}", [$"race-{i}"]), "apikey:gw", default)).Value!.Id);
        for (var i = 0; i < n; i++)
            await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = $"race-{i}", Kind = "text", Text = "synthetic harmless caption", Account = new AccountRef { Id = "acct-race" } }, null, default);
        await Appeals.EnforcementScenario.RunOnceAsync(core);       // the pipeline decided some of them (no action) …
        for (var i = 0; i < n; i += 2)                                // … and half get a newer version it has not decided yet
            await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = $"race-{i}", Kind = "text", Text = "synthetic caption, edited", Account = new AccountRef { Id = "acct-race" } }, null, default);

        // Both processes' clock jobs and explicit executions, all at once.
        var work = new List<Task>();
        for (var round = 0; round < 3; round++)
        {
            work.Add(Task.Run(() => a.TickAsync(default)));
            work.Add(Task.Run(() => b.TickAsync(default)));
            foreach (var id in ids)
            {
                work.Add(Task.Run(() => a.ExecuteAsync(id, "race-a", default)));
                work.Add(Task.Run(() => b.ExecuteAsync(id, "race-b", default)));
            }
        }
        await Task.WhenAll(work);
        await a.TickAsync(default);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var o = (await a.GetAsync(id, default))!;
            var item = Assert.Single(o.Items);
            Assert.True(o.Status == OrderStatus.Executed, $"order {i}: {o.Status}, item {item.Status} ({item.Note})");
            Assert.Equal(ItemStatus.Executed, item.Status);
            var contentId = $"race-{i}";
            var removals = await db.Set<ActionRow>().AsNoTracking().Where(x => x.Kind == "content.remove" && x.TargetId == contentId).ToListAsync();
            Assert.Single(removals);
            Assert.Contains($":order:o{id}:", removals[0].IdempotencyKey);
            Assert.Equal(item.DecisionId, removals[0].DecisionId);
            var versions = await db.ContentVersions.AsNoTracking().Where(v => v.ContentId == contentId).Select(v => v.Id).ToListAsync();
            foreach (var v in versions) Assert.True(await db.Decisions.CountAsync(d => d.ContentVersionId == v) <= 1, $"{contentId}: version {v} decided twice");
            Assert.Equal(1, await db.Set<StatementRow>().CountAsync(s => s.DecisionId == item.DecisionId && s.Puid.Contains("-order-")));
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "decision.confirmed" && e.Subject == $"decision:{item.DecisionId}" && e.After!.Contains($"order o{id}")));
            Assert.Equal(1, await db.Set<ActionRow>().CountAsync(x => x.Kind == RemovalOrderService.ProviderNotice && x.TargetId == contentId));
        }
        Assert.Equal(0, await db.Set<RemovalOrderItemRow>().CountAsync(i => i.ClaimedBy != null));
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task An_item_claimed_by_an_executor_that_stopped_is_taken_over_when_its_claim_lapses_and_recorded_once(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, executeOnReceipt: false);
        await using var other = SecondProcess(core, executeOnReceipt: false);
        await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = "c-crash", Kind = "text", Text = "synthetic caption", Account = new AccountRef { Id = "acct-c" } }, null, default);
        var a = core.Get<RemovalOrderService>();
        var o = (await a.ReceiveAsync(Order("IT-CRASH-1", ["c-crash"]), "apikey:gw", default)).Value!;
        Assert.Equal(OrderStatus.Received, o.Status);
        // Process A claimed the item and stopped before executing it.
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            await db.Set<RemovalOrderItemRow>().Where(i => i.OrderId == o.Id).ExecuteUpdateAsync(u => u
                .SetProperty(i => i.ClaimedBy, a.Executor).SetProperty(i => i.ClaimedUntil, core.Clock.GetUtcNow().AddSeconds(120)));
        var b = other.GetRequiredService<RemovalOrderService>();
        Assert.Equal(OrderStatus.Received, (await b.ConfirmAsync(o.Id, "legal", default)).Value!.Status);   // held by A: B leaves it
        core.Clock.Advance(TimeSpan.FromSeconds(121));
        await b.TickAsync(default);
        var done = (await b.GetAsync(o.Id, default))!;
        Assert.Equal((OrderStatus.Executed, ItemStatus.Executed), (done.Status, Assert.Single(done.Items).Status));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.Equal(1, await db.Set<ActionRow>().CountAsync(x => x.Kind == "content.remove" && x.TargetId == "c-crash"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Scrutiny_reinstates_only_what_the_order_did_and_the_pipelines_strike_and_restriction_on_the_same_decision_stand(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        // A pipeline rule that strikes and age-restricts (no removal) for its own reasons.
        var files = ShippedPolicy.Rules().Select(r => new RuleFile(r.Name, r.Text)).ToList();
        files.Add(new RuleFile("synthetic-strike.rules",
            "rule synthetic-strike-only enforce {\n  policy VE-GLORIFY\n  when any hash.match[label \"synthetic-strike-only\"]\n  then age_restrict, strike\n  explain \"Synthetic: strikes and age-restricts\"\n}\n"));
        var change = await core.Get<PolicyStore>().ActivateAsync(files, "policy-admin", default);
        Assert.True(change.Applied, string.Join("\n", change.Errors));
        await Appeals.EnforcementScenario.UploadAsync(core, "c-both", "acct-both", "synthetic-strike-only", "synthetic clip c-both");
        await Appeals.EnforcementScenario.RunOnceAsync(core);
        var decision = await Appeals.EnforcementScenario.DecisionOfAsync(core, "c-both");
        long pipelineStrike;
        string pipelineStatement;
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            pipelineStrike = (await db.Set<StrikeRow>().AsNoTracking().SingleAsync(s => s.DecisionId == decision.Id)).Id;
            pipelineStatement = (await db.Set<StatementRow>().AsNoTracking().SingleAsync(s => s.DecisionId == decision.Id)).Puid;
        }

        var orders = core.Get<RemovalOrderService>();
        var o = (await orders.ReceiveAsync(Order("IT-BOTH-1", ["c-both"]) with { CrossBorder = true }, "apikey:gw", default)).Value!;
        Assert.Equal((OrderStatus.Executed, decision.Id), (o.Status, Assert.Single(o.Items).DecisionId));
        core.Clock.Advance(TimeSpan.FromHours(2));
        var r = (await orders.RecordScrutinyAsync(o.Id, "infringes", "Synthetic: disproportionate", "legal", default)).Value!;
        Assert.Equal(OrderStatus.Reinstated, r.Status);

        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            // The pipeline's part stands: the decision is not reversed, keeps its strike and age restriction, and its statement.
            var d = await db.Decisions.AsNoTracking().SingleAsync(x => x.Id == decision.Id);
            Assert.Null(d.ReversedAt);
            Assert.Equal(["account.strike", "content.age_restrict"], Bulwark.Core.Policy.Appeals.AppealReversal.ActionsOf(d).Select(x => x.Kind).Order());
            Assert.Null((await db.Set<StrikeRow>().AsNoTracking().SingleAsync(s => s.Id == pipelineStrike)).RemovedAt);
            Assert.Equal(0, await db.Set<ActionRow>().CountAsync(x => x.Kind == "strike.remove" || x.Kind == "account.reinstate"));
            // The order's part is undone: the content is restored, the age restriction stated again after it, the order's statement ended.
            var after = await db.Set<ActionRow>().AsNoTracking().Where(x => x.IdempotencyKey.StartsWith($"order{o.Id}:reinstated:")).OrderBy(x => x.Id).Select(x => x.Kind).ToListAsync();
            Assert.Equal(["content.restore", "content.age_restrict"], after);
            var statements = await db.Set<StatementRow>().AsNoTracking().Where(s => s.DecisionId == decision.Id).ToListAsync();
            var today = DateOnly.FromDateTime(core.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
            var orderStatement = StatementOfReasons.FromJson(statements.Single(s => s.Puid.Contains("-order-")).Json);
            Assert.Equal(today, orderStatement.EndDateVisibilityRestriction);
            Assert.NotEqual(today, StatementOfReasons.FromJson(statements.Single(s => s.Puid == pipelineStatement).Json).EndDateVisibilityRestriction);
            Assert.Contains(await db.AuditEntries.Select(e => e.Action).ToListAsync(), x => x == "decision.order_undone");
        }
    }

    private static ServiceProvider SecondProcess(CoreServices core, bool executeOnReceipt = true)
    {
        var settings = core.Database.Settings();
        settings["Bulwark:Authorities:Orders:ExecuteOnReceipt"] = executeOnReceipt ? "true" : "false";
        settings["Bulwark:Authorities:Orders:ContentUrlTemplates:0"] = "https://video.example/watch/{id}";
        return new ServiceCollection()
            .AddSingleton<TimeProvider>(core.Clock)
            .AddSingleton(new Random(43))
            .AddLogging()
            .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
    }
}
