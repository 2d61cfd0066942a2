using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Policy.Catalogue;
using M = Bulwark.Core.Reports.Transparency.TransparencyMetrics;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>One line of a CGER breakdown: removals in a cut and how they came about.</summary>
public sealed record CgerRow(string Key, long Removed, long Videos, long Proactive, long ZeroViews, long ViewsUnknown, long Within24h, long Automated, long Restored)
{
    public static CgerRow Of(string key, PeriodFacts f, Func<RollupFactRow, bool> where) => new(key,
        f.Sum(M.ContentRemoved, where), f.Sum(M.VideosRemoved, where), f.Sum(M.RemovedProactive, where), f.Sum(M.RemovedZeroViews, where),
        f.Sum(M.RemovedViewsUnknown, where), f.Sum(M.RemovedWithin24h, where), f.Sum(M.RemovedAutomated, where), f.Sum(M.RestoredAfterAppeal, where));
}

public sealed record CgerAppeals(long Submitted, long Decided, long Upheld, long Reversed, double? MedianHoursToDecide);

public sealed record CgerAccounts(long Banned, long Suspended, IReadOnlyList<KeyValuePair<string, long>> BannedByBasis, IReadOnlyList<KeyValuePair<string, long>> BannedByPolicy);

/// <summary>
/// A Community Guidelines Enforcement Report: removals by policy, rule (sub-policy) and market, how many were found
/// proactively, removed at zero views, within 24 hours, by automation, restored on appeal; accounts removed; appeals.
/// Computed only from the rollups (<see cref="PeriodFacts"/>).
/// </summary>
public sealed record CgerReport(
    string Period, DateTimeOffset GeneratedAt, long Uploads, long VideoUploads, CgerRow Total, double? RemovedShareOfUploads,
    IReadOnlyList<CgerRow> ByPolicy, IReadOnlyList<CgerRow> ByRule, IReadOnlyList<CgerRow> ByMarket, CgerAccounts Accounts, CgerAppeals Appeals,
    long ViolentExtremismRemoved, double? ViolentExtremismShare, long ContentRestrictedWithoutRemoval, IReadOnlyList<string> Notes)
{
    public const string Other = "other";

    public static CgerReport Build(PeriodFacts f, PolicyCatalogue catalogue, TransparencyOptions options, DateTimeOffset now)
    {
        var policies = (catalogue.Policies ?? []).Select(p => p.Id!).ToList();
        foreach (var extra in f.Facts.Where(x => x.Metric == M.ContentRemoved).Select(x => x.Policy).Distinct().Where(p => !policies.Contains(p)).Order(StringComparer.Ordinal))
            policies.Add(extra);
        var total = CgerRow.Of("TOTAL", f, _ => true);
        var byPolicy = policies.Select(p => CgerRow.Of(p, f, x => x.Policy == p)).ToList();
        var byRule = f.Facts.Where(x => M.ContentMetrics.Contains(x.Metric)).Select(x => (x.Policy, x.SubPolicy)).Distinct()
            .OrderBy(x => x.Policy, StringComparer.Ordinal).ThenBy(x => x.SubPolicy, StringComparer.Ordinal)
            .Select(k => CgerRow.Of($"{k.Policy}/{k.SubPolicy}", f, x => x.Policy == k.Policy && x.SubPolicy == k.SubPolicy)).ToList();
        var markets = f.Facts.Where(x => x.Metric == M.ContentRemoved).GroupBy(x => x.Market).Select(g => (Market: g.Key, Removed: g.Sum(x => x.Value)))
            .OrderByDescending(x => x.Removed).ThenBy(x => x.Market, StringComparer.Ordinal).ToList();
        var top = markets.Take(options.TopMarkets).Select(x => x.Market).ToHashSet(StringComparer.Ordinal);
        var byMarket = top.OrderByDescending(m => markets.First(x => x.Market == m).Removed).ThenBy(m => m, StringComparer.Ordinal)
            .Select(m => CgerRow.Of(m, f, x => x.Market == m)).ToList();
        byMarket.Add(CgerRow.Of(Other, f, x => !top.Contains(x.Market) && x.Market != M.None));

        var banBases = new[] { M.BanZeroTolerance, M.BanStrikes, M.BanOffPlatform, M.BanOther };
        var accounts = new CgerAccounts(f.Sum(M.AccountsBanned), f.Sum(M.AccountsSuspended),
            banBases.Select(b => KeyValuePair.Create(b, f.Sum(M.AccountsBanned, x => x.SubPolicy == b))).ToList(),
            policies.Select(p => KeyValuePair.Create(p, f.Sum(M.AccountsBanned, x => x.Policy == p))).ToList());
        var appeals = new CgerAppeals(f.Sum(M.AppealsSubmitted), f.Sum(M.AppealsDecided), f.Sum(M.AppealsUpheld), f.Sum(M.AppealsReversed), f.MedianHours(M.DurationAppeal));
        var uploads = f.Sum(M.Uploads);
        var ve = f.Sum(M.ContentRemoved, x => x.Policy.StartsWith(options.ViolentExtremismPolicyPrefix, StringComparison.Ordinal));
        var notes = new List<string>
        {
            "removed_share_of_uploads: removals in the period over content items first seen in the period (both as Bulwark recorded them).",
            "violent_extremism_share: removals under policies starting with '" + options.ViolentExtremismPolicyPrefix + "' over all removals Bulwark recorded; removals the platform made without Bulwark are not in either number.",
            "removed_zero_views: the view count the platform sent with the content (viewCount); removals whose event carried none are counted as removed_views_unknown.",
            "market: the country of the content's account (accounts.country); 'unknown' when the platform sent none.",
        };
        return new CgerReport(f.Period.ToString(), now, uploads, f.Sum(M.VideoUploads), total, Share(total.Removed, uploads), byPolicy, byRule, byMarket,
            accounts, appeals, ve, Share(ve, total.Removed), f.Sum(M.ContentRestricted), notes);
    }

    private static double? Share(long part, long whole) => whole == 0 ? null : (double)part / whole;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string[] RowHeader => ["key", "removed", "videos_removed", "removed_proactive", "removed_zero_views", "removed_views_unknown", "removed_within_24h", "removed_automated", "restored_after_appeal"];

    public static string[] RowFields(CgerRow r) => [r.Key, Csv.Number(r.Removed), Csv.Number(r.Videos), Csv.Number(r.Proactive), Csv.Number(r.ZeroViews),
        Csv.Number(r.ViewsUnknown), Csv.Number(r.Within24h), Csv.Number(r.Automated), Csv.Number(r.Restored)];

    /// <summary>The summary as metric/value pairs (the CSV and the reconciliation tests read the same list).</summary>
    public IReadOnlyList<(string Metric, string Value)> SummaryRows() =>
    [
        ("uploads", Csv.Number(Uploads)), ("video_uploads", Csv.Number(VideoUploads)),
        (M.ContentRemoved, Csv.Number(Total.Removed)), (M.VideosRemoved, Csv.Number(Total.Videos)),
        ("removed_share_of_uploads", Csv.Number(RemovedShareOfUploads, 6)),
        (M.RemovedProactive, Csv.Number(Total.Proactive)), (M.RemovedZeroViews, Csv.Number(Total.ZeroViews)), (M.RemovedViewsUnknown, Csv.Number(Total.ViewsUnknown)),
        (M.RemovedWithin24h, Csv.Number(Total.Within24h)), (M.RemovedAutomated, Csv.Number(Total.Automated)), (M.RestoredAfterAppeal, Csv.Number(Total.Restored)),
        (M.ContentRestricted, Csv.Number(ContentRestrictedWithoutRemoval)),
        (M.AccountsBanned, Csv.Number(Accounts.Banned)), (M.AccountsSuspended, Csv.Number(Accounts.Suspended)),
        (M.AppealsSubmitted, Csv.Number(Appeals.Submitted)), (M.AppealsDecided, Csv.Number(Appeals.Decided)),
        (M.AppealsUpheld, Csv.Number(Appeals.Upheld)), (M.AppealsReversed, Csv.Number(Appeals.Reversed)),
        ("appeal_median_hours_to_decide", Csv.Number(Appeals.MedianHoursToDecide)),
        ("violent_extremism_removed", Csv.Number(ViolentExtremismRemoved)), ("violent_extremism_share", Csv.Number(ViolentExtremismShare, 6)),
    ];

    /// <summary>CSV (fact table and summaries), JSON, and the HTML page in each language (PDFs are printed from those).</summary>
    public IReadOnlyList<ReportFile> Files(PeriodFacts f)
    {
        var files = new List<ReportFile>
        {
            new("cger_facts.csv", "text/csv", Csv.Bytes(["period", "market", "policy", "sub_policy", "metric", "value"],
                f.Facts.Select(x => new[] { Period, x.Market, x.Policy, x.SubPolicy, x.Metric, Csv.Number(x.Value) }))),
            new("cger_summary.csv", "text/csv", Csv.Bytes(["period", "metric", "value"], SummaryRows().Select(r => new[] { Period, r.Metric, r.Value }))),
            new("cger_by_policy.csv", "text/csv", Csv.Bytes(["period", .. RowHeader], ByPolicy.Prepend(Total).Select(r => RowFields(r).Prepend(Period)))),
            new("cger_by_sub_policy.csv", "text/csv", Csv.Bytes(["period", .. RowHeader], ByRule.Select(r => RowFields(r).Prepend(Period)))),
            new("cger_by_market.csv", "text/csv", Csv.Bytes(["period", .. RowHeader], ByMarket.Select(r => RowFields(r).Prepend(Period)))),
            new("cger_accounts.csv", "text/csv", Csv.Bytes(["period", "cut", "key", "accounts_banned"],
                Accounts.BannedByBasis.Select(k => new[] { Period, "basis", k.Key, Csv.Number(k.Value) })
                    .Concat(Accounts.BannedByPolicy.Select(k => new[] { Period, "policy", k.Key, Csv.Number(k.Value) })))),
            new("cger.json", "application/json", JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions)),
        };
        foreach (var lang in ReportText.Languages)
            files.Add(new($"cger.{lang}.html", "text/html", System.Text.Encoding.UTF8.GetBytes(ReportHtml.Cger(this, lang))));
        return files;
    }
}
