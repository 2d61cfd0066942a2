namespace Bulwark.Matching.Text;

/// <summary>
/// Turns patterns into the normalised keys both matchers search for, and holds the rules a raw key hit must
/// pass: whole words, and exactness for weak patterns. Shared by <see cref="AhoCorasick"/> and
/// <see cref="ReferencePatternMatcher"/>, so the property tests compare only the search itself.
/// </summary>
internal sealed class PatternKeys
{
    // Below this length a glued variant ("alqaida" for "al qaida") collides with ordinary words too often.
    private const int MinGluedLength = 6;

    public PatternKeys(IEnumerable<Pattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var list = patterns.ToArray();
        Patterns = list;
        var keys = new List<string>(list.Length);
        var owners = new List<int>(list.Length);
        Exact = new string?[list.Length];
        for (var p = 0; p < list.Length; p++)
        {
            ArgumentNullException.ThrowIfNull(list[p]);
            var key = Canonical(TextNormalizer.Normalize(list[p].Text).Text);
            if (key.Length == 0) continue;
            keys.Add(key);
            owners.Add(p);
            if (list[p].Weak) { Exact[p] = Lite(list[p].Text); continue; }
            var glued = key.Replace(" ", "", StringComparison.Ordinal);
            if (glued.Length != key.Length && glued.Length >= MinGluedLength) { keys.Add(glued); owners.Add(p); }
        }
        Keys = [.. keys];
        Owners = [.. owners];
        KeyOwners = [.. owners.Select(p => new KeyOwner(p, list[p].Id, Exact[p] is not null))];
    }

    public Pattern[] Patterns { get; }

    /// <summary>Normalised, canonical search keys; a pattern may own two (spaced and glued).</summary>
    public string[] Keys { get; }

    /// <summary>Index into <see cref="Patterns"/> for each key.</summary>
    public int[] Owners { get; }

    /// <summary>Per key, what a hit needs about its pattern in one place (read where keys end, usually out of cache).</summary>
    public KeyOwner[] KeyOwners { get; }

    /// <summary>Case-and-spacing-only form of each weak pattern; null for strong ones.</summary>
    private string?[] Exact { get; }

    /// <summary>
    /// i and l are one letter for matching: "1" is normalised to i but often stands for l ("a1 qaeda"), and
    /// Unicode's own skeletons fold I, l and 1 together.
    /// </summary>
    public static char Canonical(char c) => c == 'l' ? 'i' : c;

    public static string Canonical(string s) => s.Replace('l', 'i');

    /// <summary>Does a key hit at normalised <c>[start, end)</c> count as a match of pattern <paramref name="owner"/>?</summary>
    public bool Accept(int owner, ReadOnlySpan<char> normalized, int start, int end, ReadOnlySpan<char> original, int originalStart, int originalEnd) =>
        OnWordBoundaries(normalized, start, end) && IsExactEnough(owner, original, originalStart, originalEnd);

    /// <summary>The first half of <see cref="Accept"/>: the hit is whole words.</summary>
    public static bool OnWordBoundaries(ReadOnlySpan<char> normalized, int start, int end)
    {
        if (start > 0 && IsWordChar(normalized[start - 1]) && IsWordChar(normalized[start])) return false;
        return end >= normalized.Length || !IsWordChar(normalized[end]) || !IsWordChar(normalized[end - 1]);
    }

    /// <summary>The second half of <see cref="Accept"/>: a weak pattern's hit is exact up to case and spacing.</summary>
    public bool IsExactEnough(int owner, ReadOnlySpan<char> original, int originalStart, int originalEnd)
    {
        var exact = Exact[owner];
        return exact is null || string.Equals(Lite(original[originalStart..originalEnd]), exact, StringComparison.Ordinal);
    }

    // Digits are not word chars, so "isis2015" still holds "isis"; scripts written without spaces
    // (CJK, Thai) have no word boundaries to check.
    private static bool IsWordChar(char c) => c < 0x80 ? char.IsAsciiLetterLower(c) : c < 0x0E00 && char.IsLetter(c);

    /// <summary>Lower case, words separated by single spaces, nothing else undone.</summary>
    private static string Lite(ReadOnlySpan<char> s)
    {
        var chars = new char[s.Length];
        var n = 0;
        foreach (var c in s)
        {
            if (char.IsLetterOrDigit(c)) chars[n++] = char.ToLowerInvariant(c);
            else if (n > 0 && chars[n - 1] != ' ') chars[n++] = ' ';
        }
        if (n > 0 && chars[n - 1] == ' ') n--;
        return new string(chars, 0, n);
    }
}

/// <summary>A key's pattern: its index, its caller id, and whether it is weak (must match exactly).</summary>
internal readonly record struct KeyOwner(int Pattern, int PatternId, bool Weak);
