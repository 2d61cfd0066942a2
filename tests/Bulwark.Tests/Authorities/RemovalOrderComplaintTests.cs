using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Authorities;

/// <summary>
/// The content provider's complaint about a removal under an order (Reg. 2021/784 Art. 10): an appeal of the decision the
/// order's item shows. Found unjustified, the content is reinstated and the order's item says so; rejected, nothing is
/// undone; either way the provider is informed of the outcome, a rejection with the order's court remedy (Art. 9).
/// </summary>
public class RemovalOrderComplaintTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_complaint_found_justified_reinstates_the_item_and_a_rejected_one_undoes_nothing_and_the_provider_hears_both(DatabaseProvider provider)
    {
        await using var core = await RemovalOrderTests.CreateAsync(provider);
        foreach (var id in new[] { "c-unjust", "c-just" })
            await core.Get<IngestService>().AcceptOneAsync(new ContentEvent { Id = id, Kind = "text", Text = "synthetic caption", Account = new AccountRef { Id = "acct-p" } }, null, default);
        var orders = core.Get<RemovalOrderService>();
        var appeals = core.Get<AppealService>();
        var o = (await orders.ReceiveAsync(RemovalOrderTests.Order("IT-RO-C1", ["c-unjust", "c-just"]), "apikey:gw", default)).Value!;
        Assert.Equal(OrderStatus.Executed, o.Status);
        long DecisionOf(string content) => o.Items.Single(i => i.ContentId == content).DecisionId!.Value;

        // The provider complains about both removals (the platform relays the complaints as appeals).
        var unjust = (await appeals.SubmitAsync(new NewAppeal(DecisionOf("c-unjust"), null, "Synthetic: the clip is a news report about the attack."), "provider:acct-p", default)).Appeal!;
        var just = (await appeals.SubmitAsync(new NewAppeal(DecisionOf("c-just"), null, "Synthetic: I disagree."), "provider:acct-p", default)).Appeal!;

        core.Clock.Advance(TimeSpan.FromDays(3));
        var reversed = await appeals.DecideAsync(unjust.Id, new AppealDecisionRequest(AppealOutcome.Reversed, "Reporting, not glorification: the removal was unjustified.", "senior-legal"), null, default);
        Assert.Equal(AppealError.None, reversed.Error);
        var upheld = await appeals.DecideAsync(just.Id, new AppealDecisionRequest(AppealOutcome.Upheld, "The post glorifies the attack; the removal stands.", "senior-legal"), null, default);
        Assert.Equal(AppealError.None, upheld.Error);
        // Deciding again changes nothing and informs nobody twice.
        Assert.Equal(AppealError.AlreadyDecided, (await appeals.DecideAsync(unjust.Id, new AppealDecisionRequest(AppealOutcome.Upheld, "again", "senior-legal"), null, default)).Error);

        var after = (await orders.GetAsync(o.Id, default))!;
        var unjustItem = after.Items.Single(i => i.ContentId == "c-unjust");
        Assert.Equal(ItemStatus.Reinstated, unjustItem.Status);
        Assert.Equal(core.Clock.GetUtcNow(), unjustItem.ReinstatedAt);
        Assert.Contains($"appeal {unjust.Id}", unjustItem.Note);
        var justItem = after.Items.Single(i => i.ContentId == "c-just");
        Assert.Equal(ItemStatus.Executed, justItem.Status);
        Assert.Null(justItem.ReinstatedAt);

        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var restores = await db.Set<ActionRow>().Where(a => a.Kind == "content.restore").Select(a => a.TargetId).ToListAsync();
            Assert.Equal(["c-unjust"], restores);
            var notices = await db.Set<ActionRow>().Where(a => a.Kind == OrderComplaints.OutcomeNotice).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(["c-unjust", "c-just"], notices.Select(n => n.TargetId));
            var details = notices.Select(n => JsonSerializer.Deserialize<Dictionary<string, string>>(n.DetailsJson)!).ToList();
            Assert.Equal(["reinstated", "rejected"], details.Select(d => d["outcome"]));
            Assert.All(details, d => Assert.Equal("IT-RO-C1", d["order"]));
            Assert.Equal("Reporting, not glorification: the removal was unjustified.", details[0]["reasons"]);
            Assert.Contains("courts of the issuing Member State (IT)", details[1]["remedies"]);
            var audits = await db.AuditEntries.Where(e => e.Subject == $"removal_order:{o.Id}").Select(e => e.Action).ToListAsync();
            Assert.Contains("removal_order.complaint_reinstated", audits);
            Assert.Contains("removal_order.complaint_rejected", audits);
            Assert.NotNull((await db.Decisions.SingleAsync(d => d.ContentId == "c-unjust")).ReversedAt);
            Assert.Null((await db.Decisions.SingleAsync(d => d.ContentId == "c-just")).ReversedAt);
        }
        Assert.True((await core.Get<AuditVerifier>().VerifyAsync(default)).Intact);
    }
}
