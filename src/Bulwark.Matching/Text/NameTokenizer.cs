namespace Bulwark.Matching.Text;

/// <summary>A name token: normalised Latin text, its consonant skeleton, whether it came from Arabic script, and
/// whether it is a whole multi-word name glued together (indexed for handles such as "abubakr").</summary>
internal readonly record struct NameToken(string Text, string Consonants, bool Abjad, bool Glued = false);

/// <summary>
/// Splits a normalised name into tokens for <see cref="NameMatcher"/>. Handles are split at separators and at
/// camel-case humps in the original when asked ("AbuBakr"); digits are dropped ("albaghdadi99") except runs of
/// leetspeak digits at a word's edge, which the normaliser leaves alone and names need ("54DDAM" → saddam);
/// the Arabic article and nasab particles are dropped, also when glued on ("albaghdadi" → "baghdadi"), because
/// their spelling varies more than it informs (al-/el-/ul-, bin/ibn/bn).
/// </summary>
internal static class NameTokenizer
{
    private static readonly HashSet<string> Particles = ["al", "el", "ul", "bin", "ibn", "bn", "bint", "ben", "binti", "de", "da", "of", "the", "and"];

    public static NameToken[] Tokenize(string name, bool splitCamelCase, out NormalizationSteps steps)
    {
        var normalized = TextNormalizer.Normalize(name);
        steps = normalized.Steps;
        var text = normalized.Text;
        var starts = normalized.Starts;
        var tokens = new List<NameToken>();
        var begin = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || text[i] == ' ' || splitCamelCase && i > begin && IsCamelHump(name, starts[i]);
            if (!boundary) continue;
            if (i > begin) Add(tokens, text, starts, name, begin, i);
            begin = text.Length > i && text[i] == ' ' ? i + 1 : i;
        }
        return [.. tokens];
    }

    /// <summary>True if the name has a lower-to-upper change inside a word ("AbuBakr").</summary>
    public static bool HasCamelHumps(string name)
    {
        for (var i = 1; i < name.Length; i++)
            if (IsCamelHump(name, i)) return true;
        return false;
    }

    private static bool IsCamelHump(string original, int at) =>
        at > 0 && char.IsUpper(original[at]) && char.IsLower(original[at - 1]);

    private static char Leet(char c) => c switch { '0' => 'o', '1' => 'i', '3' => 'e', '4' => 'a', '5' => 's', '7' => 't', _ => '\0' };

    private static void Add(List<NameToken> tokens, string text, ReadOnlySpan<int> starts, string original, int begin, int end)
    {
        Span<char> buffer = stackalloc char[Math.Min(end - begin, 256)];
        var n = 0;
        var abjad = false;
        var letters = false;
        for (var i = begin; i < end; i++) letters |= !char.IsAsciiDigit(text[i]);
        for (var i = begin; i < end && n < buffer.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                // A run of digits inside a word with letters: read it as leetspeak when every digit is a common
                // substitute ("d4r4554", "54ddam"), otherwise drop it ("isis2015", "albaghdadi99").
                var runEnd = i;
                var leet = letters;
                while (runEnd < end && char.IsAsciiDigit(text[runEnd])) leet &= Leet(text[runEnd++]) != '\0';
                for (; i < runEnd; i++)
                    if (leet && n < buffer.Length) buffer[n++] = Leet(text[i]);
                i--;
                continue;
            }
            buffer[n++] = text[i];
            abjad |= Transliteration.IsArabic(original[starts[i]]);
        }
        var token = buffer[..n];
        if (token.Length == 0) return;
        var s = token.ToString();
        if (Particles.Contains(s)) return;
        if (s.Length >= 5 && (s.StartsWith("al", StringComparison.Ordinal) || s.StartsWith("el", StringComparison.Ordinal))) s = s[2..];
        tokens.Add(new NameToken(s, Consonants(s), abjad));
    }

    /// <summary>
    /// Letters other than vowels and the semivowels w/y, doubles collapsed: "muhammad" and "mhmd" agree. Romanisations
    /// differ in digraphs (sh/š, th/ṯ, dh/ḏ, gh/ġ, kh/ḫ) and j/ǧ, and in a final h for ta marbuta, so the skeleton keeps
    /// one letter per digraph, reads j as g and drops a final h.
    /// </summary>
    public static string Consonants(string token)
    {
        Span<char> buffer = stackalloc char[Math.Min(token.Length, 256)];
        var n = 0;
        var previous = '\0';
        foreach (var ch in token)
        {
            var c = ch;
            var before = previous;
            previous = ch;
            if (c is 'a' or 'e' or 'i' or 'o' or 'u' or 'w' or 'y') continue;
            if (c == 'j') c = 'g';
            // sh, th, dh, gh, ch: one consonant, already written as its first letter; kh reads as h (ḫ).
            if (c == 'h' && before is 's' or 't' or 'd' or 'g' or 'c') continue;
            if (c == 'h' && before == 'k' && n > 0) { buffer[n - 1] = 'h'; continue; }
            if (n > 0 && buffer[n - 1] == c) continue;
            if (n == buffer.Length) break;
            buffer[n++] = c;
        }
        if (n > 2 && buffer[n - 1] == 'h') n--;
        return buffer[..n].ToString();
    }
}
