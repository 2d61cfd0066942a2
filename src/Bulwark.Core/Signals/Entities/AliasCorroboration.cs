using System.Reflection;
using Bulwark.Matching.Text;

namespace Bulwark.Core.Signals.Entities;

/// <summary>
/// When a name of one word found in free text counts as a mention of its entity. "Hassan" is a UN alias of a listed
/// individual and the given name of a great many people: alone it is not evidence. A single-token name, alias or
/// original-script name (particles such as <c>al-</c> or <c>abu</c> not counted) matches only when
/// <list type="bullet">
/// <item>it is distinctive and well attested: graded strong or former (UN quality "Good", "a.k.a.", "f.k.a."; manual
/// terms), at least four letters, not a common given name (<c>Data/common-given-names.txt</c>) and not a word of the names
/// of <see cref="CommonAcrossEntities"/> or more approved entities; or</item>
/// <item>a second name token of the same entity stands within <see cref="NameWindow"/> words of it ("Mohamed Hassan",
/// "Hassan Lahbous"); or</item>
/// <item>a context word of the entity appears anywhere in the same text: a distinctive word of its other names, aliases,
/// hashtags or slogans ("Hassan … Ennouini").</item>
/// </list>
/// Names of two or more words are unaffected, and so is the name matcher that scores handles and display names.
/// </summary>
internal sealed class AliasCorroboration
{
    /// <summary>A word in the names of this many approved entities is too common to identify one.</summary>
    public const int CommonAcrossEntities = 3;
    /// <summary>How many words either side of a single-token alias a second name token may stand.</summary>
    public const int NameWindow = 3;
    private const int MinDistinctiveLength = 4;

    /// <summary>Name particles and honorifics: part of names, never on their own evidence of one.</summary>
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "a", "al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an", "abu", "abou", "bu", "bin", "ben", "ibn", "bint", "umm", "um", "ould",
        "wad", "de", "da", "di", "del", "della", "der", "van", "von", "la", "le", "los", "the", "of", "and", "haji", "hajji", "sheikh",
        "shaykh", "mullah", "mr", "mrs", "dr",
    };

    public static IReadOnlySet<string> CommonGivenNames { get; } = LoadGivenNames();

    private readonly Dictionary<string, int> _entitiesPerToken;

    private AliasCorroboration(Dictionary<string, int> entitiesPerToken) => _entitiesPerToken = entitiesPerToken;

    /// <summary>The content words of a term as the text matcher sees it (normalised: lower case, Latin where possible).</summary>
    public static string[] Tokens(string value) =>
        TextNormalizer.Normalize(value).Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => !Particles.Contains(t)).ToArray();

    /// <summary>Counts, for every word of every name-type term, how many entities carry it.</summary>
    public static AliasCorroboration Build(IEnumerable<(int Entity, string[] Tokens)> nameTerms)
    {
        var seen = new HashSet<(string, int)>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (entity, tokens) in nameTerms)
            foreach (var t in tokens)
                if (seen.Add((t, entity))) counts[t] = counts.GetValueOrDefault(t) + 1;
        return new AliasCorroboration(counts);
    }

    /// <summary>A word that identifies rather than describes: long enough, not a common given name, not in many entities' names.</summary>
    public bool IsDistinctive(string token) =>
        token.Length >= MinDistinctiveLength && !CommonGivenNames.Contains(token) && _entitiesPerToken.GetValueOrDefault(token) < CommonAcrossEntities;

    /// <summary>Whether a name-type term of one word needs corroboration in free text.</summary>
    public bool NeedsCorroboration(string type, string grade, string[] tokens) =>
        EntityTermTypes.IsName(type) && tokens.Length <= 1 && (tokens.Length == 0 || grade == EntityGrades.Weak || !IsDistinctive(tokens[0]));

    /// <summary>
    /// What corroborates a single-token match at original offsets [<paramref name="start"/>, <paramref name="end"/>) of the
    /// text whose words are <paramref name="words"/>, or null when nothing does.
    /// </summary>
    /// <remarks>
    /// Cost per match: a binary search and the window; the scan of the whole text for a context word runs once per entity
    /// and call (<paramref name="contextCache"/>), so a long text repeating a common name stays linear.
    /// </remarks>
    public static string? Find(IReadOnlyList<Word> words, int start, int end, string alias, IReadOnlySet<string> nameTokens, IReadOnlySet<string> contextTokens,
        Dictionary<(IReadOnlySet<string>, string), string?>? contextCache = null)
    {
        // Words are in text order: the first whose end is past the match's start, then those that start before its end.
        int lo0 = 0, hi0 = words.Count;
        while (lo0 < hi0) { var mid = (lo0 + hi0) / 2; if (words[mid].End <= start) lo0 = mid + 1; else hi0 = mid; }
        int first = -1, last = -1;
        for (var i = lo0; i < words.Count && words[i].Start < end; i++) { if (first < 0) first = i; last = i; }
        if (first >= 0)
        {
            // Particles do not count towards the window: "Hassan al-Lahbous" has the surname one word away.
            var lo = first;
            for (var n = 0; lo > 0 && n < NameWindow;) { lo--; if (!Particles.Contains(words[lo].Text)) n++; }
            var hi = last;
            for (var n = 0; hi < words.Count - 1 && n < NameWindow;) { hi++; if (!Particles.Contains(words[hi].Text)) n++; }
            for (var i = lo; i <= hi; i++)
                if ((i < first || i > last) && words[i].Text != alias && nameTokens.Contains(words[i].Text))
                    return $"second name word \"{words[i].Text}\"";
        }
        // A context word other than the alias itself; the alias's own occurrences never count, wherever they are.
        if (contextCache is not null && contextCache.TryGetValue((contextTokens, alias), out var cached)) return cached;
        string? found = null;
        foreach (var w in words)
            if (w.Text != alias && contextTokens.Contains(w.Text)) { found = $"context word \"{w.Text}\""; break; }
        if (contextCache is not null) contextCache[(contextTokens, alias)] = found;
        return found;
    }

    /// <summary>A word of the normalised text with its original offsets.</summary>
    public readonly record struct Word(string Text, int Start, int End);

    public static List<Word> Words(string text)
    {
        var n = TextNormalizer.Normalize(text);
        var words = new List<Word>();
        var s = n.Text;
        for (var i = 0; i < s.Length;)
        {
            if (s[i] == ' ') { i++; continue; }
            var j = i;
            while (j < s.Length && s[j] != ' ') j++;
            var (start, end) = n.ToOriginal(i, j - i);
            words.Add(new Word(s[i..j], start, end));
            i = j;
        }
        return words;
    }

    private static HashSet<string> LoadGivenNames()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Bulwark.Entities/common-given-names.txt")
            ?? throw new InvalidOperationException("The embedded list of common given names is missing.");
        using var reader = new StreamReader(stream);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Trim() is { Length: > 0 } name && name[0] != '#') names.Add(TextNormalizer.Normalize(name).Text);
        return names;
    }
}
