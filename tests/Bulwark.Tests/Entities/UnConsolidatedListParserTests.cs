using System.Text;
using Bulwark.Core.Signals.Entities.Importers;

namespace Bulwark.Tests.Entities;

public class UnConsolidatedListParserTests
{
    private static string Un(string file) => TestData.Path("sanctions", "un", file);

    private static ListParseResult ParseText(string xml, ListParserOptions? options = null) =>
        UnConsolidatedListParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), options);

    private const string Head = """<?xml version="1.0" encoding="UTF-8"?>""";

    [Fact]
    public void Real_2025_publication_has_the_published_counts()
    {
        var result = UnConsolidatedListParser.ParseFile(Un("un_sc_consolidated_2025-11-20.xml"));

        Assert.False(result.HasErrors, string.Join("\n", result.Errors));
        Assert.Equal(727, result.Records.Count(r => r.Kind == ListedKind.Individual));
        Assert.Equal(273, result.Records.Count(r => r.Kind == ListedKind.Entity));
        var alQaida = result.Records.Where(r => r.ListType == "Al-Qaida").ToList();
        Assert.Equal(252, alQaida.Count(r => r.Kind == ListedKind.Individual));
        Assert.Equal(89, alQaida.Count(r => r.Kind == ListedKind.Entity));

        // Every record has a key, a reference, a listing date; no empty names; the quirks were absorbed.
        Assert.All(result.Records, r =>
        {
            Assert.Equal(UnConsolidatedListParser.Source, r.Source);
            Assert.NotNull(r.ReferenceNumber);
            Assert.NotNull(r.ListedOn);
            Assert.Equal(r.PrimaryName, r.Names[0].Name);
            Assert.All(r.Names, n => Assert.False(string.IsNullOrWhiteSpace(n.Name)));
            Assert.DoesNotContain(r.Names, n => n.Name.Contains(';', StringComparison.Ordinal) && !n.Name.Contains('(', StringComparison.Ordinal));
        });
        Assert.Contains(result.Records, r => r.LastUpdated.Count > 1);
        Assert.Contains(result.Records, r => r.Names.Any(n => n.Grade == NameGrade.Former));
        Assert.Contains(result.Records, r => r.Names.Any(n => n.Grade == NameGrade.Weak));
        Assert.Contains(result.Records, r => r.Names.Any(n => n.OriginalScript));
    }

    [Fact]
    public void Real_2024_publication_has_the_published_counts()
    {
        var result = UnConsolidatedListParser.ParseFile(Un("un_sc_consolidated_2024-09-26.xml"));

        Assert.False(result.HasErrors, string.Join("\n", result.Errors));
        Assert.Equal(682, result.Records.Count(r => r.Kind == ListedKind.Individual));
        Assert.Equal(193, result.Records.Count(r => r.Kind == ListedKind.Entity));
    }

    [Fact]
    public void Diff_between_the_two_real_publications_is_134_added_and_9_delisted()
    {
        var before = UnConsolidatedListParser.ParseFile(Un("un_sc_consolidated_2024-09-26.xml")).EnsureValid();
        var after = UnConsolidatedListParser.ParseFile(Un("un_sc_consolidated_2025-11-20.xml")).EnsureValid();

        var diff = ListDiff.Compute(before.Records, after.Records);

        Assert.Equal(134, diff.Added.Count);
        Assert.Equal(9, diff.Delisted.Count);
        Assert.Equal(after.Records.Count - 134, diff.Changed.Count + diff.Unchanged);
        Assert.All(diff.Changed, c => Assert.NotEqual(ListedField.None, c.Fields));

        // The reverse direction is a shrink of 12.5 %: allowed under the default 20 % guard, refused under 10 %.
        var reverse = ListDiff.Compute(after.Records, before.Records);
        Assert.Equal(9, reverse.Added.Count);
        Assert.Equal(134, reverse.Delisted.Count);
        Assert.Throws<ListShrinkRefusedException>(() => ListDiff.Compute(after.Records, before.Records, new ListDiffOptions { MaxShrinkFraction = 0.1 }));
    }

    [Fact]
    public void Shrink_guard_trips_on_a_truncated_real_list_unless_forced()
    {
        var path = Un("un_sc_consolidated_2025-11-20.xml");
        var full = UnConsolidatedListParser.ParseFile(path).EnsureValid();

        // A download cut after roughly the first third, closed so that it still parses: only individuals survive.
        var text = File.ReadAllText(path);
        var cut = text.IndexOf("</INDIVIDUAL>", text.Length / 3, StringComparison.Ordinal) + "</INDIVIDUAL>".Length;
        var truncated = ParseText(text[..cut] + "</INDIVIDUALS></CONSOLIDATED_LIST>").EnsureValid();
        Assert.True(truncated.Records.Count < full.Records.Count * 0.8);

        var ex = Assert.Throws<ListShrinkRefusedException>(() => ListDiff.Compute(full.Records, truncated.Records));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Equal(full.Records.Count, ex.PreviousCount);

        var forced = ListDiff.Compute(full.Records, truncated.Records, new ListDiffOptions { Force = true });
        Assert.Equal(full.Records.Count - truncated.Records.Count, forced.Delisted.Count);
    }

    [Fact]
    public void Quirks_are_absorbed()
    {
        var result = ParseText(Head + """
            <CONSOLIDATED_LIST dateGenerated="2025-01-01T00:00:00Z">
              <INDIVIDUALS>
                <INDIVIDUAL>
                  <DATAID>1</DATAID>
                  <FIRST_NAME> ABU </FIRST_NAME><SECOND_NAME>BAKR</SECOND_NAME><THIRD_NAME/><FOURTH_NAME>AL-BAGHDADI</FOURTH_NAME>
                  <UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
                  <REFERENCE_NUMBER>QDi.299</REFERENCE_NUMBER>
                  <LISTED_ON>2011-10-05-04:00</LISTED_ON>
                  <NEW_ELEMENT_NOT_IN_SCHEMA><NESTED>x</NESTED></NEW_ELEMENT_NOT_IN_SCHEMA>
                  <COMMENTS1>
                     Some comment.
                  </COMMENTS1>
                  <NAME_ORIGINAL_SCRIPT>أبو بكر البغدادي</NAME_ORIGINAL_SCRIPT>
                  <LAST_DAY_UPDATED><VALUE>2014-01-10</VALUE><VALUE>2013-07-02Z</VALUE><VALUE>2016-03-01+01:00</VALUE></LAST_DAY_UPDATED>
                  <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
                  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>   </ALIAS_NAME></INDIVIDUAL_ALIAS>
                  <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu Du'a; Dr. Ibrahim</ALIAS_NAME></INDIVIDUAL_ALIAS>
                  <INDIVIDUAL_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Amir al-Mu'minin</ALIAS_NAME></INDIVIDUAL_ALIAS>
                  <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Awwad</ALIAS_NAME><NOTE>x</NOTE></INDIVIDUAL_ALIAS>
                  <INDIVIDUAL_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Ibrahim Awad Ibrahim (born 1971; Samarra)</ALIAS_NAME></INDIVIDUAL_ALIAS>
                </INDIVIDUAL>
              </INDIVIDUALS>
              <ENTITIES>
                <ENTITY>
                  <DATAID>2</DATAID><FIRST_NAME>AL-QAIDA</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
                  <REFERENCE_NUMBER>QDe.004</REFERENCE_NUMBER><LISTED_ON>2001-10-06</LISTED_ON>
                  <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>The Base</ALIAS_NAME></ENTITY_ALIAS>
                </ENTITY>
              </ENTITIES>
              <SOMETHING_NEW/>
            </CONSOLIDATED_LIST>
            """);

        Assert.Empty(result.Issues);
        var person = Assert.Single(result.Records, r => r.Kind == ListedKind.Individual);
        Assert.Equal("1", person.Key);
        Assert.Equal("QDi.299", person.ReferenceNumber);
        Assert.Equal("ABU BAKR AL-BAGHDADI", person.PrimaryName);
        Assert.Equal(new DateOnly(2011, 10, 5), person.ListedOn);
        Assert.Equal([new DateOnly(2013, 7, 2), new DateOnly(2014, 1, 10), new DateOnly(2016, 3, 1)], person.LastUpdated);
        Assert.Equal("Some comment.", person.Comments);
        Assert.Equal(
            [
                new ListedName("ABU BAKR AL-BAGHDADI", NameGrade.Strong),
                new ListedName("أبو بكر البغدادي", NameGrade.Strong, OriginalScript: true),
                new ListedName("Abu Du'a", NameGrade.Strong),
                new ListedName("Dr. Ibrahim", NameGrade.Strong),
                new ListedName("Amir al-Mu'minin", NameGrade.Strong),
                new ListedName("Abu Awwad", NameGrade.Weak),
                new ListedName("Ibrahim Awad Ibrahim (born 1971; Samarra)", NameGrade.Former),
            ],
            person.Names);
        var entity = Assert.Single(result.Records, r => r.Kind == ListedKind.Entity);
        Assert.Equal(["AL-QAIDA", "The Base"], entity.Names.Select(n => n.Name));
    }

    [Fact]
    public void Duplicate_dataids_and_reference_numbers_are_errors()
    {
        var result = ParseText(Head + """
            <CONSOLIDATED_LIST><INDIVIDUALS>
            <INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER></INDIVIDUAL>
            <INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>B</FIRST_NAME><REFERENCE_NUMBER>QDi.2</REFERENCE_NUMBER></INDIVIDUAL>
            <INDIVIDUAL><DATAID>3</DATAID><FIRST_NAME>C</FIRST_NAME><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER></INDIVIDUAL>
            </INDIVIDUALS></CONSOLIDATED_LIST>
            """);

        Assert.True(result.HasErrors);
        var errors = result.Errors.ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains("Duplicate DATAID 1", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(3, errors[0].Line);
        Assert.Contains("Duplicate reference number QDi.1", errors[1].Message, StringComparison.Ordinal);
        Assert.Equal(4, errors[1].Line);
        Assert.Single(result.Records);
        var ex = Assert.Throws<ListFormatException>(() => result.EnsureValid());
        Assert.Contains("2 error(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Billion_laughs_is_refused_with_a_clear_error()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            ]>
            <CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>&lol9;</DATAID></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
            """;
        var ex = Assert.Throws<ListFormatException>(() => ParseText(xml));
        Assert.StartsWith("DTDs and entity declarations are refused", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void External_entities_are_refused()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE x [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>&xxe;</DATAID></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
            """;
        var ex = Assert.Throws<ListFormatException>(() => ParseText(xml));
        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_xml_error_names_the_line()
    {
        var xml = Head + "\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n<DATAID>1</DATAID>\n<FIRST_NAME>A";
        var ex = Assert.Throws<ListFormatException>(() => ParseText(xml));
        Assert.StartsWith("Malformed XML at line 6", ex.Message, StringComparison.Ordinal);
        Assert.Equal(6, ex.Line);
        Assert.NotNull(ex.Position);
    }

    [Fact]
    public void Truncated_real_file_error_names_a_line()
    {
        var bytes = File.ReadAllBytes(Un("un_sc_consolidated_2025-11-20.xml"));
        var ex = Assert.Throws<ListFormatException>(() => UnConsolidatedListParser.Parse(new MemoryStream(bytes, 0, bytes.Length / 2)));
        Assert.Matches(@"^Malformed XML at line \d+, position \d+", ex.Message);
        Assert.True(ex.Line > 1000);
    }

    [Fact]
    public void Invalid_utf8_error_names_the_byte_offset()
    {
        var prefix = Encoding.UTF8.GetBytes(Head + "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>Ab");
        byte[] bytes = [.. prefix, 0xC3, 0x28, .. Encoding.UTF8.GetBytes("</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>")];

        var ex = Assert.Throws<ListFormatException>(() => UnConsolidatedListParser.Parse(new MemoryStream(bytes)));
        Assert.Equal(prefix.Length, ex.ByteOffset);
        Assert.Contains($"byte offset {prefix.Length}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, 0)]
    [InlineData(new byte[] { 0xC0, 0xAF }, 0)]             // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 0)]       // UTF-16 surrogate
    [InlineData(new byte[] { 0x41, 0xE2, 0x82 }, 1)]       // truncated at the end
    public void Garbled_encodings_are_refused_at_their_offset(byte[] bad, int relativeOffset)
    {
        var prefix = Encoding.UTF8.GetBytes(Head + "<CONSOLIDATED_LIST><!--");
        byte[] bytes = [.. prefix, .. bad];
        var ex = Assert.Throws<ListFormatException>(() => UnConsolidatedListParser.Parse(new MemoryStream(bytes)));
        Assert.Equal(prefix.Length + relativeOffset, ex.ByteOffset);
    }

    [Fact]
    public void Size_limit_is_enforced()
    {
        var xml = Head + "<CONSOLIDATED_LIST>" + new string(' ', 10_000) + "</CONSOLIDATED_LIST>";
        var ex = Assert.Throws<ListFormatException>(() => ParseText(xml, new ListParserOptions { MaxBytes = 4096 }));
        Assert.Contains("size limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_root_is_refused()
    {
        var ex = Assert.Throws<ListFormatException>(() => ParseText(Head + "<export/>"));
        Assert.Contains("CONSOLIDATED_LIST", ex.Message, StringComparison.Ordinal);
    }
}
