using System.Globalization;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Records.StatementsOfReasons;
using M = Bulwark.Core.Reports.Transparency.TransparencyMetrics;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>
/// The DSA harmonised transparency report: the quantitative template's sections (report identification, Member State
/// orders, notices, own-initiative moderation, complaints, out-of-court disputes and Art. 23 suspensions, automated means,
/// human resources and recipients) and the qualitative template, after Annex I of Commission Implementing Regulation (EU)
/// 2024/2835 (OJ L, 5.11.2024). Every table starts with <c>Applicability</c>, <c>Service</c>, <c>Reporting period</c> and
/// ends with <c>Contextual information</c>; category tables have a <c>TOTAL</c> row, then every statement category and
/// every keyword, zero or not. Medians are decimal hours.
/// </summary>
public sealed class DsaReport
{
    public const string TemplateVersion = "Commission Implementing Regulation (EU) 2024/2835 of 4 November 2024, Annex I (quantitative and qualitative templates), OJ L, 5.11.2024";

    public static readonly IReadOnlyList<string> FileNames =
    [
        "1_report_identification.csv", "2_orders_to_act.csv", "3_orders_to_provide_information.csv", "4_notices.csv",
        "5_own_initiative_illegal_content.csv", "6_own_initiative_terms_and_conditions.csv", "7_complaints.csv",
        "8_out_of_court_disputes_and_suspensions.csv", "9_automated_means.csv", "10_human_resources_and_recipients.csv", "11_qualitative.csv",
    ];

    /// <summary>Detectors listed in table 9 even without QA samples (others appear once they have some).</summary>
    public static readonly IReadOnlyList<string> KnownDetectors =
        ["known-content", "entity-screening", "violent-speech", "classifier.threat", "classifier.glorification", "classifier.hate", "partner-list", "ban-evasion"];

    private static readonly string[] Lead = ["Applicability", "Service", "Reporting period"];
    private const string Context = "Contextual information";

    private const string AllProviders = "All providers of intermediary services";
    private const string Hosting = "Providers of hosting services";
    private const string Platforms = "Providers of online platforms";
    private const string Vlop = "Providers of very large online platforms and search engines";

    public static IReadOnlyList<ReportFile> Build(PeriodFacts f, PolicyCatalogue catalogue, string service, TransparencyOptions options, RecordCounts orders,
        RecordCounts notices, DateTimeOffset now, int version, IReadOnlyDictionary<string, string>? texts = null)
    {
        var period = f.Period.ToString();
        var map = (catalogue.Policies ?? []).ToDictionary(p => p.Id!, p => (Category: p.DsaCategory!, Keywords: (IReadOnlyList<string>)(p.DsaKeywords ?? [])), StringComparer.Ordinal);
        var unmapped = f.Facts.Select(x => x.Policy).Where(p => p != M.None && !map.ContainsKey(p)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (unmapped.Count > 0)
            throw new ReportRefusedException(ReportRefusedException.Invalid,
                $"policies {string.Join(", ", unmapped)} have records in {period} but no DSA category in the policy catalogue in force; restore them in the catalogue (with dsaCategory and dsaKeywords) to report the period");
        string[] Row(string applicability, params string[] rest) => [applicability, service, period, .. rest];
        var categories = SorVocabulary.Categories.Order(StringComparer.Ordinal).ToList();
        var keywords = SorVocabulary.Keywords.Order(StringComparer.Ordinal).ToList();
        bool InCategory(RollupFactRow x, string key) =>
            map.TryGetValue(x.Policy, out var m) && (m.Category == key || m.Keywords.Contains(key));
        // Each table's rows: TOTAL, every category, every keyword (a measure under a policy with two keywords is in both keyword rows).
        IEnumerable<(string Key, Func<RollupFactRow, bool> Where)> Cuts() =>
            new[] { ("TOTAL", (Func<RollupFactRow, bool>)(_ => true)) }
                .Concat(categories.Select(c => (c, (Func<RollupFactRow, bool>)(x => InCategory(x, c)))))
                .Concat(keywords.Select(k => (k, (Func<RollupFactRow, bool>)(x => InCategory(x, k)))));
        string N(long v) => Csv.Number(v);
        // The texts a policy admin wrote for this period (console: Reports → Qualitative texts), else the configured defaults.
        texts ??= options.Qualitative;
        string Q(string key) => texts.TryGetValue(key, out var v) ? v : "";
        var files = new List<ReportFile>();

        // 1. Report identification.
        files.Add(new(FileNames[0], "text/csv", Csv.Bytes([.. Lead, "Field", "Value", Context],
        [
            Row(AllProviders, "Provider name", string.IsNullOrWhiteSpace(options.ProviderName) ? service : options.ProviderName, ""),
            Row(AllProviders, "Service name", service, ""),
            Row(AllProviders, "Reporting period start", f.Period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ""),
            Row(AllProviders, "Reporting period end", f.Period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ""),
            Row(AllProviders, "Date of generation", now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "A draft until a policy admin publishes it."),
            Row(AllProviders, "Report version", version.ToString(CultureInfo.InvariantCulture), "A correction is a new version; earlier versions stay published."),
            Row(AllProviders, "Template", TemplateVersion, "Column wording is Bulwark's reading of the template; see docs/transparency.md."),
            Row(AllProviders, "Time unit of medians", "hours (decimal)", "Medians are computed from per-day histograms at 0.1-hour resolution."),
        ])));

        // 2. and 3. Member State orders (Art. 9 and 10): from the authorities stage.
        string[] OrderHeader(string what) => [.. Lead, "Category", "Member State", what, "Median time to confirm receipt (hours)", "Median time to give effect (hours)", Context];
        IEnumerable<string[]> OrderRows(string prefix)
        {
            yield return Row(AllProviders, "TOTAL", "TOTAL", N(orders[prefix]), "", Csv.Number(orders.MedianHours), orders.Context);
            foreach (var c in categories.Concat(keywords)) yield return Row(AllProviders, c, "ALL", N(orders[$"{prefix}:{c}"]), "", "", "");
            foreach (var ms in SorVocabulary.EuropeanCountries) yield return Row(AllProviders, "ALL", ms, N(orders[$"{prefix}:{ms}"]), "", "", "");
        }
        files.Add(new(FileNames[1], "text/csv", Csv.Bytes(OrderHeader("Number of orders to act against illegal content"), OrderRows("orders_to_act"))));
        files.Add(new(FileNames[2], "text/csv", Csv.Bytes(OrderHeader("Number of orders to provide information"), OrderRows("orders_to_provide_information"))));

        // 4. Notices (Art. 16), from the notices stage; restrictions on platform-flagged reports named in the TOTAL row's context.
        var onNotices = f.Sum(M.Measure(M.BasisNotice, M.Restrictions)) + f.Sum(M.Measure(M.BasisTrustedFlagger, M.Restrictions));
        var noticeContext = notices.Context + $" In this period {onNotices} restriction(s) followed content sent as a user report, {f.Sum(M.Measure(M.BasisTrustedFlagger, M.Restrictions))} of them from trusted flaggers.";
        files.Add(new(FileNames[3], "text/csv", Csv.Bytes([.. Lead, "Category", "Number of notices", "Notices submitted by trusted flaggers", "Actions taken on the basis of notices",
                "Actions taken by automated means", "Median time to take action (hours)", Context],
            Cuts().Select(c => Row(Hosting, c.Key, N(notices[$"notices:{c.Key}"]), N(notices[$"notices:trusted_flagger:{c.Key}"]), N(notices[$"notices_actioned:{c.Key}"]),
                N(notices[$"notices_automated:{c.Key}"]), c.Key == "TOTAL" ? Csv.Number(notices.MedianHours) : "", c.Key == "TOTAL" ? noticeContext : "")))));

        // 5. and 6. Own-initiative measures by restriction type.
        string[] MeasureHeader = [.. Lead, "Category", .. DsaMeasures.All.Select(m => "Number of measures: " + m), "Total number of measures", "Detected by automated means",
            "Decided fully automated", "Decided partially automated", Context];
        const string b = M.BasisOwnInitiative;
        files.Add(new(FileNames[4], "text/csv", Csv.Bytes(MeasureHeader, Cuts().Select(c => Row(AllProviders, [c.Key, .. DsaMeasures.All.Select(_ => "0"), "0", "0", "0", "0",
            c.Key == "TOTAL" ? "Bulwark's policies apply the terms and conditions (decision ground DECISION_GROUND_INCOMPATIBLE_CONTENT, as in its statements of reasons); no own-initiative measure is taken on the ground of illegality, so this table is zero. Content that is also illegal is flagged in the statements (incompatible_content_illegal)." : ""])))));
        files.Add(new(FileNames[5], "text/csv", Csv.Bytes(MeasureHeader, Cuts().Select(c => Row(AllProviders,
        [
            c.Key, .. DsaMeasures.All.Select(m => N(f.Sum(M.Measure(b, m), c.Where))), N(f.Sum(M.Measure(b, M.Restrictions), c.Where)),
            N(f.Sum(M.Measure(b, M.DetectionAutomated), c.Where)), N(f.Sum(M.Measure(b, "AUTOMATED_DECISION_FULLY"), c.Where)), N(f.Sum(M.Measure(b, "AUTOMATED_DECISION_PARTIALLY"), c.Where)),
            c.Key == "TOTAL" ? "One decision can take several measures (e.g. removal and account termination), so the measure columns can add up to more than the total number of decisions. Keyword rows count a measure under each keyword of its policy." : "",
        ])))));

        // 7. Complaints (internal complaint-handling, Art. 20): appeals.
        files.Add(new(FileNames[6], "text/csv", Csv.Bytes([.. Lead, "Category", "Number of complaints received", "Number of complaints decided", "Decisions upheld", "Decisions reversed",
                "Median time to decide (hours)", Context],
            Cuts().Select(c => Row(Platforms, c.Key, N(f.Sum(M.AppealsSubmitted, c.Where)), N(f.Sum(M.AppealsDecided, c.Where)), N(f.Sum(M.AppealsUpheld, c.Where)),
                N(f.Sum(M.AppealsReversed, c.Where)),
                Csv.Number(f.MedianHours(M.DurationAppeal, p => c.Key == "TOTAL" || InCategory(new RollupFactRow { Market = "", Policy = p, SubPolicy = "", Metric = "" }, c.Key))),
                c.Key == "TOTAL" ? "Received and decided are counted on the day each happened, so complaints decided in the period may have been received before it." : "")))));

        // 8. Out-of-court dispute settlement (Art. 21) and suspensions (Art. 23).
        files.Add(new(FileNames[7], "text/csv", Csv.Bytes([.. Lead, "Item", "Number", "Median time (hours)", Context],
        [
            Row(Platforms, "Disputes submitted to out-of-court dispute settlement bodies", "0", "", "No records of this kind yet: Bulwark does not record out-of-court disputes, so this is zero, not a count."),
            Row(Platforms, "Out-of-court disputes decided in favour of the recipient", "0", "", "No records of this kind yet."),
            Row(Platforms, "Suspensions for frequently providing manifestly illegal content (Art. 23(1))", N(f.Sum(M.AccountsSuspended) + f.Sum(M.AccountsBanned)), "",
                $"Account suspensions ({f.Sum(M.AccountsSuspended)}) and terminations ({f.Sum(M.AccountsBanned)}) for repeated or zero-tolerance violations of the terms (strikes); Bulwark does not assess manifest illegality separately."),
            Row(Platforms, "Suspensions for frequently submitting manifestly unfounded notices (Art. 23(2))", N(notices["suspended_notifiers"]), "", notices.Context),
            Row(Platforms, "Suspensions for frequently submitting manifestly unfounded complaints (Art. 23(2))", "0", "", "Not recorded: Bulwark does not suspend complainants."),
        ])));

        // 9. Automated means and their accuracy (blind QA re-reviews).
        var accuracy = DetectorAccuracy.From(f, options.MinQaSamples).ToDictionary(a => a.Detector);
        var detectors = KnownDetectors.Concat(accuracy.Keys.Where(k => !KnownDetectors.Contains(k)).Order(StringComparer.Ordinal));
        files.Add(new(FileNames[8], "text/csv", Csv.Bytes([.. Lead, "Automated means", "Number of blind QA re-reviews", "Agreed with the automated decision", "Accuracy",
                "Accuracy 95% interval low", "Accuracy 95% interval high", "Precision", "Recall", Context],
            detectors.Select(d =>
            {
                var a = accuracy.GetValueOrDefault(d) ?? DetectorAccuracy.Of(d, 0, 0, options.MinQaSamples);
                var context = a.Enough
                    ? $"Accuracy is the share of {a.Samples} blind QA re-reviews of this detector's automated restrictions that agreed (Wilson 95 % interval); it is also the precision of those restrictions."
                    : $"Too few samples: {a.Samples} blind QA re-review(s), fewer than the {options.MinQaSamples} needed to state an accuracy.";
                return Row(AllProviders, d, N(a.Samples), N(a.Agreed), Csv.Number(a.Rate, 4), Csv.Number(a.Low, 4), Csv.Number(a.High, 4), Csv.Number(a.Rate, 4),
                    "", context + " Recall is not measured: re-reviews only see what automation restricted.");
            }))));

        // 10. Human resources and average monthly recipients (configured by a policy admin).
        files.Add(new(FileNames[9], "text/csv", Csv.Bytes([.. Lead, "Item", "Value", Context],
            DsaTexts.HumanResources.Select(h => Row(Vlop, h.Label, Q(h.Key), Q(h.Key).Length == 0 ? $"Not written for this period (console: Reports → Qualitative texts) nor configured (Bulwark:Transparency:Qualitative:{h.Key})." : "")))));

        // 11. Qualitative template.
        files.Add(new(FileNames[10], "text/csv", Csv.Bytes([.. Lead, "Indicator", "Text", Context],
            DsaTexts.Qualitative.Select(t => Row(AllProviders, t.Label, Q(t.Key), Q(t.Key).Length == 0 ? $"Not written for this period by a policy admin (console: Reports → Qualitative texts) nor configured (Bulwark:Transparency:Qualitative:{t.Key})." : "")))));
        return files;
    }
}
