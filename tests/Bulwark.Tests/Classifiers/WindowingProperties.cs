using Bulwark.Core.Signals.Classifiers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bulwark.Tests.Classifiers;

/// <summary>
/// The windowed score (<see cref="WindowedScoring"/>) against plain definitions: appended text never dilutes a threat that
/// fires alone, and on texts built from known sentences the score equals the maximum over the sentences and adjacent pairs,
/// each scored independently with <see cref="ITextClassifier.Score"/>.
/// </summary>
public class WindowingProperties
{
    private static readonly LinearTextModel Model = LinearTextModel.LoadDefault();
    private static readonly int Threat = Model.Manifest.Heads.ToList().FindIndex(h => h.Label == "threat");

    /// <summary>Sentences that fire the threat head alone (checked in <see cref="Every_threat_sentence_fires_alone"/>).</summary>
    private static readonly string[] Threats =
    [
        "I'm going to shoot up the school tomorrow.",
        "I will kill you all tomorrow.",
        "Ti ammazzo domani, so dove abiti.",
    ];

    /// <summary>Ordinary sentences, with quotes (matched and stray), emoji, hashtags, links, Italian, and a run-on sentence.</summary>
    private static readonly string[] Sentences =
    [
        "What a lovely day at the beach with my family.",
        "The match last night was amazing, we won 3-1!",
        "He said \"stop. now\" and walked off.",
        "Ho visto il film ieri sera, bellissimo.",
        "Is anyone going to the concert on Friday?",
        "lol 😂😂",
        "Check this out https://example.org/x #travel @anna",
        "She wrote 'never again' in her diary.",
        "\"", "Ok.", "…",
        "This is a very long sentence without any punctuation that goes on and on about the weather the traffic the news the football the recipes the holidays the neighbours the garden the cat the dog and everything else people talk about when they have time to kill on a slow afternoon at home",
        "Grazie a tutti per gli auguri, siete fantastici!",
        "My boss is going to kill me if I'm late again.",
    ];

    private static Gen<string> TextGen =>
        from n in Gen.Choose(0, 8)
        from parts in Gen.ListOf(Gen.Elements(Sentences), n)
        from seps in Gen.ListOf(Gen.Elements(" ", "\n", "  ", " \n "), n)
        select string.Concat(parts.Zip(seps, (p, s) => p + s)).TrimEnd();

    [Fact]
    public void Every_threat_sentence_fires_alone()
    {
        Span<double> p = stackalloc double[Model.Manifest.Heads.Count];
        foreach (var s in Threats)
        {
            Model.Score(s, p);
            Assert.True(p[Threat] >= Model.Manifest.Heads[Threat].Threshold, $"{s}: {p[Threat]}");
        }
    }

    /// <summary>For any text T and a threat S that fires alone, "T, a sentence break, S" and "S T" still fire, with S's own score.</summary>
    [Property(MaxTest = 200)]
    public Property Appended_text_never_dilutes_a_threat() =>
        Prop.ForAll(TextGen.ToArbitrary(), Gen.Elements(Threats).ToArbitrary(), Gen.Elements(". ", "! ", "\n", "? ").ToArbitrary(), (t, s, sep) =>
        {
            Span<double> alone = stackalloc double[Model.Manifest.Heads.Count];
            Model.Score(s, alone);
            var after = WindowedScoring.Score(Model, t + sep + s).Probabilities[Threat];
            var before = WindowedScoring.Score(Model, s + " " + t).Probabilities[Threat];
            return after >= alone[Threat] && before >= alone[Threat];
        });

    /// <summary>On texts made of known sentences, the windowed score equals the plain definition: the maximum over each sentence
    /// and each pair of adjacent sentences, each scored on its own, windows of fewer than three word tokens left out.</summary>
    [Property(MaxTest = 200)]
    public Property Windowed_score_equals_the_max_over_independently_scored_windows() =>
        Prop.ForAll((from n in Gen.Choose(1, 6)
                     from l in Gen.ListOf(Gen.Elements(Sentences.Where(s => s.Length is > 1 and < 200 && ".!?…\"".Contains(s[^1])).Concat(Threats).ToArray()), n)
                     select l.ToList()).ToArbitrary(), sentences =>
        {
            var text = string.Join(' ', sentences);
            var windows = sentences.Concat(sentences.Zip(sentences.Skip(1), (a, b) => a + " " + b)).ToList();
            var reference = new double[Model.Manifest.Heads.Count];
            var p = new double[reference.Length];
            var any = false;
            if (PlainWords(text) >= 3)
                foreach (var w in windows)
                {
                    if (windows.Count > 1 && PlainWords(w) < 3) continue;
                    Model.Score(w, p);
                    for (var h = 0; h < p.Length; h++) reference[h] = any ? Math.Max(reference[h], p[h]) : p[h];
                    any = true;
                }
            var actual = WindowedScoring.Score(Model, text).Probabilities;
            return reference.Zip(actual, (r, a) => r == a).All(x => x)
                .Label($"text: {text}\nreference: {string.Join(", ", reference)}\nactual: {string.Join(", ", actual)}");
        });

    /// <summary>Pieces that stress where sentences and clauses meet: quotes opened and closed (or not) across sentences,
    /// apostrophes, brackets, protected groups with praise and negation (target and stance), questions, leetspeak, emoji,
    /// spaced-out letters, links and Italian elisions.</summary>
    private static readonly string[] Pieces =
    [
        "I will kill you", "muslims are wonderful", "women are not disgusting", "gli immigrati non sono feccia", "you are vermin",
        "\"stop", "now\"", "'never", "again'", "he said", "(really)", "[sic]", "don't", "l'odio", "k1ll", "s p a r o", "😂",
        "https://example.org/x", "@anna", "#live", "nothing but rats", "non sono altro che", "what?", "why", "…", "—", "«ciao»",
        "“quoted”", "the match", "domani", "ti ammazzo", "jews", "great", "people", "never", "hate",
    ];

    private static Gen<string> PieceText =>
        from n in Gen.Choose(1, 12)
        from parts in Gen.ListOf(Gen.Elements(Pieces), n)
        from seps in Gen.ListOf(Gen.Elements(" ", ". ", "! ", "? ", "\n", ", ", ".\" ", "' ", " \" ", ".) ", "… ", "\" "), n)
        select string.Concat(parts.Zip(seps, (p, s) => p + s)).Trim();

    /// <summary>
    /// The fast path (each sentence featurised once, windows composed from them) gives exactly the scores and strongest windows
    /// of the reference (every window's text featurised on its own), on texts built to stress sentence and quotation boundaries
    /// and on the windowing generator's texts.
    /// </summary>
    [Property(MaxTest = 500)]
    public Property Composing_windows_from_sentences_featurised_once_equals_featurising_every_window() =>
        Prop.ForAll(Gen.OneOf(PieceText, TextGen).ToArbitrary(), text =>
        {
            var fast = WindowedScoring.Score(Model, text, "text", reuseSentences: true);
            var reference = WindowedScoring.Score(Model, text, "text", reuseSentences: false);
            return (fast.Probabilities.SequenceEqual(reference.Probabilities) && fast.Strongest.SequenceEqual(reference.Strongest)
                    && fast.Windows == reference.Windows && fast.NotScored == reference.NotScored)
                .Label($"text: {text}\nfast: {string.Join(", ", fast.Probabilities)}\nreference: {string.Join(", ", reference.Probabilities)}");
        });

    /// <summary>Every non-space character lies in some window, and the windows' total length is at most six times the text's (linear work).</summary>
    [Property(MaxTest = 300)]
    public Property Windows_cover_the_text_in_linear_work() =>
        Prop.ForAll(Gen.OneOf(TextGen, Gen.Choose(1, 3000).Select(n => new string('x', n)), Gen.Choose(1, 400).Select(n => string.Join(' ', Enumerable.Repeat("word", n)))).ToArbitrary(), text =>
        {
            var windows = new List<TextWindow>();
            TextWindows.Enumerate(text, windows);
            var covered = new bool[text.Length];
            foreach (var w in windows) for (var i = w.Start; i < w.End; i++) covered[i] = true;
            var uncovered = Enumerable.Range(0, text.Length).Where(i => !char.IsWhiteSpace(text[i]) && !covered[i]).ToList();
            var total = windows.Sum(w => (long)w.Length);
            return (uncovered.Count == 0 && total <= 6L * Math.Max(1, text.Length)
                    && windows.All(w => w.Length <= 2 * (TextWindows.MaxWindowChars + 1) || text.AsSpan(w.Start, w.Length).Count(' ') <= 2 * TextWindows.MaxWindowTokens))
                .Label($"uncovered {uncovered.Count}, total {total} of {text.Length}");
        });

    /// <summary>The word-token rule written plainly: white-space tokens with a letter that are not links, mentions or hashtags.</summary>
    private static int PlainWords(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
        .Select(t => t.TrimStart('"', '\'', '“', '‘', '«', '(', '¿', '¡', '['))
        .Count(t => t.Length > 0 && t[0] != '@' && t[0] != '#' && !t.Contains("://") && !t.StartsWith("www.", StringComparison.OrdinalIgnoreCase) && t.Any(char.IsLetter));
}
