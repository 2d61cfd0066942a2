using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Authorities.Orders;

/// <summary>
/// Removal orders for the transparency reports (<see cref="IAuthorityRecords"/>): orders received in the period (by
/// receipt time), executed, not executed (with grounds), reinstated after scrutiny, and the median hours from receipt to
/// execution. Keys: <c>removal_orders</c>, <c>removal_orders_executed</c>, <c>removal_orders_not_executed</c>,
/// <c>removal_orders_not_executed:{ground}</c>, <c>reinstated_after_review</c>, <c>review_proceedings</c> (scrutiny
/// decisions), <c>orders_to_act</c>, <c>orders_to_act:{member state}</c> and <c>orders_to_act:{category or keyword}</c>
/// (removal orders are orders to act, DSA Art. 9; all of them terrorist content). <c>removal_orders_executed</c> counts orders
/// executed; <c>removal_order_items_removed</c> counts the content items the platform removed or disabled under an order, by
/// the time they were (the TCO report's item 3): an order may name several items, and an item already removed by the
/// platform's own decision was not removed "following" the order, so it is not counted.
/// Referrals (DSA Art. 18) are counted by the referrals stage.
/// </summary>
public sealed class RemovalOrderRecords(IBulwarkDbFactory dbs) : IAuthorityRecords
{
    public const string Context = "Removal orders received (Reg. 2021/784 Art. 3) by the time of receipt, as recorded by Bulwark's authorities stage; median time to act is from receipt to execution.";

    public async Task<RecordCounts> CountAsync(ReportPeriod period, CancellationToken ct)
    {
        var (from, to) = (period.From, period.Until);
        await using var db = dbs.Create();
        var rows = await db.Set<RemovalOrderRow>().AsNoTracking().Where(o => o.ReceivedAt >= from && o.ReceivedAt < to)
            .Select(o => new { o.Status, o.MemberState, o.ImpossibleGround, o.ReceivedAt, o.ExecutedAt, o.ScrutinyOutcome, o.ReinstatedAt }).ToListAsync(ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["removal_orders"] = rows.Count,
            ["removal_orders_executed"] = rows.Count(r => r.ExecutedAt is not null),
            ["removal_orders_not_executed"] = rows.Count(r => r.Status == OrderStatus.NotExecuted),
            ["reinstated_after_review"] = rows.Count(r => r.ReinstatedAt is not null),
            ["review_proceedings"] = rows.Count(r => r.ScrutinyOutcome is not null),
            ["orders_to_act"] = rows.Count,
            // A removal order is about terrorist content by definition (Reg. 2021/784 Art. 2(7)): the DSA table's category and keyword.
            ["orders_to_act:STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"] = rows.Count,
            ["orders_to_act:KEYWORD_TERRORIST_CONTENT"] = rows.Count,
        };
        foreach (var g in rows.Where(r => r.ImpossibleGround is not null).GroupBy(r => r.ImpossibleGround!)) counts[$"removal_orders_not_executed:{g.Key}"] = g.Count();
        // The DSA templates name Greece GR (the registry, as the EU writes it, EL).
        foreach (var g in rows.GroupBy(r => r.MemberState == "EL" ? "GR" : r.MemberState)) counts[$"orders_to_act:{g.Key}"] = g.Count();
        // Items removed by an order's execution in the period (reinstated ones included: they were removed, then restored).
        counts["removal_order_items_removed"] = await db.Set<RemovalOrderItemRow>().AsNoTracking()
            .LongCountAsync(i => i.ExecutedAt >= from && i.ExecutedAt < to && (i.Status == ItemStatus.Executed || i.Status == ItemStatus.Reinstated), ct);
        var hours = rows.Where(r => r.ExecutedAt is not null).Select(r => (r.ExecutedAt!.Value - r.ReceivedAt).TotalHours).Order().ToList();
        double? median = hours.Count == 0 ? null : hours.Count % 2 == 1 ? hours[hours.Count / 2] : (hours[hours.Count / 2 - 1] + hours[hours.Count / 2]) / 2;
        return new RecordCounts(counts, median, Context);
    }

}
