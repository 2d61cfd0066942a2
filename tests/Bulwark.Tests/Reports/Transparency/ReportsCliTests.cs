using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>The contract: <c>bulwark reports dsa|cger|tco</c> run as a user would (the real binary, the system clock).</summary>
public class ReportsCliTests
{
    [Fact]
    public async Task The_three_reports_are_written_from_the_command_line_and_bad_periods_are_refused_by_name()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, KnownHistory.Settings);
        var h = new KnownHistory(core);
        await h.WriteQuarterAsync();
        var dir = Path.Combine(core.Database.Directory, "out");

        // Before any rollup: refused, naming the days.
        var early = await CliRunner.RunAsync(core.Database, "reports", "cger", "--from", "2026-04-01", "--to", "2026-06-30", "--out", dir, "--no-pdf");
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("incomplete", early.Err);
        Assert.Contains("2026-04-01..2026-06-30", early.Err);

        var rollup = await CliRunner.RunAsync(core.Database, "reports", "rollup");
        Assert.Equal(0, rollup.ExitCode);
        Assert.Contains("day(s) folded (2026-03-30..", rollup.Out);

        var dsaDir = Path.Combine(dir, "dsa");
        var dsa = await CliRunner.RunAsync(core.Database, "reports", "dsa", "--period", "2026-04-01/2026-06-30", "--service", "Example Video", "--out", dsaDir);
        Assert.Equal(0, dsa.ExitCode);
        var names = Directory.GetFiles(dsaDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 11).Select(i => $"{i}_"), Core.Reports.Transparency.DsaReport.FileNames.Select(n => n[..(n.IndexOf('_') + 1)]));
        Assert.Equal(Core.Reports.Transparency.DsaReport.FileNames.Order(StringComparer.Ordinal), names);
        var table1 = await File.ReadAllTextAsync(Path.Combine(dsaDir, "1_report_identification.csv"));
        Assert.StartsWith("Applicability,Service,Indicator,Value", table1);
        Assert.Contains("Example Video", table1);
        var t6 = ReconciliationTests.Parse(await File.ReadAllBytesAsync(Path.Combine(dsaDir, "6_own_initiative_TC.csv")));
        Assert.Equal("3", ReconciliationTests.Row(t6, "TOTAL")["Number of measures taken at the provider's own initiative"]);

        var cgerDir = Path.Combine(dir, "cger");
        var withPdf = File.Exists("/usr/bin/chromium");
        var cger = await CliRunner.RunAsync(core.Database, ["reports", "cger", "--from", "2026-04-01", "--to", "2026-06-30", "--out", cgerDir, .. withPdf ? Array.Empty<string>() : ["--no-pdf"]]);
        Assert.True(cger.ExitCode == 0, cger.Err);
        var facts = await File.ReadAllLinesAsync(Path.Combine(cgerDir, "cger_facts.csv"));
        Assert.Equal("period,market,policy,sub_policy,metric,value", facts[0]);
        Assert.Contains("2026-04-01/2026-06-30,IT,VE-DOI,doi-known-media,content_removed,1", facts);
        Assert.Contains("2026-04-01/2026-06-30,content_removed,4", await File.ReadAllLinesAsync(Path.Combine(cgerDir, "cger_summary.csv")));
        var html = await File.ReadAllTextAsync(Path.Combine(cgerDir, "cger.it.html"));
        Assert.Contains("Contenuti rimossi", html);
        Assert.Contains("<svg", html);
        Assert.Contains("<svg", await File.ReadAllTextAsync(Path.Combine(cgerDir, "cger.en.html")));
        if (withPdf)
            foreach (var pdf in new[] { "cger.en.pdf", "cger.it.pdf" })
                Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(Path.Combine(cgerDir, pdf)))[..4]));

        // --explain lists the four removals and checks them against the rollups.
        var explain = await CliRunner.RunAsync(core.Database, "reports", "cger", "--from", "2026-04-01", "--to", "2026-06-30", "--out", cgerDir, "--explain", "content_removed");
        Assert.Equal(0, explain.ExitCode);
        Assert.Contains($"decision:{h.D3}\tmarket=FR\tpolicy=VE-THREAT\tsub_policy=threat-credible\t1", explain.Out);
        Assert.Contains("content_removed over 2026-04-01/2026-06-30: 4 from 4 record(s); rollups say 4 (reconciled).", explain.Out);

        // TCO: 2025 has ended and holds no records (zeros); 2026 has not ended.
        var tcoDir = Path.Combine(dir, "tco");
        var tco = await CliRunner.RunAsync(core.Database, "reports", "tco", "--year", "2025", "--out", tcoDir, "--no-pdf");
        Assert.True(tco.ExitCode == 0, tco.Err);
        Assert.True(File.Exists(Path.Combine(tcoDir, "tco.json")) && File.Exists(Path.Combine(tcoDir, "tco.en.html")) && File.Exists(Path.Combine(tcoDir, "tco.it.html")));
        var open = await CliRunner.RunAsync(core.Database, "reports", "tco", "--year", "2026", "--out", tcoDir, "--no-pdf");
        Assert.Equal(1, open.ExitCode);
        Assert.Contains("incomplete", open.Err);

        var inverted = await CliRunner.RunAsync(core.Database, "reports", "dsa", "--period", "2026-06-30/2026-04-01", "--service", "X", "--out", dir);
        Assert.Equal(1, inverted.ExitCode);
        Assert.Contains("inverted", inverted.Err);
    }
}
