using System.Text;
using Bulwark.Core.Signals.Entities.Importers;

namespace Bulwark.Tests.Entities;

public class CsvListParserTests
{
    private static ListParseResult Parse(string csv) =>
        CsvListParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "splc", CsvListFormat.Splc);

    [Fact]
    public void Reads_splc_rows_with_rfc4180_quoting()
    {
        var csv = "\uFEFFTitle,City,State,Group,Ideology,Headquarters,Statewide,Year\r\n" +
                  "Patriot Front,,Texas,,White Nationalist,TRUE,FALSE,2023\r\n" +
                  "\"The \"\"Old\"\" Guard, Inc.\",Springfield,Ohio,,\"Neo-\nVölkisch\",FALSE,TRUE,2022\r\n" +
                  "\r\n" +
                  "  patriot   FRONT ,Dallas, texas ,,White Nationalist,FALSE,FALSE,2023\n";
        var result = Parse(csv);

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Equal(2, result.Records.Count);
        var pf = result.Records[0];
        Assert.Equal("patriot front|texas", pf.Key);
        Assert.Equal("splc", pf.Source);
        Assert.Equal(ListedKind.Entity, pf.Kind);
        Assert.Equal("White Nationalist", pf.ListType);
        Assert.Equal("Patriot Front", pf.PrimaryName);
        Assert.Contains("City: Dallas", pf.Comments, StringComparison.Ordinal); // the second chapter merged into the first
        var warning = Assert.Single(result.Issues);
        Assert.Equal(ListIssueSeverity.Warning, warning.Severity);
        Assert.Equal(6, warning.Line);

        var guard = result.Records[1];
        Assert.Equal("The \"Old\" Guard, Inc.", guard.PrimaryName);
        Assert.Equal("Neo- Völkisch", guard.ListType);
        Assert.Equal("the \"old\" guard, inc.|ohio", guard.Key);
    }

    [Fact]
    public void Every_bad_row_is_reported_with_its_line()
    {
        var csv = "Title,City,State,Group,Ideology,Headquarters,Statewide,Year\n" +
                  "Good One,,Ohio,,X,,,2020\n" +              // 2 ok
                  "Too,Few,Fields\n" +                        // 3
                  ",City,Ohio,,X,,,2020\n" +                  // 4 empty title
                  "Bad Year,,Ohio,,X,,,20x0\n" +              // 5
                  "Stray \"quote,,Ohio,,X,,,2020\n" +         // 6
                  "\"Multi\nline\",,Ohio,,X,,,2020\n" +       // 7-8 ok
                  "Good Two,,Iowa,,X,,,2021\n" +              // 9 ok
                  "\"After\"x,,Ohio,,X,,,2020\n" +            // 10
                  "\"Unterminated,,Ohio,,X,,,2020\n" +        // 11
                  "Never,,Read,,X,,,2020\n";
        var result = Parse(csv);

        Assert.Equal([3, 4, 5, 6, 10, 11], result.Errors.Select(e => e.Line));
        Assert.Contains("Expected 8 fields, found 3", result.Errors.First().Message, StringComparison.Ordinal);
        Assert.Contains("Unterminated", result.Errors.Last().Message, StringComparison.Ordinal);
        Assert.Equal(["Good One", "Multi line", "Good Two"], result.Records.Select(r => r.PrimaryName));
        Assert.Throws<ListFormatException>(() => result.EnsureValid());
    }

    [Fact]
    public void Header_must_match_the_documented_columns()
    {
        var ex = Assert.Throws<ListFormatException>(() => Parse("Title,City,State,Group,Ideology,Headquarters,Year,Extra\nA,,,,,,,\n"));
        Assert.Contains("missing: Statewide", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected: Extra", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ListFormatException>(() => Parse(""));
    }

    [Fact]
    public void Invalid_utf8_names_the_byte_offset()
    {
        var prefix = Encoding.UTF8.GetBytes("Title,City,State,Group,Ideology,Headquarters,Statewide,Year\nCaf");
        byte[] bytes = [.. prefix, 0xE9, .. Encoding.UTF8.GetBytes(",,Ohio,,X,,,2020\n")]; // Latin-1 é
        var ex = Assert.Throws<ListFormatException>(() =>
            CsvListParser.Parse(new MemoryStream(bytes), "splc", CsvListFormat.Splc));
        Assert.Equal(prefix.Length, ex.ByteOffset);
        Assert.Contains($"byte offset {prefix.Length}", ex.Message, StringComparison.Ordinal);
    }
}
