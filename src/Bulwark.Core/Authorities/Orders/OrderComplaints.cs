using System.Globalization;
using Bulwark.Core.Actions;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Authorities.Orders;

/// <summary>
/// The content provider's complaint about a removal under an order (Reg. 2021/784 Art. 10) is an appeal of the decision
/// the order's item shows (<c>POST /api/v1/appeals</c>), decided by a person as every appeal is. This effect, run inside
/// the appeal's decision transaction, ties the outcome back to the order:
/// <list type="bullet">
/// <item>reversed (the removal was unjustified): the appeal's reversal restores the content (<c>content.restore</c>); the
/// order's item is recorded <c>reinstated</c> with the appeal named, so the order, its records and the transparency
/// reports show the reinstatement;</item>
/// <item>upheld (the complaint is rejected): nothing is undone;</item>
/// </list>
/// and in both cases the provider is informed of the outcome through the platform (an outbox action of kind
/// <see cref="OutcomeNotice"/>: the outcome, the decider's reasons, and for a rejection the possibility to challenge the
/// order before the courts of the issuing Member State, Art. 9). Art. 10(2) asks for the outcome within two weeks of the
/// complaint; the notice is sent when the appeal is decided, so the appeal's own deadline governs.
/// </summary>
public sealed class OrderComplaints(IActionOutbox outbox, TimeProvider clock) : IAppealOutcomeEffect
{
    public const string OutcomeNotice = "content.removal_order_complaint_outcome";

    public async Task<IReadOnlyList<AuditRecord>> ApplyAsync(BulwarkDbContext db, AppealRow appeal, DecisionRow decision, CancellationToken ct)
    {
        var items = await db.Set<RemovalOrderItemRow>().Where(i => i.DecisionId == decision.Id && i.ContentId == decision.ContentId
            && (i.Status == ItemStatus.Executed || i.Status == ItemStatus.AlreadyRemoved || i.Status == ItemStatus.Reinstated)).ToListAsync(ct);
        if (items.Count == 0) return [];
        var orderIds = items.Select(i => i.OrderId).Distinct().ToList();
        var orders = await db.Set<RemovalOrderRow>().AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var now = clock.GetUtcNow();
        var reinstated = appeal.Outcome == AppealOutcome.Reversed;
        var records = new List<AuditRecord>();
        foreach (var item in items.OrderBy(i => i.Id))
        {
            var order = orders[item.OrderId];
            var before = item.Status;
            if (reinstated && item.Status != ItemStatus.Reinstated)
            {
                item.Status = ItemStatus.Reinstated;
                item.ReinstatedAt = now;
                item.Note = Clip($"complaint (Art. 10): appeal {appeal.Id} found the removal unjustified; content reinstated");
            }
            outbox.Enqueue(db, new PlatformAction(OutcomeNotice, "content", decision.ContentId, decision.Policy, decision.Id,
                $"appeal{appeal.Id}:order{order.Id}:complaint", new Dictionary<string, string>
                {
                    ["order"] = order.Reference, ["authority"] = order.AuthorityId, ["memberState"] = order.MemberState,
                    ["appealId"] = appeal.Id.ToString(CultureInfo.InvariantCulture),
                    ["outcome"] = reinstated ? "reinstated" : "rejected",
                    ["reasons"] = appeal.Statement ?? "",
                    ["remedies"] = reinstated
                        ? "The content is reinstated (Art. 10(2))."
                        : $"The complaint is rejected. The removal order can be challenged before the courts of the issuing Member State ({order.MemberState}) (Art. 9).",
                }));
            records.Add(new AuditRecord(appeal.DecidedBy!, reinstated ? "removal_order.complaint_reinstated" : "removal_order.complaint_rejected",
                $"removal_order:{order.Id}", before, $"item {item.Id} ({item.ContentId}): appeal {appeal.Id} {appeal.Outcome}; provider informed"));
        }
        return records;
    }

    private static string Clip(string s) => s.Length <= 1000 ? s : s[..1000];
}
