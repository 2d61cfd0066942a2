using System.CommandLine;
using System.Globalization;
using Bulwark.Core.Reports.Transparency;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>reports cger|dsa|tco</c> write a transparency report's files into a folder; <c>reports rollup</c> folds ended days into
/// the rollups the reports read; <c>reports draft|publish|list</c> keep published versions.
/// </summary>
public static class ReportsCommands
{
    public static Command Create(Option<string?> config)
    {
        var explain = new Option<string?>("--explain") { Description = "Instead of writing files, list every record a metric counts (e.g. content_removed) and check it against the rollups." };
        var noPdf = new Option<bool>("--no-pdf") { Description = "Skip the PDFs (they need Debian's chromium)." };

        var from = new Option<string>("--from") { Description = "First day (YYYY-MM-DD, UTC).", Required = true };
        var to = new Option<string>("--to") { Description = "Last day, inclusive (YYYY-MM-DD, UTC).", Required = true };
        var cgerOut = Out();
        var cger = new Command("cger", "Community Guidelines Enforcement Report: CSV (fact table and summaries), JSON, HTML and PDF in English and Italian.") { from, to, cgerOut, explain, noPdf };
        cger.SetAction(async (parse, ct) =>
        {
            var period = Period(ReportPeriod.Of(parse.GetValue(from), parse.GetValue(to)));
            return await RunAsync(parse.GetValue(config), ReportKinds.Cger, period, null, parse.GetValue(cgerOut), parse.GetValue(explain), !parse.GetValue(noPdf), ct);
        });

        var periodOption = new Option<string>("--period") { Description = "START/END, e.g. 2026-01-01/2026-06-30 (inclusive, UTC).", Required = true };
        var service = new Option<string?>("--service") { Description = "The service reported on (default: Bulwark:Transparency:ServiceName)." };
        var dsaOut = Out();
        var dsa = new Command("dsa", "DSA harmonised transparency report (Implementing Regulation (EU) 2024/2835): 1_report_identification.csv … 11_qualitative.csv.") { periodOption, service, dsaOut, explain };
        dsa.SetAction(async (parse, ct) =>
            await RunAsync(parse.GetValue(config), ReportKinds.Dsa, Period(ReportPeriod.Parse(parse.GetValue(periodOption))), parse.GetValue(service), parse.GetValue(dsaOut), parse.GetValue(explain), false, ct));

        var year = new Option<int>("--year") { Description = "The calendar year reported on.", Required = true };
        var tcoOut = Out();
        var tco = new Command("tco", "Terrorist content report (Regulation (EU) 2021/784 Art. 7): JSON, CSV, HTML and PDF.") { year, tcoOut, explain, noPdf };
        tco.SetAction(async (parse, ct) =>
        {
            var y = parse.GetValue(year);
            if (y is < 2000 or > 9999) throw new CliException($"--year {y} is not a plausible year");
            return await RunAsync(parse.GetValue(config), ReportKinds.Tco, ReportPeriod.Year(y), null, parse.GetValue(tcoOut), parse.GetValue(explain), !parse.GetValue(noPdf), ct);
        });

        var rebuild = new Option<string?>("--rebuild") { Description = "START/END: fold these days again even if they were rolled up (after a backfill)." };
        var rollup = new Command("rollup", "Fold every ended day that has no rollup (and days with new records) into the rollups; also samples new automated restrictions for blind QA.") { rebuild };
        rollup.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var rollups = sp.GetRequiredService<TransparencyRollups>();
            if (parse.GetValue(rebuild) is { } r)
            {
                var p = Period(ReportPeriod.Parse(r));
                Console.WriteLine($"{await rollups.RebuildAsync(p.Start, p.End, ct)} day(s) folded again.");
                return 0;
            }
            var run = await rollups.RunAsync(ct);
            Console.WriteLine(run.DaysComputed == 0 ? "Rollups are up to date." : $"{run.DaysComputed} day(s) folded ({run.FirstDay:yyyy-MM-dd}..{run.LastDay:yyyy-MM-dd}).");
            if (run.QaCasesOpened > 0) Console.WriteLine($"{run.QaCasesOpened} automated restriction(s) sent to blind QA.");
            return 0;
        });

        var kind = new Argument<string>("kind") { Description = "cger, dsa or tco." };
        kind.AcceptOnlyFromAmong([.. ReportKinds.All]);
        var draftPeriod = new Option<string>("--period") { Description = "START/END (tco: a whole calendar year).", Required = true };
        var by = new Option<string>("--by") { Description = "Who creates or publishes it (recorded in the audit log).", Required = true };
        var note = new Option<string?>("--note") { Description = "For a new version of a published period: what changed." };
        var draft = new Command("draft", "Generate a report and store it as a draft (the next version of its period).") { kind, draftPeriod, service, by, note };
        draft.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var r = await Refusals(() => sp.GetRequiredService<TransparencyReports>().CreateDraftAsync(parse.GetValue(kind)!, Period(ReportPeriod.Parse(parse.GetValue(draftPeriod))),
                parse.GetValue(service), parse.GetValue(by)!, parse.GetValue(note), ct));
            Console.WriteLine($"Draft {r.Id}: {r.Kind} {r.Period} version {r.Version}, sha256 {r.Sha256} ({r.Files.Count} files).");
            return 0;
        });
        var id = new Argument<long>("id") { Description = "The report id (see `reports list`)." };
        var publish = new Command("publish", "Publish a draft: it is listed on /transparency and never changes.") { id, by };
        publish.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            var r = await Refusals(() => sp.GetRequiredService<TransparencyReports>().PublishAsync(parse.GetValue(id), parse.GetValue(by)!, ct));
            Console.WriteLine($"Published {r.Kind} {r.Period} version {r.Version} (report {r.Id}), sha256 {r.Sha256}.");
            return 0;
        });
        var list = new Command("list", "List drafts and published reports.");
        list.SetAction(async (parse, ct) =>
        {
            using var sp = CliHost.Build(parse.GetValue(config));
            foreach (var r in await sp.GetRequiredService<TransparencyReports>().ListAsync(false, ct))
                Console.WriteLine($"{r.Id}\t{r.Kind}\t{r.Period}\tv{r.Version}\t{r.Status}\t{r.Sha256}");
            return 0;
        });

        var synStart = new Option<string>("--start") { Description = "First day (YYYY-MM-DD).", Required = true };
        var synDays = new Option<int>("--days") { Description = "Number of days.", DefaultValueFactory = _ => 90 };
        var perDay = new Option<int>("--per-day") { Description = "About this many uploads a day.", DefaultValueFactory = _ => 1000 };
        var rate = new Option<double>("--removal-rate") { Description = "Share of uploads restricted (0–1).", DefaultValueFactory = _ => 0.012 };
        var seed = new Option<int>("--seed") { Description = "Seed of the random source.", DefaultValueFactory = _ => 1 };
        var synthesize = new Command("synthesize", "Benchmarks and demos only: write a synthetic enforcement history into an EMPTY database (refused when it holds any content).")
            { synStart, synDays, perDay, rate, seed };
        synthesize.Hidden = true;
        synthesize.SetAction(async (parse, ct) =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(synStart), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)) throw new CliException("--start must be YYYY-MM-DD");
            var r = parse.GetValue(rate);
            if (r is < 0 or > 1 || parse.GetValue(perDay) is < 1 or > 10_000_000 || parse.GetValue(synDays) is < 1 or > 3660) throw new CliException("--removal-rate 0–1, --per-day 1–10,000,000, --days 1–3660");
            using var sp = CliHost.Build(parse.GetValue(config));
            await using (var db = sp.GetRequiredService<Bulwark.Core.Storage.IBulwarkDbFactory>().Create())
                if (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.ContentItems, ct))
                    throw new CliException("the database already holds content; synthesize writes only into an empty (benchmark) database");
            var result = await sp.GetRequiredService<SyntheticHistory>().WriteAsync(start, parse.GetValue(synDays), parse.GetValue(perDay), sp.GetRequiredService<TimeProvider>().GetUtcNow(), parse.GetValue(seed), r, ct: ct);
            Console.WriteLine($"{result.Uploads} uploads, {result.Decisions} decisions, {result.Appeals} appeals, {result.QaReviews} QA reviews written.");
            return 0;
        });

        return new Command("reports", "Transparency reports: CGER, DSA harmonised report, TCO Art. 7 report.") { cger, dsa, tco, rollup, draft, publish, list, synthesize };

        static Option<string> Out() => new("--out") { Description = "Folder to write the files into (created if missing).", Required = true };
    }

    private static ReportPeriod Period((ReportPeriod? Period, string? Error) p) => p.Period ?? throw new CliException(p.Error!);

    private static async Task<T> Refusals<T>(Func<Task<T>> f)
    {
        try { return await f(); }
        catch (ReportRefusedException ex) { throw new CliException(ex.Message); }
    }

    private static async Task<int> RunAsync(string? configFile, string kind, ReportPeriod period, string? service, string? outDir, string? explain, bool pdf, CancellationToken ct)
    {
        using var sp = CliHost.Build(configFile);
        var reports = sp.GetRequiredService<TransparencyReports>();
        if (explain is not null)
        {
            var e = await Refusals(() => reports.ExplainAsync(period, explain, ct));
            foreach (var r in e.Records)
                Console.WriteLine($"{r.Record}\tmarket={r.Market}\tpolicy={r.Policy}\tsub_policy={r.SubPolicy}\t{r.Value.ToString(CultureInfo.InvariantCulture)}");
            Console.WriteLine($"{e.Metric} over {e.Period}: {e.RecordsValue} from {e.Records.Count} record(s); rollups say {e.RollupValue}" +
                (e.Reconciled ? " (reconciled)." : " — MISMATCH: run `bulwark reports rollup --rebuild " + e.Period + "`."));
            return e.Reconciled ? 0 : 2;
        }
        var bundle = await Refusals(() => reports.BuildAsync(kind, period, service, pdf, ct));
        await bundle.WriteAsync(outDir!, ct);
        Console.WriteLine($"{kind} {period}: {bundle.Files.Count} file(s) written to {Path.GetFullPath(outDir!)} (manifest sha256 {bundle.ManifestSha256()}).");
        foreach (var f in bundle.Files) Console.WriteLine($"  {f.Name}");
        return 0;
    }
}
