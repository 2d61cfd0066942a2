using System.Globalization;
using System.Text;

namespace Bulwark.Matching.Text;

/// <summary>How a code point takes part in word building after folding.</summary>
internal enum UnitClass : byte
{
    Gap = 0,          // whitespace, punctuation, symbols, emoji: ends a word
    Latin = 1,
    CyrillicGreek = 2, // transliterated, or replaced by a Latin look-alike inside mixed-script words
    OtherLetter = 3,
    Digit = 4,
    LeetSymbol = 5,   // @ $ ! | € £: a letter only between letters
    Transparent = 6,  // removed without breaking the word: format chars, marks, apostrophes
}

/// <summary>
/// Per-code-point folding precomputed once for the whole BMP (256 KB), so the hot loop is one table load per
/// char instead of calls to string.Normalize. Each entry packs payload (16 bits), kind (2), class (3), steps (9).
/// Folding a code point on its own equals NFKC on the text except across combining sequences, which is why
/// marks are removed separately rather than composed.
/// </summary>
internal static class FoldTable
{
    public const int KindSingle = 0, KindExpand = 1, KindKeep = 2;

    /// <summary>The entry of every BMP code unit; the fused normaliser reads it directly in its hot loop.</summary>
    internal static readonly uint[] Bmp = new uint[0x10000];
    private static readonly Dictionary<int, uint> Astral = [];
    private static readonly List<string> ExpansionList = [];
    private static readonly Dictionary<int, char> ConfusableMap = LoadConfusables();

    /// <summary>Expansions referenced by <see cref="KindExpand"/> entries.</summary>
    public static readonly string[] Expansions;

    /// <summary>Latin look-alike for an original Cyrillic/Greek char, or 0; bit 0x80 marks letters outside the
    /// Russian and Greek alphabets (і, ѕ, ј, ԁ …) that in practice only appear to spoof Latin.</summary>
    private static readonly byte[] CyrGreekSkeleton = new byte[0x530 - 0x370];

    public static int MaxExpansion { get; }

    static FoldTable()
    {
        for (var c = 0; c < 0x10000; c++)
            Bmp[c] = char.IsSurrogate((char)c) ? Pack(' ', KindSingle, UnitClass.Gap, NormalizationSteps.InvalidSurrogate)
                                                : Fold(((char)c).ToString());
        // Astral blocks that fold to Latin: mathematical alphanumerics, enclosed alphanumerics.
        foreach (var (lo, hi) in new[] { (MathFirst, MathLast), (EnclosedFirst, EnclosedLast) })
            for (var cp = lo; cp <= hi; cp++) Astral[cp] = Fold(char.ConvertFromUtf32(cp));
        for (var c = 0x370; c < 0x530; c++)
        {
            if (!ConfusableMap.TryGetValue(c, out var skeleton)) continue;
            var basic = c is >= 0x391 and <= 0x3C9 or >= 0x401 and <= 0x45F && c is not (0x405 or 0x406 or 0x408 or 0x455 or 0x456 or 0x458);
            CyrGreekSkeleton[c - 0x370] = (byte)(skeleton | (basic ? 0 : 0x80));
        }
        Expansions = [.. ExpansionList];
        MaxExpansion = Expansions.Length == 0 ? 1 : Math.Max(1, Expansions.Max(e => e.Length));
    }

    public static uint Lookup(char c) => Bmp[c];

    public static uint LookupAstral(int codePoint) =>
        // Only the two blocks above are in the dictionary; emoji, the common astral case, skip the hash lookup.
        IsFoldedAstral(codePoint) && Astral.TryGetValue(codePoint, out var e) ? e
        : CharUnicodeInfo.GetUnicodeCategory(codePoint) is >= UnicodeCategory.UppercaseLetter and <= UnicodeCategory.OtherLetter
            ? Pack('\0', KindKeep, UnitClass.OtherLetter, NormalizationSteps.None)
            : Pack(' ', KindSingle, UnitClass.Gap, NormalizationSteps.None);

    private const int MathFirst = 0x1D400, MathLast = 0x1D7FF, EnclosedFirst = 0x1F100, EnclosedLast = 0x1F1FF;

    private static bool IsFoldedAstral(int cp) => cp is >= MathFirst and <= MathLast or >= EnclosedFirst and <= EnclosedLast;

    public static char Payload(uint e) => (char)(e & 0xFFFF);
    public static int Kind(uint e) => (int)(e >> 16) & 3;
    public static UnitClass Class(uint e) => (UnitClass)((e >> 18) & 7);
    public static NormalizationSteps Steps(uint e) => (NormalizationSteps)(e >> 21);

    /// <summary>Latin look-alike of an original Cyrillic/Greek char (0 if none) and whether it is spoof-only.</summary>
    public static (char Skeleton, bool SpoofOnly) CyrillicGreekSkeleton(char original)
    {
        if (original is < '\u0370' or >= '\u0530') return ('\0', false);
        var b = CyrGreekSkeleton[original - 0x370];
        return ((char)(b & 0x7F), (b & 0x80) != 0);
    }

    /// <summary><c>CyrillicGreekSkeleton(original).SpoofOnly</c> alone.</summary>
    public static bool IsSpoofOnly(char original) =>
        (uint)(original - 0x370) < 0x530 - 0x370 && (CyrGreekSkeleton[original - 0x370] & 0x80) != 0;

    private static uint Pack(char payload, int kind, UnitClass cls, NormalizationSteps steps) =>
        payload | (uint)kind << 16 | (uint)cls << 18 | (uint)steps << 21;

    private static bool IsApostrophe(char c) => c is '\'' or '`' or '´' or '\u2018' or '\u2019' or '\u02BB' or '\u02BC' or '\u02BE' or '\u02BF';

    private static bool IsZeroWidth(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\u034F' or '\u180E' or '\u115F' or '\u1160' or '\u3164' or '\uFFA0';

    /// <summary>Folds one code point given as a string (one char, or a surrogate pair).</summary>
    private static uint Fold(string cp)
    {
        var first = cp[0];
        if (cp.Length == 1 && IsApostrophe(first)) return Pack('\0', KindSingle, UnitClass.Transparent, NormalizationSteps.None);
        // Full-width apostrophe and grave accent ("Ｓａ＇ｉｄ"): transparent like their ASCII forms.
        if (cp.Length == 1 && first is '\uFF07' or '\uFF40') return Pack('\0', KindSingle, UnitClass.Transparent, NormalizationSteps.CompatibilityFold);
        var category = CharUnicodeInfo.GetUnicodeCategory(cp, 0);
        if (cp.Length == 1 && IsZeroWidth(first) || category == UnicodeCategory.Format)
            return Pack('\0', KindSingle, UnitClass.Transparent, NormalizationSteps.FormatRemoved);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            return Pack('\0', KindSingle, UnitClass.Transparent, NormalizationSteps.DiacriticsRemoved);
        if (category == UnicodeCategory.Control)
            return char.IsWhiteSpace(first) ? Pack(' ', KindSingle, UnitClass.Gap, NormalizationSteps.None)
                                            : Pack('\0', KindSingle, UnitClass.Transparent, NormalizationSteps.FormatRemoved);

        if (category == UnicodeCategory.OtherNotAssigned || IsNonCharacter(cp))
            return Pack(' ', KindSingle, UnitClass.Gap, NormalizationSteps.None);

        var steps = NormalizationSteps.None;
        var nfkc = cp.IsNormalized(NormalizationForm.FormKC) ? cp : cp.Normalize(NormalizationForm.FormKC);
        if (!string.Equals(nfkc, cp, StringComparison.Ordinal) && !string.Equals(nfkc, cp.Normalize(NormalizationForm.FormC), StringComparison.Ordinal))
            steps |= NormalizationSteps.CompatibilityFold;

        // Each char of the NFKC form folded on its own. Punctuation around a compatibility form's letters or digits
        // ("⑴" = "(1)", "⒈" = "1.", "⒜" = "(a)") is dropped, and inside it ("½" = "1⁄2", "㏂" = "a.m.") becomes a
        // space, as it would in the same text typed out; the code point's class is that of its first kept char.
        var pieces = new List<(string Folded, UnitClass Class)>();
        foreach (var x in nfkc.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(x) == UnicodeCategory.NonSpacingMark) { steps |= NormalizationSteps.DiacriticsRemoved; continue; }
            var folded = FoldChar(x, ref steps, out var xClass);
            if (folded.Length > 0) pieces.Add((folded, xClass));
        }
        if (pieces.Count == 0) return Pack('\0', KindSingle, UnitClass.Transparent, steps);
        var from = 0;
        var to = pieces.Count - 1;
        while (from <= to && pieces[from].Class == UnitClass.Gap) from++;
        while (to >= from && pieces[to].Class == UnitClass.Gap) to--;
        if (from > to) return Pack(' ', KindSingle, UnitClass.Gap, NormalizationSteps.None);
        var cls = pieces[from].Class;
        var sb = new StringBuilder();
        for (var k = from; k <= to; k++)
        {
            if (pieces[k].Class != UnitClass.Gap) sb.Append(pieces[k].Folded);
            else if (sb[^1] != ' ') sb.Append(' ');
        }
        var s = sb.ToString();
        if (s.Length == 1) return Pack(s[0], KindSingle, cls, steps);
        if (char.IsSurrogate(s[0]) && cp.Length == 2 && string.Equals(s, cp, StringComparison.Ordinal)) return Pack('\0', KindKeep, cls, steps);
        ExpansionList.Add(s);
        return Pack((char)(ExpansionList.Count - 1), KindExpand, cls, steps);
    }

    // U+FDD0..FDEF and U+xFFFE/U+xFFFF are permanently unassigned; string.Normalize rejects them.
    private static bool IsNonCharacter(string cp)
    {
        var v = char.ConvertToUtf32(cp, 0);
        return v is >= 0xFDD0 and <= 0xFDEF || (v & 0xFFFE) == 0xFFFE;
    }

    private static string FoldChar(char x, ref NormalizationSteps steps, out UnitClass cls)
    {
        var special = x switch
        {
            'ø' or 'Ø' => "o", 'ł' or 'Ł' => "l", 'đ' or 'Đ' or 'ð' or 'Ð' => "d", 'ß' or 'ẞ' => "ss", 'æ' or 'Æ' => "ae",
            'œ' or 'Œ' => "oe", 'þ' or 'Þ' => "th", 'ħ' or 'Ħ' => "h", 'ŀ' or 'Ŀ' => "l", 'ı' => "i", 'ŧ' or 'Ŧ' => "t",
            _ => null,
        };
        if (special is not null) { steps |= NormalizationSteps.DiacriticsRemoved; cls = UnitClass.Latin; return special; }

        var lower = char.ToLowerInvariant(x);
        if (lower != x) steps |= NormalizationSteps.CaseFold;
        if (lower < 0x80)
        {
            cls = char.IsAsciiLetter(lower) ? UnitClass.Latin : char.IsAsciiDigit(lower) ? UnitClass.Digit
                : lower is '@' or '$' or '!' or '|' ? UnitClass.LeetSymbol : UnitClass.Gap;
            return lower.ToString();
        }
        if (lower is '€' or '£') { cls = UnitClass.LeetSymbol; return lower.ToString(); }
        var latin = Transliteration.ToLatin(lower);
        if (latin is not null)
        {
            steps |= NormalizationSteps.Transliterated;
            cls = Transliteration.IsArabic(lower) ? UnitClass.OtherLetter : UnitClass.CyrillicGreek;
            return latin;
        }
        if (ConfusableMap.TryGetValue(x, out var sk) || ConfusableMap.TryGetValue(lower, out sk))
        {
            steps |= NormalizationSteps.Confusable;
            cls = char.IsAsciiDigit(sk) ? UnitClass.Digit : UnitClass.Latin;
            return sk.ToString();
        }
        var category = CharUnicodeInfo.GetUnicodeCategory(lower);
        if (category == UnicodeCategory.DecimalDigitNumber)
        {
            steps |= NormalizationSteps.CompatibilityFold;
            cls = UnitClass.Digit;
            return ((char)('0' + (int)CharUnicodeInfo.GetNumericValue(lower))).ToString();
        }
        cls = char.IsLetter(lower) || category == UnicodeCategory.SpacingCombiningMark ? UnitClass.OtherLetter : UnitClass.Gap;
        return lower.ToString();
    }

    private static Dictionary<int, char> LoadConfusables()
    {
        var pairs = ConfusablesTable.Pairs;
        var map = new Dictionary<int, char>(pairs.Length / 2);
        for (var i = 0; i < pairs.Length; i += 2) map[pairs[i]] = (char)pairs[i + 1];
        return map;
    }
}
