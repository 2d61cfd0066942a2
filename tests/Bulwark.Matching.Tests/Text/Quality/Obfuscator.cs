using System.Text;

namespace Bulwark.Matching.Tests.Text.Quality;

/// <summary>Programmatic obfuscations of names, driven by a seeded <see cref="Random"/> so evaluations repeat exactly.</summary>
public static class Obfuscator
{
    public static readonly string[] LatinKinds = ["homoglyph", "zero-width", "leetspeak", "separators", "diacritics", "case", "full-width", "math-bold"];

    private static readonly Dictionary<char, char> Homoglyphs = new()
    {
        ['a'] = 'а', ['e'] = 'е', ['o'] = 'о', ['p'] = 'р', ['c'] = 'с', ['x'] = 'х', ['i'] = 'і', ['s'] = 'ѕ', ['y'] = 'у',
        ['A'] = 'Α', ['B'] = 'В', ['E'] = 'Ε', ['H'] = 'Η', ['K'] = 'К', ['M'] = 'М', ['O'] = 'О', ['T'] = 'Т', ['I'] = 'І',
    };

    private static readonly Dictionary<char, char> Leet = new() { ['a'] = '4', ['e'] = '3', ['i'] = '1', ['o'] = '0', ['s'] = '5', ['t'] = '7' };
    private static readonly Dictionary<char, char> Accents = new() { ['a'] = 'á', ['e'] = 'é', ['i'] = 'í', ['o'] = 'ö', ['u'] = 'ü', ['n'] = 'ñ', ['c'] = 'ç' };
    private static readonly string[] ZeroWidth = ["\u200B", "\u200C", "\u200D", "\uFEFF", "\u00AD"];

    public static string Apply(string kind, string name, Random random) => kind switch
    {
        "homoglyph" => Substitute(name, random, (c, r) => Homoglyphs.TryGetValue(c, out var h) && r.Next(2) == 0 ? h.ToString() : null),
        "zero-width" => Substitute(name, random, (c, r) => char.IsLetter(c) && r.Next(3) == 0 ? c + ZeroWidth[r.Next(ZeroWidth.Length)] : null),
        "leetspeak" => Substitute(name, random, (c, r) => Leet.TryGetValue(char.ToLowerInvariant(c), out var l) && r.Next(2) == 0 ? l.ToString() : null),
        "separators" => SpreadOneWord(name, random),
        "diacritics" => Substitute(name, random, (c, r) => Accents.TryGetValue(char.ToLowerInvariant(c), out var a) && r.Next(2) == 0 ? a.ToString() : null),
        "case" => Substitute(name, random, (c, r) => char.IsLetter(c) ? (r.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToString() : null),
        "full-width" => Substitute(name, random, (c, _) => c is > ' ' and <= '~' ? ((char)(c - 0x21 + 0xFF01)).ToString() : null),
        "math-bold" => Substitute(name, random, (c, _) => char.IsAsciiLetterUpper(c) ? char.ConvertFromUtf32(0x1D400 + c - 'A')
                                                    : char.IsAsciiLetterLower(c) ? char.ConvertFromUtf32(0x1D41A + c - 'a') : null),
        "transliteration" => ScholarlyRomanisation.Apply(name),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Substitute(string name, Random random, Func<char, Random, string?> replace)
    {
        var sb = new StringBuilder(name.Length * 2);
        foreach (var c in name) sb.Append(replace(c, random) ?? c.ToString());
        return sb.ToString();
    }

    /// <summary>"S.A.D.D.A.M Hussein": separators between the letters of one word of three or more letters.</summary>
    private static string SpreadOneWord(string name, Random random)
    {
        var words = name.Split(' ');
        var candidates = Enumerable.Range(0, words.Length).Where(i => words[i].Length >= 3 && words[i].All(char.IsLetter)).ToArray();
        if (candidates.Length == 0) return name;
        var w = candidates[random.Next(candidates.Length)];
        var separator = new[] { ".", " ", "-", "_", "*" }[random.Next(5)];
        words[w] = string.Join(separator, words[w].ToCharArray());
        return string.Join(' ', words);
    }
}

/// <summary>
/// A romanisation deliberately different from the normaliser's own (ALA-LC-like for Arabic, scholarly for
/// Cyrillic: ḥ, ṣ, ā, ʿ, č, š, ž …), so that matching a romanised original-script name is a real test.
/// </summary>
internal static class ScholarlyRomanisation
{
    private static readonly Dictionary<char, string> Map = new()
    {
        ['ا'] = "ā", ['أ'] = "a", ['إ'] = "i", ['آ'] = "ā", ['ء'] = "ʾ", ['ؤ'] = "ʾ", ['ئ'] = "ʾ", ['ب'] = "b", ['ت'] = "t", ['ث'] = "ṯ",
        ['ج'] = "ǧ", ['ح'] = "ḥ", ['خ'] = "ḫ", ['د'] = "d", ['ذ'] = "ḏ", ['ر'] = "r", ['ز'] = "z", ['س'] = "s", ['ش'] = "š",
        ['ص'] = "ṣ", ['ض'] = "ḍ", ['ط'] = "ṭ", ['ظ'] = "ẓ", ['ع'] = "ʿ", ['غ'] = "ġ", ['ف'] = "f", ['ق'] = "q", ['ك'] = "k",
        ['ل'] = "l", ['م'] = "m", ['ن'] = "n", ['ه'] = "h", ['ة'] = "h", ['و'] = "ū", ['ي'] = "ī", ['ى'] = "á",
        ['а'] = "a", ['б'] = "b", ['в'] = "v", ['г'] = "g", ['д'] = "d", ['е'] = "e", ['ё'] = "ë", ['ж'] = "ž", ['з'] = "z",
        ['и'] = "i", ['й'] = "j", ['к'] = "k", ['л'] = "l", ['м'] = "m", ['н'] = "n", ['о'] = "o", ['п'] = "p", ['р'] = "r",
        ['с'] = "s", ['т'] = "t", ['у'] = "u", ['ф'] = "f", ['х'] = "h", ['ц'] = "c", ['ч'] = "č", ['ш'] = "š", ['щ'] = "šč",
        ['ъ'] = "ʺ", ['ы'] = "y", ['ь'] = "ʹ", ['э'] = "è", ['ю'] = "ju", ['я'] = "ja",
    };

    public static string Apply(string name)
    {
        var sb = new StringBuilder(name.Length * 2);
        foreach (var c in name)
        {
            var lower = char.ToLowerInvariant(c);
            sb.Append(Map.TryGetValue(lower, out var latin) ? latin : c.ToString());
        }
        return sb.ToString();
    }

    public static bool Covers(string name) => name.Any(c => Map.ContainsKey(char.ToLowerInvariant(c)));
}
