using System.Text;
using System.Text.Json;
using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Reports.Transparency.KnownHistory;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>
/// The known quarter (<see cref="KnownHistory"/>) through the rollup job and the three reports, on both providers: every
/// number is asserted, totals agree across reports, every figure traces to its records, and rolling up again changes nothing.
/// </summary>
public class ReconciliationTests
{
    private static readonly ReportPeriod Q2 = new(new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Every_number_of_the_three_reports_comes_from_the_known_history_and_they_agree(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, KnownHistory.Settings);
        var h = new KnownHistory(core);
        var rollups = core.Get<TransparencyRollups>();
        var reports = core.Get<TransparencyReports>();

        await h.WriteQuarterAsync(async () =>
        {
            // Mid-quarter run just after midnight on 11 May: every day from 30 March to 10 May is folded.
            var mid = await rollups.RunAsync(default);
            Assert.Equal((new DateOnly(2026, 3, 30), new DateOnly(2026, 5, 10)), (mid.FirstDay, mid.LastDay));
            // A transaction that committed late, stamped 23:58 on 10 May: the next run folds 10 May again (overlap window).
            await h.UploadAsync("late", "comment", "acct-de", "upload", 0, createdAt: At(5, 10, 23, 58));
            h.Advance(At(5, 11, 0, 20));
            var again = await rollups.RunAsync(default);
            Assert.Equal((1, new DateOnly(2026, 5, 10)), (again.DaysComputed, again.FirstDay));
        });
        var final = await rollups.RunAsync(default);
        Assert.Equal((new DateOnly(2026, 5, 11), new DateOnly(2026, 7, 1)), (final.FirstDay, final.LastDay));
        Assert.Equal(0, (await rollups.RunAsync(default)).DaysComputed);

        // CGER over Q2 (derived by hand from KnownHistory's comments).
        var cger = await reports.CgerAsync(Q2, default);
        Assert.Equal((9L, 5L), (cger.Uploads, cger.VideoUploads));
        Assert.Equal(new CgerRow("TOTAL", Removed: 4, Videos: 3, Proactive: 2, ZeroViews: 2, ViewsUnknown: 1, Within24h: 3, Automated: 3, Restored: 1), cger.Total);
        Assert.Equal(4.0 / 9, cger.RemovedShareOfUploads);
        Assert.Equal(["VE-THREAT:1", "VE-DOI:1", "VE-GLORIFY:1", "VE-INSTRUCT:1"], cger.ByPolicy.Select(r => $"{r.Key}:{r.Removed}"));
        Assert.Equal(["IT:2", "DE:1", "FR:1", "other:0"], cger.ByMarket.Select(r => $"{r.Key}:{r.Removed}"));
        Assert.Equal(new CgerRow("FR", 1, 1, 0, 0, 1, 1, 1, 1), cger.ByMarket[2]);
        Assert.Equal(["VE-DOI/doi-known-media:1", "VE-GLORIFY/human-review:1", "VE-INSTRUCT/instruct-classifier:1", "VE-THREAT/threat-credible:1"],
            cger.ByRule.Select(r => $"{r.Key}:{r.Removed}"));
        Assert.Equal((1L, 1L, 1L), (cger.Accounts.Banned, cger.Accounts.Suspended, cger.Accounts.BannedByBasis.Single(k => k.Key == TransparencyMetrics.BanZeroTolerance).Value));
        Assert.Equal(new CgerAppeals(Submitted: 2, Decided: 2, Upheld: 1, Reversed: 1, MedianHoursToDecide: 30.0), cger.Appeals);
        Assert.Equal((4L, 1.0, 1L), (cger.ViolentExtremismRemoved, cger.ViolentExtremismShare, cger.ContentRestrictedWithoutRemoval));

        // DSA over Q2: the own-initiative table counts decisions 1, 4 and 5 (uploads); the notice table's context the other two.
        var dsa = await reports.BuildAsync(ReportKinds.Dsa, Q2, "Example Video", false, default);
        Assert.Equal(DsaReport.FileNames, dsa.Files.Select(f => f.Name));
        var t6 = Table(dsa, "6_");
        var total = Row(t6, "TOTAL");
        Assert.Equal(["Applicability", "Service", "Reporting period", "Category of incompatibility with the provider's terms and conditions"], t6.Header[..4]);
        Assert.Equal(("Example Video", "2026-04-01/2026-06-30"), (total["Service"], total["Reporting period"]));
        Assert.Equal(("2", "1", "1", "0", "3", "3"), (total["Visibility restriction Removal"], total["Visibility restriction Age restricted"],
            total["Account restriction Suspension"], total["Account restriction Termination"], total["Number of measures taken at the provider's own initiative"],
            total["Number of measures taken after detection with solely automated means"]));
        Assert.Equal("3", Row(t6, "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY")["Number of measures taken at the provider's own initiative"]);
        Assert.Equal("0", Row(t6, "STATEMENT_CATEGORY_VIOLENCE")["Number of measures taken at the provider's own initiative"]);
        Assert.Equal(("3", "1"), (Row(t6, "KEYWORD_TERRORIST_CONTENT")["Number of measures taken at the provider's own initiative"],
            Row(t6, "KEYWORD_ILLEGAL_ORGANIZATIONS")["Number of measures taken at the provider's own initiative"]));
        // TOTAL, then 15 categories, each with its keywords and its KEYWORD_OTHER (so KEYWORD_OTHER repeats: Row() is not used for it).
        Assert.Equal(1 + DsaTemplate.Categories.Sum(c => 1 + c.Keywords.Count), t6.Rows.Count);
        Assert.Equal(15, t6.Rows.Count(r => r[t6.Header[3]] == DsaTemplate.Other));
        Assert.All(Table(dsa, "5_").Rows, r => Assert.Equal("0", r["Number of measures taken at the provider's own initiative"]));
        var t4 = Row(Table(dsa, "4_"), "TOTAL");
        Assert.Contains("2 restriction(s) followed content sent as a user report, 1 of them from trusted flaggers", t4["Contextual information on Number of notices received"]);
        Assert.Equal("0", t4["Number of notices received"]);
        // Member State orders come from the authorities stage (issue 18): none were received in this scenario.
        var t3 = Table(dsa, "3_");
        var orders = t3.Rows.Single(r => r["Category of illegal content"] == "TOTAL" && r["Scope"] == "TOTAL");
        Assert.Contains("Removal orders received", orders["Contextual information on number of orders to act against illegal content received"]);
        Assert.Equal("0", orders["Number of orders to act against illegal content received"]);
        var t7 = Table(dsa, "7_");
        string Indicator(CsvTable t, string indicator, string scope) => t.Rows.Single(r => r["Indicator"] == indicator && r["Scope"] == scope)["Value"];
        const string complaints = "Number of complaints submitted to the internal-complaints mechanism";
        Assert.Equal(("2", "1", "1", "30.0", "0"), (Indicator(t7, complaints, "Total number"), Indicator(t7, complaints, "Decisions upheld"),
            Indicator(t7, complaints, "Decisions reversed"), Indicator(t7, complaints, "Median time"), Indicator(t7, complaints, "Decision omitted")));
        Assert.Equal("2", Indicator(t7, "Number of suspensions enacted for the provision of manifestly illegal content", "Total number"));
        var t8 = Table(dsa, "8_");
        // Four restrictions decided by the pipeline alone (three on its own detection, one on a trusted flagger's report); one confirmed by a person.
        Assert.Equal(("4", "3", "1"), (Indicator(t8, "Number of measures solely taken by automated means", "Total number"),
            Indicator(t8, "Number of measures solely taken by automated means", "Own-initiative"), Indicator(t8, "Number of measures not taken by automated means", "Total number")));
        // Two QA re-reviews, fewer than the minimum: no accuracy is stated, and the context says so per detector.
        Assert.Equal("", Indicator(t8, "Accuracy of the automated means - Accuracy", "Total number"));
        var accuracy = t8.Rows.First(r => r["Indicator"] == "Accuracy of the automated means - Accuracy")["Contextual Information"];
        Assert.StartsWith("Too few samples: 2 blind QA re-review(s)", accuracy);
        Assert.Contains("known-content: 1 blind QA re-review(s), 1 agreed, too few samples", accuracy);
        Assert.Contains("classifier.threat: 1 blind QA re-review(s), 0 agreed", accuracy);
        Assert.Contains("entity-screening: 0 blind QA re-review(s)", accuracy);
        Assert.Equal("Applicability", Table(dsa, "1_").Header[0]);

        // Totals agree: CGER proactive removals are the DSA own-initiative removals; appeals are complaints.
        Assert.Equal(cger.Total.Proactive.ToString(), total["Visibility restriction Removal"]);
        Assert.Equal(cger.Appeals.Submitted.ToString(), Indicator(t7, complaints, "Total number"));

        // Every figure traces to its records, and they add up to the rollups.
        var explained = await reports.ExplainAsync(Q2, TransparencyMetrics.ContentRemoved, default);
        Assert.True(explained.Reconciled);
        Assert.Equal([$"decision:{h.D1}", $"decision:{h.D2}", $"decision:{h.D3}", $"decision:{h.D5}"], explained.Records.Select(r => r.Record).Order());
        Assert.Equal([$"decision:{h.D3}"], (await reports.ExplainAsync(Q2, TransparencyMetrics.RestoredAfterAppeal, default)).Records.Select(r => r.Record));
        await Assert.ThrowsAsync<ReportRefusedException>(() => reports.ExplainAsync(Q2, "no_such_metric", default));

        // The year: TCO's items agree with the CGER over the same year (which adds the removals of 31 March and 1 July).
        h.Advance(new DateTimeOffset(2027, 1, 1, 1, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 12, 31), (await rollups.RunAsync(default)).LastDay);
        var year = ReportPeriod.Year(2026);
        var cgerYear = await reports.CgerAsync(year, default);
        var tco = JsonDocument.Parse((await reports.BuildAsync(ReportKinds.Tco, year, null, false, default)).Files.Single(f => f.Name == "tco.json").Content).RootElement;
        long? Item(string id) => tco.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id).GetProperty("count") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : null;
        Assert.Equal((6L, 6L), (cgerYear.Total.Removed, Item("1")!.Value));
        Assert.Equal(3L, Item("2")); // pre-q, v1, post-q: hash matches
        Assert.Equal((0L, 0L, 0L), (Item("3")!.Value, Item("4")!.Value, Item("6")!.Value));
        Assert.Equal((cgerYear.Appeals.Submitted, cgerYear.Total.Restored), (Item("5")!.Value, Item("7")!.Value));
        Assert.Equal((2L, 1L), (Item("5")!.Value, Item("7")!.Value));

        // Idempotent: folding every day again leaves exactly the same rows.
        var before = await SnapshotAsync(core);
        Assert.Equal(277, await rollups.RebuildAsync(new DateOnly(2026, 3, 30), new DateOnly(2026, 12, 31), default));
        Assert.Equal(before, await SnapshotAsync(core));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_empty_period_has_every_row_at_zero_and_bad_periods_are_refused_by_name(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, KnownHistory.Settings);
        var h = new KnownHistory(core);
        await h.WriteQuarterAsync();
        var rollups = core.Get<TransparencyRollups>();
        var reports = core.Get<TransparencyReports>();
        await rollups.RunAsync(default);

        // 10–12 June: nothing happened. Every row is there, with zeros.
        var quiet = new ReportPeriod(new DateOnly(2026, 6, 10), new DateOnly(2026, 6, 12));
        var cger = await reports.CgerAsync(quiet, default);
        Assert.Equal(new CgerRow("TOTAL", 0, 0, 0, 0, 0, 0, 0, 0), cger.Total);
        Assert.Equal(4, cger.ByPolicy.Count);
        Assert.All(cger.ByPolicy, r => Assert.Equal(0, r.Removed));
        Assert.Null(cger.RemovedShareOfUploads);
        var dsa = await reports.BuildAsync(ReportKinds.Dsa, quiet, null, false, default);
        Assert.Equal(11, dsa.Files.Count);
        var t6 = Table(dsa, "6_");
        Assert.Equal(1 + DsaTemplate.Categories.Sum(c => 1 + c.Keywords.Count), t6.Rows.Count);
        Assert.All(t6.Rows, r => Assert.Equal("0", r["Number of measures taken at the provider's own initiative"]));
        Assert.Equal("Bulwark demo platform", Row(t6, "TOTAL")["Service"]);

        // The period reaching today (2 July) has days without rollups: refused, naming them.
        var open = new ReportPeriod(new DateOnly(2026, 6, 29), new DateOnly(2026, 7, 4));
        var refused = await Assert.ThrowsAsync<ReportRefusedException>(() => reports.CgerAsync(open, default));
        Assert.Equal(ReportRefusedException.Incomplete, refused.Kind);
        Assert.Contains("2026-07-02..2026-07-04", refused.Message);
        Assert.Contains("3 day(s)", refused.Message);

        Assert.Contains("inverted", ReportPeriod.Parse("2026-06-30/2026-04-01").Error);
        Assert.Contains("START/END", ReportPeriod.Parse("2026-06-30").Error);
        Assert.Contains("not a date", ReportPeriod.Of("2026-02-30", "2026-03-01").Error);
    }

    private static async Task<string> SnapshotAsync(CoreServices core)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var facts = await db.Set<RollupFactRow>().AsNoTracking().ToListAsync();
        var durations = await db.Set<RollupDurationRow>().AsNoTracking().ToListAsync();
        return string.Join("\n", facts.Select(f => $"{f.Day:yyyy-MM-dd}|{f.Market}|{f.Policy}|{f.SubPolicy}|{f.Metric}|{f.Value}")
            .Concat(durations.Select(d => $"{d.Day:yyyy-MM-dd}|{d.Kind}|{d.Policy}|{d.Tenths}|{d.Count}")).Order(StringComparer.Ordinal));
    }

    public sealed record CsvTable(string[] Header, List<Dictionary<string, string>> Rows);

    public static CsvTable Table(ReportBundle bundle, string prefix) => Parse(bundle.Files.Single(f => f.Name.StartsWith(prefix, StringComparison.Ordinal)).Content);

    public static Dictionary<string, string> Row(CsvTable t, string first) => t.Rows.Single(r => r[t.Header[3]] == first);

    public static CsvTable Parse(byte[] content)
    {
        var lines = ParseLines(Encoding.UTF8.GetString(content));
        var header = lines[0].ToArray();
        return new CsvTable(header, lines.Skip(1).Select(l => header.Select((h, i) => (h, v: i < l.Count ? l[i] : "")).ToDictionary(x => x.h, x => x.v)).ToList());
    }

    /// <summary>A plain RFC 4180 reader (quoted fields, doubled quotes, CRLF).</summary>
    public static List<List<string>> ParseLines(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }
}
