using Bulwark.Core.Policy;
using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Notices;

/// <summary>
/// The notices the DSA report counts (table 4 and the Art. 23(2) row), by the day a notice was received in the period. A
/// decided notice counts under the DSA category and keywords of the policy found broken; one without action (or not yet
/// decided) only in the total. Every notice is decided by a person, so none counts as processed by automated means.
/// </summary>
public sealed class NoticeRecords(IBulwarkDbFactory dbs, PolicyStore policies) : INoticeRecords
{
    public const string Context = "Notices under DSA Art. 16 received through POST /api/v1/notices and the public /report form, counted by the day of receipt; "
        + "a notice counts under a category when the decision on it found a violation of a policy in that category. Every notice is decided by a person.";

    public async Task<RecordCounts> CountAsync(ReportPeriod period, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var from = period.From;
        var until = period.Until;
        var rows = await db.Set<NoticeRow>().AsNoTracking().Where(n => n.ReceivedAt >= from && n.ReceivedAt < until)
            .Select(n => new { n.Source, n.Outcome, n.Policy, n.ReceivedAt, n.DecidedAt, n.Status }).ToListAsync(ct);
        var catalogue = await policies.GetCatalogueAsync(ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        void Add(string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
        var hours = new List<double>();
        foreach (var n in rows)
        {
            var cuts = new List<string> { "TOTAL" };
            if (n.Outcome == NoticeOutcome.ActionTaken && n.Policy is not null && catalogue.Find(n.Policy) is { } policy)
            {
                if (policy.DsaCategory is { } category) cuts.Add(category);
                cuts.AddRange(policy.DsaKeywords ?? []);
            }
            foreach (var cut in cuts.Distinct())
            {
                Add($"notices:{cut}");
                if (n.Source == NoticeSources.TrustedFlagger) Add($"notices:trusted_flagger:{cut}");
                if (n.Outcome == NoticeOutcome.ActionTaken) Add($"notices_actioned:{cut}");
            }
            Add("notices");
            if (n.Source == NoticeSources.TrustedFlagger) Add("notices:trusted_flagger");
            if (n.Outcome == NoticeOutcome.ActionTaken) Add("notices_actioned");
            if (n.DecidedAt is { } d && n.Status == NoticeStatus.Decided) hours.Add((d - n.ReceivedAt).TotalHours);
        }
        var suspensions = await db.Set<NotifierMeasureRow>().AsNoTracking().Where(m => m.Kind == NotifierMeasureKind.Suspension && m.ImposedAt >= from && m.ImposedAt < until).CountAsync(ct);
        counts["suspended_notifiers"] = suspensions;
        return new RecordCounts(counts, Median(hours), Context);
    }

    private static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        var mid = values.Count / 2;
        return Math.Round(values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2, 2);
    }
}
