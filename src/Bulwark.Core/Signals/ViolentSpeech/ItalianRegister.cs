using System.Text;
using Bulwark.Matching.Text;

namespace Bulwark.Core.Signals.ViolentSpeech;

/// <summary>
/// Italian as it is written in chats and comments, mapped word by word to the standard forms the lexicon knows, after
/// <see cref="TextNormalizer"/> and before the analyser reads a clause. Each rule is a mechanism of the written register, not
/// a list of sentences (docs/violent-speech.md, "Italian online register"):
/// <list type="bullet">
/// <item>abbreviations of chat and SMS writing: "nn" (non), "cmq" (comunque), "xké"/"xke" (perché: the multiplication sign
/// read "per"), "x" (per), "ke"/"k" (che), "qlcn" (qualcuno), "tt" (tutti), "dv" (dove), "dmn" (domani)…;</item>
/// <item>"k" for the hard c: "k" before e/i stands for "ch" ("kiesa", "anke"), elsewhere for "c" ("skannare") — applied only
/// when the result is a word the lexicon knows;</item>
/// <item>letters repeated for emphasis ("ammazzooo", "tiii"): runs of three or more are shortened to two or one, whichever
/// gives a known word;</item>
/// <item>the truncated infinitive of Roman and southern speech, written with an accent ("ammazzà", "sparà", "scannà" for
/// ammazzare, sparare, scannare), read from the original character, since normalisation drops the accent;</item>
/// <item>an elided clitic written without its apostrophe ("tammazzo" for t'ammazzo), split when the rest is a violent verb;</item>
/// <item>Roman and southern function words before an Italian verb: "nun" (non), "je" (gli), "c"/"m" (ci/mi), and "6" (sei)
/// before "morto"/"finito".</item>
/// </list>
/// Words are only replaced when the replacement is known (or the context is Italian), so English text is left alone.
/// </summary>
internal static class ItalianRegister
{
    /// <summary>Abbreviations replaced wherever they stand: none of them is an English word the analyser reads.</summary>
    private static readonly Dictionary<string, string> Always = new(StringComparer.Ordinal)
    {
        ["nn"] = "non", ["cmq"] = "comunque", ["ke"] = "che", ["k"] = "che", ["ki"] = "chi", ["xke"] = "perche", ["xk"] = "perche",
        ["xche"] = "perche", ["xch"] = "perche", ["perke"] = "perche", ["pke"] = "perche", ["xo"] = "pero", ["x"] = "per",
        ["qlcn"] = "qualcuno", ["qcn"] = "qualcuno", ["qlcno"] = "qualcuno", ["qualkuno"] = "qualcuno", ["qlc"] = "qualche",
        ["tt"] = "tutti", ["dv"] = "dove", ["dmn"] = "domani", ["qnd"] = "quando", ["qndo"] = "quando",
        ["qst"] = "questo", ["qsto"] = "questo", ["qsta"] = "questa", ["qsti"] = "questi", ["sti"] = "questi",
        ["nnt"] = "niente", ["gnt"] = "niente", ["prox"] = "prossimo", ["sn"] = "sono", ["cn"] = "con", ["ank"] = "anche",
        ["anke"] = "anche", ["kome"] = "come", ["kosa"] = "cosa", ["stasra"] = "stasera", ["stsera"] = "stasera",
    };

    /// <summary>Replaced only before an Italian verb form or clitic: "nun te preoccupà", "je sparo", "c vediamo", "m hai rotto".</summary>
    private static readonly Dictionary<string, string> BeforeItalianVerb = new(StringComparer.Ordinal)
    {
        ["nun"] = "non", ["je"] = "gli", ["c"] = "ci", ["m"] = "mi",
    };

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> AlwaysLookup = Always.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> VerbLookup = BeforeItalianVerb.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Rewrites the clause's normalised words. Returns false (and nulls) when nothing changed, which is the common case and
    /// costs one dictionary look-up per word. Otherwise <paramref name="text"/> is the new clause text and
    /// <paramref name="starts"/>/<paramref name="ends"/> map each of its characters to the original, as
    /// <see cref="NormalizedText"/> does; a replaced word maps every character to the whole original word.
    /// </summary>
    /// <param name="original">The text that was normalised (the offsets of <paramref name="map"/> point into it).</param>
    public static bool TryRewrite(NormalizedText map, ReadOnlySpan<char> original, out string? text, out int[]? starts, out int[]? ends)
    {
        text = null; starts = null; ends = null;
        var source = map.Text;
        StringBuilder? sb = null;
        List<int>? s = null, e = null;
        var copied = 0; // source chars [0, copied) are already in sb
        var wordStart = 0;
        for (var i = 0; i <= source.Length; i++)
        {
            if (i < source.Length && source[i] != ' ') continue;
            if (i > wordStart)
            {
                var next = NextWord(source, i);
                var replacement = Replace(source.AsSpan(wordStart, i - wordStart), next, original, map, wordStart, i);
                if (replacement is not null)
                {
                    if (sb is null) { sb = new StringBuilder(source.Length + 8); s = new List<int>(source.Length + 8); e = new List<int>(source.Length + 8); }
                    Copy(source, map, copied, wordStart, sb, s!, e!);
                    var (from, to) = (map.Starts[wordStart], map.Ends[i - 1]);
                    foreach (var c in replacement) { sb.Append(c); s!.Add(from); e!.Add(to); }
                    copied = i;
                }
            }
            wordStart = i + 1;
        }
        if (sb is null) return false;
        Copy(source, map, copied, source.Length, sb, s!, e!);
        text = sb.ToString();
        starts = s!.ToArray();
        ends = e!.ToArray();
        return true;
    }

    private static void Copy(string source, NormalizedText map, int from, int to, StringBuilder sb, List<int> s, List<int> e)
    {
        for (var k = from; k < to; k++) { sb.Append(source[k]); s.Add(map.Starts[k]); e.Add(map.Ends[k]); }
    }

    private static ReadOnlySpan<char> NextWord(string source, int end)
    {
        if (end >= source.Length) return [];
        var start = end + 1;
        var stop = source.IndexOf(' ', start);
        return source.AsSpan(start, (stop < 0 ? source.Length : stop) - start);
    }

    /// <summary>The standard form of one normalised word, or null to keep it.</summary>
    internal static string? Replace(ReadOnlySpan<char> word, ReadOnlySpan<char> next, ReadOnlySpan<char> original, NormalizedText map, int start, int end)
    {
        if (AlwaysLookup.TryGetValue(word, out var always)) return always;
        if (VerbLookup.TryGetValue(word, out var beforeVerb)) return IsItalianVerbOrClitic(next) ? beforeVerb : null;
        // "6 morto" (sei morto), but not "6 morti" (six dead, a count): only before a singular predicate.
        if (word is "6") return next is "morto" or "morta" or "finito" or "finita" or "fottuto" or "fottuta" or "spacciato" or "spacciata" ? "sei" : null;
        var known = SpeechLexicon.Find(word);
        // "ammazzà", "sparà": the accented final vowel of a truncated infinitive (the accent is in the original, not in the word).
        if (word.Length >= 4 && TruncatedInfinitive(word, original, map, end - 1) is { } infinitive) return infinitive;
        if (known is not null) return null;
        if (word.Contains('k') && HardC(word) is { } hard) return hard;
        if (Shortened(word) is { } shortened) return shortened;
        if (word.Length >= 5 && word[0] is 't' or 'v' && IsVowel(word[1]))
        {
            // "tammazzo", and stretched as well: "tammazzooo".
            var rest = SpeechLexicon.Find(word[1..]) is { Act.Language: "it" } ? word[1..].ToString()
                : Shortened(word[1..]) is { } s && SpeechLexicon.Find(s) is { Act.Language: "it" } ? s : null;
            if (rest is not null) return string.Concat(word[..1], " ", rest);
        }
        return null;
    }

    private static bool IsItalianVerbOrClitic(ReadOnlySpan<char> next) =>
        next is "t" or "v" or "l" or "s" // an elided clitic: "nun t'ammazzo"
        || SpeechLexicon.Find(next) is { } lex && (lex.ItalianLemma is not null || (lex.Flags & (W.ProcliticSecond | W.ProcliticThird | W.ProcliticFirst)) != 0);

    private static string? TruncatedInfinitive(ReadOnlySpan<char> word, ReadOnlySpan<char> original, NormalizedText map, int last)
    {
        var at = map.Starts[last];
        if (at >= original.Length) return null;
        var ending = original[at] switch
        {
            'à' or 'À' => "are",
            'ì' or 'Ì' => "ire",
            'è' or 'é' or 'È' or 'É' => "ere",
            _ => null,
        };
        if (ending is null || word[^1] != ending[0]) return null;
        var candidate = string.Concat(word[..^1], ending);
        return SpeechLexicon.Find(candidate) is { } lex && (lex.Italian & ItalianForm.Infinitive) != 0 ? candidate : null;
    }

    /// <summary>"kiesa" → "chiesa", "skannare" → "scannare": only when the result is a known word.</summary>
    private static string? HardC(ReadOnlySpan<char> word)
    {
        var sb = new StringBuilder(word.Length + 4);
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] != 'k') { sb.Append(word[i]); continue; }
            sb.Append(i + 1 < word.Length && word[i + 1] is 'e' or 'i' ? "ch" : "c");
        }
        var candidate = sb.ToString();
        return SpeechLexicon.Find(candidate) is not null || Always.ContainsValue(candidate) ? candidate : null;
    }

    /// <summary>Runs of three or more equal letters shortened to two or one ("ammazzzooo" → "ammazzo"), at most three runs.</summary>
    private static string? Shortened(ReadOnlySpan<char> word)
    {
        Span<(int Start, int Length)> runs = stackalloc (int, int)[3];
        var count = 0;
        for (var i = 0; i < word.Length;)
        {
            var j = i + 1;
            while (j < word.Length && word[j] == word[i]) j++;
            if (j - i >= 3 && char.IsLetter(word[i]))
            {
                if (count == runs.Length) return null;
                runs[count++] = (i, j - i);
            }
            i = j;
        }
        if (count == 0) return null;
        for (var mask = 0; mask < 1 << count; mask++)
        {
            var sb = new StringBuilder(word.Length);
            var at = 0;
            for (var r = 0; r < count; r++)
            {
                sb.Append(word[at..runs[r].Start]);
                sb.Append(word[runs[r].Start], (mask >> r & 1) == 0 ? 2 : 1);
                at = runs[r].Start + runs[r].Length;
            }
            sb.Append(word[at..]);
            var candidate = sb.ToString();
            if (SpeechLexicon.Find(candidate) is not null) return candidate;
            if (AlwaysLookup.TryGetValue(candidate, out var abbreviation)) return abbreviation;
        }
        return null;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
