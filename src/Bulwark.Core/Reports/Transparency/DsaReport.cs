using System.Globalization;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Records.StatementsOfReasons;
using M = Bulwark.Core.Reports.Transparency.TransparencyMetrics;

namespace Bulwark.Core.Reports.Transparency;

/// <summary>
/// The DSA harmonised transparency report in the template of Commission Implementing Regulation (EU) 2024/2835, Annex I
/// (OJ L, 5.11.2024): one CSV per sheet of the template (<see cref="DsaTemplate.Sheets"/>), with the template's column
/// headers and row conventions as providers publish them — <c>Applicability</c>, <c>Service</c>, <c>Reporting period</c>
/// (<c>YYYY-MM-DD/YYYY-MM-DD</c>); in the category tables a <c>TOTAL</c> row, then every category of the template followed
/// by its sub-categories and its <c>KEYWORD_OTHER</c>, zero or not; a "Contextual information on …" column beside each
/// figure; tables 7 to 10 as indicator rows (<c>Section, Indicator, Scope, Value</c>). Medians are decimal hours.
/// </summary>
public sealed class DsaReport
{
    public const string TemplateVersion = "Commission Implementing Regulation (EU) 2024/2835 of 4 November 2024, Annex I (quantitative and qualitative templates), OJ L, 5.11.2024";

    /// <summary>The files, one per sheet of the template: <c>1_report_identification.csv</c> … <c>11_qualitative.csv</c>.</summary>
    public static readonly IReadOnlyList<string> FileNames = [.. DsaTemplate.Sheets.Select((s, i) => $"{i + 1}_{s}.csv")];

    /// <summary>Detectors listed in table 8's accuracy context even without QA samples (others appear once they have some).</summary>
    public static readonly IReadOnlyList<string> KnownDetectors =
        ["known-content", "entity-screening", "violent-speech", "classifier.threat", "classifier.glorification", "classifier.hate", "partner-list", "ban-evasion"];

    private const string All = "All";
    private const string Hosting = "Only for providers of hosting services, including online platforms";
    private const string Platforms = "Only for providers of online platforms";
    private const string Vlops = "Only for VLOPs";
    private const string VlopsVloses = "Only for VLOPs and VLOSEs";
    private const string OtherDescription = "Description of the sub-category \"Other\"";

    /// <summary>The measure columns of tables 5 and 6, in the template's order, and the restriction each counts (null: Bulwark takes no such measure).</summary>
    private static readonly (string Column, string? Measure)[] MeasureColumns =
    [
        ("Visibility restriction Removal", DsaMeasures.Removed), ("Visibility restriction Disable", DsaMeasures.Disabled), ("Visibility restriction Demoted", DsaMeasures.Demoted),
        ("Visibility restriction Age restricted", DsaMeasures.AgeRestricted), ("Visibility restriction Interaction restricted", null), ("Visibility restriction Labelled", DsaMeasures.Labelled),
        ("Visibility restriction Other", null), ("Monetary restriction Suspension", DsaMeasures.MonetarySuspension), ("Monetary restriction Termination", null), ("Monetary restriction Other", null),
        ("Provision of the service Suspension", DsaMeasures.ProvisionPartialSuspension), ("Provision of the service Termination", null),
        ("Account restriction Suspension", DsaMeasures.AccountSuspended), ("Account restriction Termination", DsaMeasures.AccountTerminated),
    ];

    private static readonly string[] Bases = [M.BasisOwnInitiative, M.BasisNotice, M.BasisTrustedFlagger, M.BasisOrder];

    private sealed record Cut(string Code, bool IsOther, Func<RollupFactRow, bool> Where);

    public static IReadOnlyList<ReportFile> Build(PeriodFacts f, PolicyCatalogue catalogue, string service, TransparencyOptions options, RecordCounts orders,
        RecordCounts notices, DateTimeOffset now, int version, IReadOnlyDictionary<string, string>? texts = null)
    {
        var period = f.Period.ToString();
        var map = (catalogue.Policies ?? []).ToDictionary(p => p.Id!, p => (Category: p.DsaCategory!, Keywords: (IReadOnlyList<string>)(p.DsaKeywords ?? [])), StringComparer.Ordinal);
        var reported = f.Facts.Select(x => x.Policy).Where(p => p != M.None).Distinct().Order(StringComparer.Ordinal).ToList();
        var unmapped = reported.Where(p => !map.ContainsKey(p)).ToList();
        if (unmapped.Count > 0)
            throw new ReportRefusedException(ReportRefusedException.Invalid,
                $"policies {string.Join(", ", unmapped)} have records in {period} but no DSA category in the policy catalogue in force; restore them in the catalogue (with dsaCategory and dsaKeywords) to report the period");
        // Policies whose statement category has no row in the template (the statements' vocabulary is older) count in TOTAL only.
        var outside = reported.Where(p => !DsaTemplate.Codes.Contains(map[p].Category)).ToList();
        var outsideNote = outside.Count == 0 ? "" : $" Policies {string.Join(", ", outside)} map to statement categories that the template has no row for; their measures count in TOTAL only.";
        string[] Row(string applicability, params string[] rest) => [applicability, service, period, .. rest];
        bool InCategory(string policy, string category) => map.TryGetValue(policy, out var m) && m.Category == category;
        bool InKeyword(string policy, string category, string keyword) => map.TryGetValue(policy, out var m) && m.Category == category && m.Keywords.Contains(keyword);
        // TOTAL, then every category followed by its keywords (KEYWORD_OTHER last); a measure under a policy with two keywords is in both keyword rows.
        IEnumerable<Cut> Cuts(IEnumerable<DsaTemplate.Category> categories) =>
            new[] { new Cut("TOTAL", false, _ => true) }.Concat(categories.SelectMany(c =>
                c.Keywords.Select(k => new Cut(k.Code, k.Code == DsaTemplate.Other, x => InKeyword(x.Policy, c.Code, k.Code)))
                    .Prepend(new Cut(c.Code, false, x => InCategory(x.Policy, c.Code)))));
        string N(long v) => Csv.Number(v);
        texts ??= options.Qualitative;
        string Q(string key) => texts.TryGetValue(key, out var v) ? v : "";
        string WithText(string generated, string key) => Q(key) is { Length: > 0 } t ? t + " " + generated : generated;
        var files = new List<ReportFile>();

        // 1. Report identification.
        files.Add(new(FileNames[0], "text/csv", Csv.Bytes(["Applicability", "Service", "Indicator", "Value"],
        [
            [All, service, "Name of the service provider", string.IsNullOrWhiteSpace(options.ProviderName) ? service : options.ProviderName],
            [All, service, "Date of the publication of the report", now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
            [All, service, "Date of the publication of the latest previous report", ""],
            [All, service, "Starting date of reporting period", f.Period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
            [All, service, "Ending date of reporting period", f.Period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
            [All, service, "Report version", version.ToString(CultureInfo.InvariantCulture)],
            [All, service, "Template", TemplateVersion],
            [All, service, "Time unit of medians", "hours (decimal)"],
        ])));

        // 2. Category names: the template's tree, with the Bulwark policies that map to each entry.
        string Policies(Func<string, bool> where) => reported.Concat(map.Keys).Distinct().Where(where).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } ps ? "Bulwark policies: " + string.Join(", ", ps) + "." : "";
        var names = new List<string[]> { new[] { "TOTAL", "All the entries", "TOTAL", "Bulwark's policies map to these categories in the policy catalogue (dsaCategory, dsaKeywords), the same mapping its statements of reasons use." + outsideNote } };
        foreach (var (c, i) in DsaTemplate.Categories.Select((c, i) => (c, i + 1)))
        {
            names.Add([$"Category {i}", c.Label, c.Code, Policies(p => InCategory(p, c.Code))]);
            names.AddRange(c.Keywords.Select((k, j) => new[] { $"Category {i}{(char)('a' + j)}", k.Label, k.Code, Policies(p => InKeyword(p, c.Code, k.Code)) }));
        }
        names.Add(["Category 16", DsaTemplate.NotSpecifiedOrder.Label, DsaTemplate.NotSpecifiedOrder.Code, ""]);
        names.Add(["Category 17", DsaTemplate.NotSpecifiedNotice.Label, DsaTemplate.NotSpecifiedNotice.Code, ""]);
        files.Add(new(FileNames[1], "text/csv", Csv.Bytes(["Category label", "Category description", "Category of illegal content / incompatible with the terms and conditions", "Contextual information"], names)));

        // 3. Member State orders (Art. 9 and 10), from the authorities stage: by category (scope TOTAL), then by Member State.
        string[] orderColumns = ["Number of orders to act against illegal content received", "Number of specific items of information included in the total number of orders to act against illegal content",
            "Median time to inform the authority of the receipt of the order to act against illegal content", "Median time to give effect to the order to act against illegal content",
            "Number of orders to provide information", "Median time to inform the authority of the receipt of the order to provide information", "Median time to give effect to the order to provide information"];
        string[] OrderRow(string category, string scope, string acts, string info, bool total) =>
            Row(All, [category, "", scope, acts, "", "", total ? Csv.Number(orders.MedianHours) : "", info, "", "",
                total ? WithText(orders.Context, "orders.context") : "", total ? "Not recorded: orders name their items, but Bulwark does not count them per order." : "",
                total ? "Not recorded: Bulwark records when an order was received and executed, not when its receipt was confirmed." : "",
                total ? "Hours (decimal), from receipt to execution." : "", total ? orders.Context : "", "", ""]);
        var orderRows = Cuts(DsaTemplate.Illegal).Append(new Cut(DsaTemplate.NotSpecifiedOrder.Code, false, _ => false))
            .Select(c => OrderRow(c.Code, "TOTAL", N(orders[c.Code == "TOTAL" ? "orders_to_act" : $"orders_to_act:{c.Code}"]),
                N(orders[c.Code == "TOTAL" ? "orders_to_provide_information" : $"orders_to_provide_information:{c.Code}"]), c.Code == "TOTAL"))
            .Concat(SorVocabulary.EuropeanCountries.Select(ms => OrderRow("TOTAL", ms, N(orders[$"orders_to_act:{ms}"]), N(orders[$"orders_to_provide_information:{ms}"]), false)));
        files.Add(new(FileNames[2], "text/csv", Csv.Bytes(["Applicability", "Service", "Reporting period", "Category of illegal content", OtherDescription, "Scope", .. orderColumns,
            .. orderColumns.Select((c, i) => ContextOn(i < 2 ? "n" + c[1..] : c))], orderRows)));

        // 4. Notices (Art. 16), from the notices stage.
        var onNotices = f.Sum(M.Measure(M.BasisNotice, M.Restrictions)) + f.Sum(M.Measure(M.BasisTrustedFlagger, M.Restrictions));
        var noticeContext = WithText(notices.Context, "notices.context") + $" In this period {onNotices} restriction(s) followed content sent as a user report, {f.Sum(M.Measure(M.BasisTrustedFlagger, M.Restrictions))} of them from trusted flaggers."
            + " Bulwark does not record the category a notifier chose: a notice counts under the category of the policy found broken, and a notice without action in TOTAL only.";
        string[] noticeColumns = ["Number of notices received", "Number of notices received from Trusted flaggers", "Number of specific items of information included in the total number of notices",
            "Number of specific items of information included in the total number of notices by Trusted Flaggers (Trusted Flagger notices)", "Median time to take action",
            "Median time to take action (Trusted Flagger notices)", "Number of actions taken on the basis of the law", "Number of actions taken on the basis of the law (Trusted Flagger notices)",
            "Number of actions taken on the basis of the terms and conditions of the service", "Number of actions taken on the basis of the terms and conditions of the service (Trusted Flagger notices)"];
        files.Add(new(FileNames[3], "text/csv", Csv.Bytes(["Applicability", "Service", "Reporting period", "Category of illegal content", OtherDescription, .. noticeColumns, .. noticeColumns.Select(ContextOn)],
            Cuts(DsaTemplate.Illegal).Append(new Cut(DsaTemplate.NotSpecifiedNotice.Code, false, _ => false)).Select(c =>
            {
                var total = c.Code == "TOTAL";
                string Count(string key) => c.Code == DsaTemplate.NotSpecifiedNotice.Code ? "0" : N(notices[total ? key : $"{key}:{c.Code}"]);
                string CountTf(string key) => c.Code == DsaTemplate.NotSpecifiedNotice.Code ? "0" : N(notices[total ? $"{key}:trusted_flagger" : $"{key}:trusted_flagger:{c.Code}"]);
                return Row(Hosting, [c.Code, "", Count("notices"), CountTf("notices"), Count("notices"), CountTf("notices"), total ? Csv.Number(notices.MedianHours) : "", "", "0", "0", Count("notices_actioned"), "",
                    total ? noticeContext : "", "", total ? "Each notice names one item (a content id or a URL)." : "", "", total ? "Hours (decimal), from receipt to the decision on the notice." : "",
                    total ? "Not split by notifier type." : "", total ? "Bulwark decides notices under the terms and conditions; no action is recorded on the basis of the law alone." : "", "",
                    total ? "Notices whose decision found a violation of a policy (action taken)." : "", total ? "Not split by notifier type." : ""]);
            }))));

        // 5. and 6. Own-initiative measures, on the ground of illegality (none) and of the terms and conditions.
        string[] measureColumns = ["Number of measures taken at the provider's own initiative", "Number of measures taken after detection with solely automated means", .. MeasureColumns.Select(c => c.Column)];
        string[] MeasureHeader(string category) => ["Applicability", "Service", "Reporting period", category, OtherDescription, .. measureColumns, .. measureColumns.Select(c => "Contextual Information on " + c)];
        const string b = M.BasisOwnInitiative;
        files.Add(new(FileNames[4], "text/csv", Csv.Bytes(MeasureHeader("Category of illegal content"), Cuts(DsaTemplate.Illegal).Select(c => Row(All,
        [
            c.Code, "", .. measureColumns.Select(_ => "0"),
            c.Code == "TOTAL" ? "Bulwark's policies apply the terms and conditions (decision ground DECISION_GROUND_INCOMPATIBLE_CONTENT, as in its statements of reasons); no own-initiative measure is taken on the ground of illegality, so this table is zero. Content that is also illegal is flagged in the statements (incompatible_content_illegal)." : "",
            .. measureColumns.Skip(1).Select(_ => ""),
        ])))));
        files.Add(new(FileNames[5], "text/csv", Csv.Bytes(MeasureHeader("Category of incompatibility with the provider's terms and conditions"), Cuts(DsaTemplate.Categories).Select(c => Row(All,
        [
            c.Code, "", N(f.Sum(M.Measure(b, M.Restrictions), c.Where)), N(f.Sum(M.Measure(b, M.DetectionAutomated), c.Where)),
            .. MeasureColumns.Select(m => m.Measure is null ? "0" : N(f.Sum(M.Measure(b, m.Measure), c.Where))),
            c.Code == "TOTAL" ? "Restrictions decided on Bulwark's own detection (the content came as an upload or a partner alert, not a notice or an order). One decision can take several measures (e.g. removal and account termination), so the measure columns can add up to more than this number. Keyword rows count a measure under each keyword of its policy." + outsideNote : "",
            c.Code == "TOTAL" ? "Every own-initiative restriction was flagged by the pipeline's automated detection; whether a person then confirmed it is in table 8." : "",
            .. MeasureColumns.Select(m => c.Code == "TOTAL" && m.Measure is null ? "Bulwark takes no such measure." : ""),
        ])))));

        // 7. Complaints (Art. 20), out-of-court disputes (Art. 21) and suspensions (Art. 23).
        string[] LongHeader(bool context) => ["Applicability", "Service", "Reporting period", "Section", "Indicator", "Scope", "Value", .. context ? new[] { "Contextual Information" } : []];
        const string complaints = "Internal complaints mechanism";
        const string submitted = "Number of complaints submitted to the internal-complaints mechanism";
        var appealsContext = WithText("Received and decided are counted on the day each happened, so complaints decided in the period may have been received before it.", "complaints.context");
        var t7 = new List<string[]>
        {
            Row(All, complaints, submitted, "Total number", N(f.Sum(M.AppealsSubmitted)), appealsContext),
            Row(Platforms, complaints, submitted, "Decisions upheld", N(f.Sum(M.AppealsUpheld)), ""),
            Row(Platforms, complaints, submitted, "Decisions partially reversed", "0", "Bulwark's appeal outcomes are upheld or reversed."),
            Row(Platforms, complaints, submitted, "Decisions reversed", N(f.Sum(M.AppealsReversed)), ""),
            Row(Platforms, complaints, submitted, "Median time", Csv.Number(f.MedianHours(M.DurationAppeal)), "Hours (decimal), from receipt to decision."),
            Row(Platforms, complaints, submitted, "Decision omitted", N(Math.Max(0, f.Sum(M.AppealsSubmitted) - f.Sum(M.AppealsDecided))), "Complaints received in the period that were not decided in it (counted by day: received minus decided)."),
            Row(Platforms, complaints, "Number of restrictions newly imposed as a result of an internal complaint", "Total number", "0", "Not recorded: Bulwark's appeals are against restrictions; a restriction that follows a complaint about no action is a new decision."),
        };
        foreach (var kind in new[] { "Complaint regarding a decision to remove or disable access to or restrict visibility of information", "Complaint regarding a decision to suspend or terminate the provision of the service",
                     "Complaint regarding a decision to suspend or terminate an account", "Complaint regarding a decision to restrict the ability to monetise information",
                     "Complaint regarding a decision not to take action on a notice submitted in accordance with Article 16", "Complaint regarding a decision not to take action on a notice submitted by a Trusted Flagger in accordance with Article 16" })
            foreach (var scope in new[] { "Total number", "Decisions upheld", "Decisions partially reversed", "Decisions reversed", "Median time" })
                t7.Add(Row(Platforms, complaints, kind, scope, "", scope == "Total number" ? "Not broken down: complaints are rolled up by policy, not by the type of decision complained about; see the totals above." : ""));
        const string disputes = "Number of disputes submitted to out-of-court dispute settlement bodies";
        foreach (var scope in new[] { "Total number", "Decisions upheld", "Decisions partially reversed", "Decisions reversed", "Median time", "Decision omitted", "Percentage of outcomes implemented" })
            t7.Add(Row(Platforms, "Out-of-court dispute settlement bodies", disputes, scope, scope == "Total number" ? "0" : "", scope == "Total number" ? "No records of this kind yet: Bulwark does not record out-of-court disputes, so this is zero, not a count." : ""));
        const string suspensions = "Suspensions imposed on repeated offenders";
        t7.Add(Row(Platforms, suspensions, "Number of suspensions enacted for the provision of manifestly illegal content", "Total number", N(f.Sum(M.AccountsSuspended) + f.Sum(M.AccountsBanned)),
            $"Account suspensions ({f.Sum(M.AccountsSuspended)}) and terminations ({f.Sum(M.AccountsBanned)}) for repeated or zero-tolerance violations of the terms (strikes); Bulwark does not assess manifest illegality separately."));
        t7.Add(Row(Platforms, suspensions, "Number of suspensions enacted for the provision of manifestly unfounded notices", "Total number", N(notices["suspended_notifiers"]), notices.Context));
        t7.Add(Row(Platforms, suspensions, "Number of suspensions enacted for the provision of manifestly unfounded complaints", "Total number", "0", "Not recorded: Bulwark does not suspend complainants."));
        files.Add(new(FileNames[6], "text/csv", Csv.Bytes(LongHeader(true), t7)));

        // 8. Automated means: decisions taken solely by automated means, and their accuracy from blind QA re-reviews.
        const string automatedSection = "Use of automated means for content moderation";
        long Sum(string what, params string[] bases) => bases.Sum(x => f.Sum(M.Measure(x, what)));
        var accuracy = DetectorAccuracy.From(f, options.MinQaSamples).ToDictionary(a => a.Detector);
        var detectors = KnownDetectors.Concat(accuracy.Keys.Where(k => !KnownDetectors.Contains(k)).Order(StringComparer.Ordinal)).ToList();
        var pooled = DetectorAccuracy.Of("all", accuracy.Values.Sum(a => a.Samples), accuracy.Values.Sum(a => a.Agreed), options.MinQaSamples);
        var byDetector = string.Join("; ", detectors.Select(d =>
        {
            var a = accuracy.GetValueOrDefault(d) ?? DetectorAccuracy.Of(d, 0, 0, options.MinQaSamples);
            return a.Enough
                ? $"{d}: {a.Samples} blind QA re-review(s), {a.Agreed} agreed, accuracy {Csv.Number(a.Rate, 4)} (95 % Wilson interval {Csv.Number(a.Low, 4)}–{Csv.Number(a.High, 4)})"
                : $"{d}: {a.Samples} blind QA re-review(s), {a.Agreed} agreed, too few samples (fewer than {options.MinQaSamples}) to state an accuracy";
        }));
        var accuracyContext = (pooled.Enough
            ? $"The share of {pooled.Samples} blind QA re-reviews of automated restrictions that agreed, pooled over detectors (a restriction two detectors fired counts under each); "
            : $"Too few samples: {pooled.Samples} blind QA re-review(s), fewer than the {options.MinQaSamples} needed to state an accuracy; ") + "by detector: " + byDetector + ".";
        var t8 = new List<string[]>();
        foreach (var (scope, bases) in new[] { ("Total number", Bases), ("Own-initiative", new[] { M.BasisOwnInitiative }) })
        {
            t8.Add(Row(All, automatedSection, "Number of measures solely taken by automated means", scope, N(Sum("AUTOMATED_DECISION_FULLY", bases)), "Restrictions the pipeline decided without a person (AUTOMATED_DECISION_FULLY in the statements of reasons)."));
            t8.Add(Row(All, automatedSection, "Number of measures not taken by automated means", scope, N(Sum("AUTOMATED_DECISION_PARTIALLY", bases)), "Restrictions a person confirmed after automated detection (AUTOMATED_DECISION_PARTIALLY)."));
            t8.Add(Row(All, automatedSection, "Accuracy of the automated means - Accuracy", scope, Csv.Number(pooled.Rate, 4), accuracyContext));
            t8.Add(Row(All, automatedSection, "Accuracy of the automated means - Precision", scope, Csv.Number(pooled.Rate, 4), "A re-review sees only what automation restricted, so its agreement rate is also the precision of those restrictions."));
            t8.Add(Row(All, automatedSection, "Accuracy of the automated means - Recall", scope, "", "Not measured: re-reviews only see what automation restricted."));
        }
        foreach (var (applicability, scope, key) in new[] { (Hosting, "NAM Total", "notices"), (Platforms, "NAM Trusted Flagger", "notices:trusted_flagger") })
        {
            t8.Add(Row(applicability, automatedSection, "Number of notices solely processed by automated means", scope, "0", "Every notice is decided by a person."));
            t8.Add(Row(applicability, automatedSection, "Number of notices not processed by automated means", scope, N(notices[key]), ""));
            foreach (var a in new[] { "Accuracy", "Precision", "Recall" })
                t8.Add(Row(applicability, automatedSection, "Accuracy of the automated means - " + a, scope, "", "Not applicable: no notice is processed by automated means."));
        }
        files.Add(new(FileNames[7], "text/csv", Csv.Bytes(LongHeader(true), t8)));

        // 9. Human resources (Art. 42(2)(a)–(b)) and 10. average monthly active recipients (Art. 42(3)), as a policy admin wrote them.
        const string hr = "Human resources dedicated to content moderation";
        string NotWritten(string key) => Q(key).Length == 0 ? $"Not written for this period (console: Reports → Qualitative texts) nor configured (Bulwark:Transparency:Qualitative:{key})." : "";
        files.Add(new(FileNames[8], "text/csv", Csv.Bytes([.. LongHeader(false), "Contextual information"],
        [
            Row(Vlops, hr, "Number of internal moderators employed by the provider", "Total number", Q("hr.moderators"), NotWritten("hr.moderators")),
            Row(Vlops, hr, "Number of external moderators contracted by the provider", "Total number", "", "Not recorded separately from the internal figure."),
            Row(Vlops, hr, "Number of total moderators with sufficient linguistic expertise", "Total number", "",
                Q("hr.languages").Length > 0 ? "Official EU languages covered: " + Q("hr.languages") : NotWritten("hr.languages")),
        ])));
        const string amar = "Number of average monthly active recipients during the reporting period";
        files.Add(new(FileNames[9], "text/csv", Csv.Bytes(LongHeader(false),
            SorVocabulary.EuropeanCountries.Where(c => c is not ("IS" or "LI" or "NO")).Select(ms => Row(VlopsVloses, "AMAR", amar, ms, ""))
                .Prepend(Row(VlopsVloses, "AMAR", amar, "TOTAL", Q("recipients.monthly_active"))))));

        // 11. Qualitative template.
        var qualitative = new List<string[]>
        {
            Row(All, "Summary of the content moderation engaged in at the providers’ own initiative", Q("summary.own_initiative")),
            Row(All, "Meaningful and comprehensible information regarding content moderation engaged in at the providers' own initiative", ""),
            Row(All, "Qualitative description of the automated means", Q("automated.description")),
            Row(All, "Qualitative description of indicators of accuracy and possible rate of error of automated means",
                $"Accuracy is the share of blind re-reviews by a person, of a sample of automated restrictions, that agree with the restriction, per detector, with a 95 % Wilson score interval; a detector with fewer than {options.MinQaSamples} re-reviews in the period is reported without a figure. Recall is not measured."),
            Row(All, "Specification of the precise purposes to apply automated means", Q("automated.purposes")),
            Row(All, "Safeguards applied to the use of automated means", Q("automated.safeguards")),
            Row(Vlops, "High-level description of the content moderation governance structure", ""),
            Row(Vlops, "Qualifications of the human resources dedicated to content moderation", Q("hr.qualifications")),
            Row(Vlops, "Training given to human resources dedicated to content moderation", Q("moderators.training")),
            Row(Vlops, "Support given to human resources dedicated to content moderation", ""),
            Row(Vlops, "Methodology used to compute the number of human resources dedicated to content moderation", ""),
        };
        if (Q("other").Length > 0) qualitative.Add(Row(All, "Any other information", Q("other")));
        files.Add(new(FileNames[10], "text/csv", Csv.Bytes(["Applicability", "Service", "Reporting period", "Indicator", "Value"], qualitative)));
        return files;
    }

    private static string ContextOn(string column) => "Contextual information on " + column;
}
