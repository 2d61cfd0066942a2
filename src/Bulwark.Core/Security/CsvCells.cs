namespace Bulwark.Core.Security;

/// <summary>
/// CSV cells that a spreadsheet cannot run (OWASP "CSV Injection"), the one helper every CSV writer uses, and the matching
/// rules for readers.
/// <para><b>Writing.</b> A cell whose text starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return is written with
/// a single quote in front and inside double quotes (<c>=1+1</c> → <c>"'=1+1"</c>), so Excel, LibreOffice and Google Sheets show
/// text instead of evaluating it. That includes text that looks like a negative number (<c>-5</c> → <c>"'-5"</c>): OWASP lists
/// <c>-</c> because <c>-2+3+cmd|…</c> is a formula too, and a text column cannot tell the two apart. Numeric columns that Bulwark
/// formats from numbers itself (distances, scores, counts, ids) are not text and are written as they are. So that the quote
/// can be taken off again, a cell that already starts with a quote followed by one of those characters or another quote gets
/// one more quote. Any other cell is quoted only when it holds a comma, a double quote or a line break (RFC 4180).</para>
/// <para><b>Reading.</b> Readers keep a cell's text as it is, except: (1) where Bulwark reads back a format it writes (bank CSV,
/// classifier training files), <see cref="Unescape"/> removes exactly the quote the writer added, so writing then reading
/// returns the original text; (2) where a reader trims whitespace (names, list fields), <see cref="Trim"/> keeps whitespace
/// that stands in front of a formula character, so <c>"\t=1+1"</c> is never turned into the formula <c>=1+1</c>.</para>
/// </summary>
public static class CsvCells
{
    /// <summary>A character that makes a spreadsheet read a cell as a formula when it comes first.</summary>
    public static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static bool NeedsQuotePrefix(string value) =>
        value.Length > 0 && (IsFormulaStart(value[0]) || (value[0] == '\'' && value.Length > 1 && (IsFormulaStart(value[1]) || value[1] == '\'')));

    /// <summary>One cell, ready to be joined with commas: neutralised if a spreadsheet would run it, quoted where RFC 4180 needs it.</summary>
    public static string Field(string? value)
    {
        value ??= "";
        if (NeedsQuotePrefix(value)) return "\"'" + value.Replace("\"", "\"\"") + "\"";
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>A CSV line (without its line break) of text cells.</summary>
    public static string Row(params IEnumerable<string?> values) => string.Join(',', values.Select(Field));

    /// <summary>The text a writer was given, from a decoded cell: removes the one quote <see cref="Field"/> added, nothing else.</summary>
    public static string Unescape(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && (IsFormulaStart(cell[1]) || cell[1] == '\'') ? cell[1..] : cell;

    /// <summary>Trims whitespace, except whitespace in front of a formula character (it is what keeps a spreadsheet from running it).</summary>
    public static string Trim(string cell)
    {
        var end = cell.TrimEnd();
        var start = end.TrimStart();
        return start.Length < end.Length && start.Length > 0 && IsFormulaStart(start[0]) ? end : start;
    }
}
