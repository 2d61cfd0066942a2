namespace Bulwark.Core.Reports.Transparency;

/// <summary>Counts of one kind of record that another stage keeps (orders, notices, review proceedings), and what they mean.</summary>
public sealed record RecordCounts(IReadOnlyDictionary<string, long> Counts, double? MedianHours, string Context)
{
    public long this[string key] => Counts.GetValueOrDefault(key);
}

/// <summary>
/// Member States' orders (DSA Art. 9 and 10; removal orders under Reg. 2021/784 Art. 3) for the reports. The authorities
/// stage implements it; until then <see cref="NoAuthorityRecords"/> answers zeros and says that no such records exist yet.
/// Keys: <c>orders_to_act</c>, <c>orders_to_provide_information</c>, <c>removal_orders</c>, <c>removal_orders_executed</c>, <c>removal_order_items_removed</c> (content items),
/// <c>removal_orders_not_executed</c>, <c>review_proceedings</c>, <c>reinstated_after_review</c>, and
/// <c>orders_to_act:{member state}</c> / <c>orders_to_act:{category}</c> per row of the DSA table.
/// </summary>
public interface IAuthorityRecords
{
    Task<RecordCounts> CountAsync(ReportPeriod period, CancellationToken ct);
}

/// <summary>Art. 16 notices (incl. trusted flaggers) for the DSA report. Keys: <c>notices</c>, <c>notices:trusted_flagger</c>,
/// <c>notices:{category}</c>, <c>notices_actioned</c>, <c>notices_automated</c>.</summary>
public interface INoticeRecords
{
    Task<RecordCounts> CountAsync(ReportPeriod period, CancellationToken ct);
}

public sealed class NoAuthorityRecords : IAuthorityRecords
{
    public const string Context = "No records of this kind yet: Bulwark does not record Member State orders (removal orders, orders to provide information) or review proceedings yet, so this is zero, not a count.";
    public Task<RecordCounts> CountAsync(ReportPeriod period, CancellationToken ct) => Task.FromResult(new RecordCounts(new Dictionary<string, long>(), null, Context));
}

public sealed class NoNoticeRecords : INoticeRecords
{
    public const string Context = "No records of this kind yet: Bulwark does not record Art. 16 notices as such yet, so this is zero, not a count. Restrictions that followed content the platform sent as a user report or trusted-flagger report are counted under their basis in the own-initiative and restriction tables.";
    public Task<RecordCounts> CountAsync(ReportPeriod period, CancellationToken ct) => Task.FromResult(new RecordCounts(new Dictionary<string, long>(), null, Context));
}
