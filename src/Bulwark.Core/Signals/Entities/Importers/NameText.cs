using System.Globalization;
using System.Text;
using Bulwark.Core.Security;

namespace Bulwark.Core.Signals.Entities.Importers;

/// <summary>Small text helpers shared by the list parsers.</summary>
internal static class NameText
{
    /// <summary>
    /// Trims and collapses every run of white space (including line breaks inside XML values) to one space; null when empty.
    /// A leading white-space character in front of a formula character (<see cref="CsvCells.IsFormulaStart"/>) is kept.
    /// </summary>
    public static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var sb = new StringBuilder(value.Length);
        var space = false;
        var trimmed = value.AsSpan().Trim();
        // Whitespace in front of a formula character is what keeps a spreadsheet from running the name: keep one such character.
        if (char.IsWhiteSpace(value[0]) && CsvCells.IsFormulaStart(trimmed[0])) sb.Append(value[0]);
        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Splits "A; B; C" into its names, but not at semicolons inside parentheses ("name (transliteration; variant)").</summary>
    public static IEnumerable<string> SplitAliases(string value)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length)
            {
                var c = value[i];
                if (c == '(') depth++;
                else if (c == ')' && depth > 0) depth--;
                if (c != ';' || depth > 0) continue;
            }
            var part = Clean(value[start..i]);
            if (part is not null && part.Any(char.IsLetterOrDigit)) yield return part;
            start = i + 1;
        }
    }

    /// <summary>True when the name contains a letter from a script other than Latin (Arabic, Cyrillic, CJK, ...).</summary>
    public static bool HasNonLatinLetters(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsLetter(c) || c < 0x80) continue;
            // Latin-1 Supplement, Latin Extended-A/B, IPA extensions, Latin Extended Additional.
            if (c <= 0x024F || (c >= 0x1E00 && c <= 0x1EFF)) continue;
            return true;
        }
        return false;
    }

    /// <summary>A comparison key: trimmed, whitespace collapsed, case-folded (invariant).</summary>
    public static string Normalise(string value)
    {
        var clean = Clean(value) ?? "";
        // string.Normalize throws on noncharacters (U+FFFE, U+FFFF, U+FDD0…) and lone surrogates, which are valid in a list
        // file as far as UTF-8 goes: in the key they become U+FFFD instead of failing the import with an exception.
        try { return clean.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture); }
        catch (ArgumentException) { return Scrub(clean).Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture); }
    }

    private static string Scrub(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length;)
        {
            var status = Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var used);
            var v = rune.Value;
            sb.Append(status != System.Buffers.OperationStatus.Done || v is >= 0xFDD0 and <= 0xFDEF || (v & 0xFFFE) == 0xFFFE ? "\uFFFD" : rune.ToString());
            i += Math.Max(1, used);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Parses an XSD date, tolerating the time-zone offsets and times the UN publishes ("2015-04-07-04:00", "2015-04-07Z", "2015-04-07T00:00:00").
    /// The offset is dropped: a listing date is a calendar date.
    /// </summary>
    public static bool TryParseDate(string? value, out DateOnly date)
    {
        date = default;
        var s = value.AsSpan().Trim();
        if (s.Length < 10 || !DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            return false;
        var rest = s[10..];
        if (rest.IsEmpty || rest is "Z") return true;
        if (rest[0] == 'T') return DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);
        return (rest[0] == '+' || rest[0] == '-') && TimeSpan.TryParseExact(rest[1..], @"hh\:mm", CultureInfo.InvariantCulture, out _);
    }

    public static List<ListedName> Dedupe(IEnumerable<ListedName> names)
    {
        var seen = new HashSet<(string, NameGrade)>();
        var result = new List<ListedName>();
        foreach (var n in names)
            if (seen.Add((n.Name, n.Grade))) result.Add(n);
        return result;
    }
}
