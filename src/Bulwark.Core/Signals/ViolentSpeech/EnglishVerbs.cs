namespace Bulwark.Core.Signals.ViolentSpeech;

/// <summary>The form of an English verb: base ("kill", also the imperative), third person singular, past, past participle, -ing.</summary>
[Flags]
internal enum EnglishForm : byte
{
    None = 0,
    Base = 1,
    ThirdSingular = 2,
    Past = 4,
    PastParticiple = 8,
    Gerund = 16,
}

/// <summary>
/// English inflections by rule (kill → kills, killed, killing; stab → stabbed, stabbing; strangle → strangled; bury → buried)
/// with a short table of irregular verbs (shoot → shot, blow → blew, blown). Short verbs ending consonant-vowel-consonant
/// double the consonant (stab, gun, mow excepted by its w); longer ones are listed when they do.
/// </summary>
internal static class EnglishVerbs
{
    private static readonly Dictionary<string, (string Past, string Participle)> Irregular = new(StringComparer.Ordinal)
    {
        ["shoot"] = ("shot", "shot"), ["blow"] = ("blew", "blown"), ["burn"] = ("burned", "burnt"), ["hang"] = ("hanged", "hung"),
        ["slay"] = ("slew", "slain"), ["slit"] = ("slit", "slit"), ["cut"] = ("cut", "cut"), ["run"] = ("ran", "run"),
        ["beat"] = ("beat", "beaten"), ["drive"] = ("drove", "driven"), ["set"] = ("set", "set"), ["put"] = ("put", "put"),
        ["take"] = ("took", "taken"), ["mow"] = ("mowed", "mown"), ["hit"] = ("hit", "hit"), ["plough"] = ("ploughed", "ploughed"),
        ["wipe"] = ("wiped", "wiped"), ["make"] = ("made", "made"), ["go"] = ("went", "gone"), ["die"] = ("died", "died"),
        ["hurt"] = ("hurt", "hurt"), ["plant"] = ("planted", "planted"), ["open"] = ("opened", "opened"),
    };

    /// <summary>Every form of <paramref name="lemma"/> with what it can be.</summary>
    public static IEnumerable<(string Form, EnglishForm Kind)> Inflect(string lemma)
    {
        yield return (lemma, EnglishForm.Base);
        yield return (ThirdSingular(lemma), EnglishForm.ThirdSingular);
        yield return (Gerund(lemma), EnglishForm.Gerund);
        // The dropped g of speech and chat ("shootin", "killin", "stabbin").
        yield return (Gerund(lemma)[..^1], EnglishForm.Gerund);
        if (Irregular.TryGetValue(lemma, out var irregular))
        {
            yield return (irregular.Past, EnglishForm.Past);
            yield return (irregular.Participle, EnglishForm.PastParticiple);
            // "burned"/"burnt", "hanged"/"hung": both are written.
            if (lemma is "burn") yield return ("burnt", EnglishForm.Past);
            if (lemma is "hang") yield return ("hung", EnglishForm.Past);
            yield break;
        }
        var past = Past(lemma);
        yield return (past, EnglishForm.Past | EnglishForm.PastParticiple);
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    /// <summary>One syllable ending consonant-vowel-consonant (not w, x, y): the consonant doubles ("stab" → "stabbed").</summary>
    private static bool Doubles(string w) =>
        w.Length >= 3 && !IsVowel(w[^1]) && w[^1] is not ('w' or 'x' or 'y') && IsVowel(w[^2]) && !IsVowel(w[^3])
        && w.Count(IsVowel) == 1;

    private static string ThirdSingular(string w) =>
        w.EndsWith('s') || w.EndsWith('x') || w.EndsWith("sh", StringComparison.Ordinal) || w.EndsWith("ch", StringComparison.Ordinal) ? w + "es"
        : w.Length > 2 && w[^1] == 'y' && !IsVowel(w[^2]) ? w[..^1] + "ies"
        : w + "s";

    private static string Past(string w) =>
        w.EndsWith('e') ? w + "d"
        : w.Length > 2 && w[^1] == 'y' && !IsVowel(w[^2]) ? w[..^1] + "ied"
        : Doubles(w) ? w + w[^1] + "ed"
        : w + "ed";

    private static string Gerund(string w) =>
        w.EndsWith("ie", StringComparison.Ordinal) ? w[..^2] + "ying"
        : w.EndsWith('e') && !w.EndsWith("ee", StringComparison.Ordinal) ? w[..^1] + "ing"
        : Doubles(w) ? w + w[^1] + "ing"
        : w + "ing";
}
