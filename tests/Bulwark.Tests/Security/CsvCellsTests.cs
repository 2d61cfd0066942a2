using System.Text;
using Bulwark.Core.Security;
using Bulwark.Core.Signals.Classifiers;
using Bulwark.Core.Signals.Classifiers.Training;
using Bulwark.Core.Signals.Entities.Importers;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Tests.Cli;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bulwark.Tests.Security;

/// <summary>The one CSV cell helper: no written cell is a formula, and Bulwark's readers return exactly what was written.</summary>
public class CsvCellsTests
{
    private static string Decode(string field) => CsvExportCliTests.Cells(field + "\n").Single().Single();

    /// <summary>Strings biased towards the characters that matter here, plus anything else.</summary>
    private static Arbitrary<string> Texts() =>
        Gen.ListOf(Gen.OneOf(
                Gen.Choose(0, 0xFFFF).Select(i => (char)i), // any UTF-16 code unit, lone surrogates included
                Gen.Elements('=', '+', '-', '@', '\t', '\r', '\n', '\'', '"', ',', ' ', 'a', '1')))
            .Select(cs => new string(cs.ToArray()))
            .ToArbitrary();

    [Property(MaxTest = 1000)]
    public Property Any_string_written_and_read_back_is_itself_and_never_starts_a_formula() => Prop.ForAll(Texts(), value =>
    {
        var cell = Decode(CsvCells.Field(value));
        return CsvCells.Unescape(cell) == value && !(cell.Length > 0 && CsvCells.IsFormulaStart(cell[0]));
    });

    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("-5", "\"'-5\"")]                 // text that looks like a negative number is text too (OWASP: -2+3+cmd|…)
    [InlineData("+39 06 1234", "\"'+39 06 1234\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("'=1", "\"''=1\"")]               // a quote the writer did not add survives the round trip
    [InlineData("'plain", "'plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Cells_are_written_as_owasp_advises(string value, string written) => Assert.Equal(written, CsvCells.Field(value));

    [Fact]
    public void Trimming_keeps_whitespace_that_guards_a_formula()
    {
        Assert.Equal("\t=1+1", CsvCells.Trim("\t=1+1 "));
        Assert.Equal("Cinder Oath", CsvCells.Trim("  Cinder Oath\t"));
        var list = "Title,City,State,Group,Ideology,Headquarters,Statewide,Year\n\"\t=1+1\",\" @x\",Ohio,,Militia,Yes,No,2024\n";
        var record = Assert.Single(CsvListParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(list)), "expert", CsvListFormat.Splc).Records);
        Assert.Equal("\t=1+1", record.PrimaryName);
        Assert.Contains("City:  @x", record.Comments);
    }

    /// <summary>Bank CSV export then import gives back every attribution and source (single-line, as the format is).</summary>
    [Property(MaxTest = 300)]
    public Property Bank_csv_round_trips_free_text() => Prop.ForAll(Texts(), Texts(), (entity, source) =>
    {
        string Line(string s) => s.ReplaceLineEndings(" ");
        var e = CsvCells.Trim(Line(entity));
        var s = CsvCells.Trim(Line(source));
        var view = new EntryView(1, "b", "md5", new string('a', 32), null, ["label"], e.Length == 0 ? null : e, s.Length == 0 ? null : s, null, true, null, DateTimeOffset.UnixEpoch);
        var writer = new StringWriter();
        BankInterop.WriteCsv([view], writer);
        foreach (var cell in CsvExportCliTests.Cells(writer.ToString()).SelectMany(r => r))
            if (cell.Length > 0 && CsvCells.IsFormulaStart(cell[0])) return false;
        var parsed = BankInterop.ParseCsv(new StringReader(writer.ToString()));
        var entry = parsed.Entries.Single();
        return parsed.Errors.Count == 0 && (entry.Entity ?? "") == (string.IsNullOrWhiteSpace(e) ? "" : e) && (entry.Source ?? "") == (string.IsNullOrWhiteSpace(s) ? "" : s);
    });

    /// <summary>Classifier training files: any text written by build-data is read back by train and eval unchanged.</summary>
    [Property(MaxTest = 200)]
    public Property Training_files_round_trip_any_text() => Prop.ForAll(Texts(), text =>
    {
        if (Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) != text) return true; // a lone surrogate cannot be stored as UTF-8 at all
        var path = Path.Combine(Path.GetTempPath(), $"bulwark-csv-{Guid.NewGuid():N}.csv");
        try
        {
            LabelledText.WriteFile(path, [new LabelledText(text, new Dictionary<string, bool> { [ClassifierLabels.Hate] = true }, Source: "=src")]);
            var row = LabelledText.ReadFile(path).Single();
            return row.Text == text && row.Source == "=src";
        }
        finally { File.Delete(path); }
    });
}
