using Bulwark.Core.Signals.ViolentSpeech;
using Bulwark.Matching.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bulwark.Tests.ViolentSpeech;

/// <summary>
/// Italian as written online (issue #15): chat abbreviations, "k" for the hard c, letters repeated for emphasis, the
/// truncated Roman infinitive, elisions without or with another apostrophe, Roman function words, clitics that climb to
/// the governing verb, and negation of the governing verb. One mechanism per test, each with a benign contrast. Every
/// sentence is written for this test; none is taken from an evaluation set.
/// </summary>
public class ItalianRegisterTests
{
    private static SpeechFinding? Top(string text, SpeechKind kind) =>
        ViolentSpeechAnalyser.Analyse(text, "it").FirstOrDefault(f => f.Kind == kind);

    private static SpeechFinding Fires(string text, SpeechKind kind)
    {
        var f = Top(text, kind);
        Assert.True(f is { Fired: true }, $"expected a {kind} in \"{text}\"; found: {Describe(text)}");
        return f!;
    }

    private static void Quiet(string text)
    {
        var fired = ViolentSpeechAnalyser.Analyse(text, "it").Where(f => f.Fired).ToList();
        Assert.True(fired.Count == 0, $"expected nothing in \"{text}\"; found: {Describe(text)}");
    }

    private static string Describe(string text) =>
        string.Join(" | ", ViolentSpeechAnalyser.Analyse(text, "it").Select(f => $"{f.Kind} {f.Score:0.00} {f.Explanation}")) is { Length: > 0 } s ? s : "nothing";

    [Theory]
    [InlineData("qlcn dovrebbe sgozzarlo", SpeechKind.Incitement)]
    [InlineData("dmn ti sparo davanti all'ufficio", SpeechKind.Threat)]
    [InlineData("cmq sabato t accoltello", SpeechKind.Threat)]
    public void Chat_abbreviations_read_as_the_words_they_stand_for(string text, SpeechKind kind) => Fires(text, kind);

    [Fact]
    public void An_abbreviated_time_counts_as_a_time()
    {
        var f = Fires("dmn ti sparo davanti all'ufficio", SpeechKind.Threat);
        Assert.Contains("time 'dmn'", f.Explanation);
        Assert.True(f.Score >= 0.95, Describe("dmn ti sparo davanti all'ufficio"));
    }

    [Theory]
    [InlineData("nn ti sparo, tranquillo")]
    [InlineData("k ok ci vediamo dmn")]
    [InlineData("cmq nn ti ammazzo mai")]
    public void Abbreviated_negation_and_harmless_abbreviations_stay_quiet(string text) => Quiet(text);

    [Fact]
    public void K_for_the_hard_c_is_read_only_where_it_gives_a_known_word()
    {
        var f = Fires("venerdì ti sparo davanti alla kiesa", SpeechKind.Threat);
        Assert.Contains("place", f.Explanation);
        Assert.Contains("kiesa", f.Explanation); // the explanation quotes the writer's own spelling
        Quiet("kiki ha un kayak");
    }

    [Theory]
    [InlineData("ti ammazzooooo")]
    [InlineData("ti sgozzzzo stasera")]
    public void Letters_repeated_for_emphasis_are_shortened_to_a_known_word(string text) => Fires(text, SpeechKind.Threat);

    [Fact]
    public void Repeated_letters_in_a_harmless_word_stay_quiet() => Quiet("ti adorooooo stasera");

    [Theory]
    [InlineData("te vengo a ammazzà sotto casa")]
    [InlineData("domani vado a scannà quer bastardo")]
    public void The_truncated_Roman_infinitive_is_an_infinitive(string text) => Fires(text, SpeechKind.Threat);

    [Fact]
    public void A_truncated_infinitive_needs_its_accent_and_a_known_verb()
    {
        // "dà" is the third person of dare with its standard accent, not a truncated infinitive.
        Quiet("il mister gli dà fuoco alla squadra in allenamento ahah");
        Quiet("vado a mangià");
    }

    [Theory]
    [InlineData("tammazzo")]
    [InlineData("vammazzo tutti")]
    [InlineData("t\u02BCammazzo")]   // modifier letter apostrophe
    [InlineData("t\u2019ammazzo")]   // typographic apostrophe
    public void An_elided_clitic_with_any_apostrophe_or_none_is_a_clitic(string text) => Fires(text, SpeechKind.Threat);

    [Theory]
    [InlineData("je sparo in faccia a quello")]
    [InlineData("nun te preoccupà, je sparo")]
    public void Roman_function_words_before_a_verb_read_as_standard_ones(string text) => Fires(text, SpeechKind.Threat);

    [Fact]
    public void Roman_nun_is_a_negation_only_before_an_Italian_verb()
    {
        Quiet("nun t'ammazzo");
        Quiet("nun te sparo, tranquillo");
        Assert.False(ItalianRegister.TryRewrite(TextNormalizer.Normalize("the nun prays for you"), "the nun prays for you", out _, out _, out _));
        Assert.True(ItalianRegister.TryRewrite(TextNormalizer.Normalize("nun te sparo"), "nun te sparo", out var text, out var starts, out var ends));
        Assert.Equal("non te sparo", text);
        // Every character of the replaced word maps to the whole original word; the rest map to themselves.
        Assert.Equal([0, 0, 0, 3, 4, 5, 6, 7, 8, 9, 10, 11], starts!);
        Assert.Equal([3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], ends!);
    }

    [Fact]
    public void Six_for_sei_only_before_a_singular_predicate()
    {
        Fires("6 morto", SpeechKind.Threat);
        Quiet("6 morti nell'incidente sulla statale");
    }

    [Theory]
    [InlineData("ti voglio ammazzare")]
    [InlineData("ti vengo ad ammazzare stasera")]
    [InlineData("lo devo ammazzare quel bastardo")]
    [InlineData("vi vengo a sparare domani")]
    public void A_clitic_that_climbed_to_the_governing_verb_is_the_target(string text) => Fires(text, SpeechKind.Threat);

    [Theory]
    [InlineData("non voglio ammazzarti")]
    [InlineData("nn sto per spararti")]
    [InlineData("non ti voglio ammazzare, ti voglio bene")]
    [InlineData("io non devo ucciderlo")]
    public void A_negated_governing_verb_cancels_the_intent(string text) => Quiet(text);

    [Theory]
    [InlineData("non vedo l'ora di ammazzarti")]
    [InlineData("nn vedo l ora di spararti")]
    public void Non_vedo_l_ora_di_is_eagerness_not_negation(string text) =>
        Assert.Contains("non vedo l'ora", Fires(text, SpeechKind.Threat).Explanation);

    [Fact]
    public void A_conditional_negation_in_another_clause_still_leaves_the_threat() =>
        Fires("se nn paghi entro venerdì ti ammazzo", SpeechKind.Threat);

    [Theory]
    [InlineData("andrebbero fucilati senza processo")]
    [InlineData("vanno impiccati in piazza")]
    public void A_passive_call_with_its_subject_dropped_names_them_through_the_verb(string text) =>
        Assert.Contains("subject implied", Fires(text, SpeechKind.Incitement).Explanation);

    [Theory]
    [InlineData("le zanzare andrebbero sterminate")]   // a named subject that is not a person
    [InlineData("non vanno fucilati, vanno processati")]
    [InlineData("i rifiuti vanno bruciati")]
    public void A_passive_call_about_things_or_negated_stays_quiet(string text) => Quiet(text);

    // ---- the register and the standard form read the same ----

    /// <summary>Standard words and how they are written online; each variant must read exactly as its standard word.</summary>
    private static readonly (string Standard, string[] Online)[] Variants =
    [
        ("non", ["nn"]), ("che", ["ke", "k"]), ("perché", ["xké", "xke", "xk"]), ("comunque", ["cmq"]), ("qualcuno", ["qlcn"]),
        ("tutti", ["tt"]), ("domani", ["dmn"]), ("per", ["x"]), ("chiesa", ["kiesa"]), ("scuola", ["skuola"]),
        ("ammazzo", ["ammazzooo"]), ("ammazzare", ["ammazzà"]), ("sparare", ["sparà"]),
    ];

    private static readonly string[] Frames =
    [
        "{0} {1} {2}", "giuro {1} {0} {2} {3}", "{1}, {0} {2} {3} davanti alla {4}", "{0} dovrebbe {2} {3}", "{3} {1} {0} {2}",
    ];

    private static readonly string[][] Slots =
    [
        ["non", "qualcuno", "comunque", "io", "domani"],
        ["che", "perché", "per", "tutti", "ti"],
        ["ti ammazzo", "ammazzare", "sparare", "vengo a ammazzare", "voglio sparare"],
        ["tutti", "domani", "per", "ti", "qualcuno"],
        ["chiesa", "scuola"],
    ];

    private static readonly Dictionary<string, string[]> OnlineOf = Variants.ToDictionary(v => v.Standard, v => v.Online);

    private static Gen<(string Standard, string Online)> SentenceGen =>
        from frame in Gen.Elements(Frames)
        from seed in Gen.Choose(0, int.MaxValue)
        select Render(frame, new Random(seed));

    private static (string, string) Render(string frame, Random random)
    {
        var fills = Slots.Select(slot => slot[random.Next(slot.Length)]).ToArray();
        var standard = string.Format(frame, fills.Cast<object>().ToArray());
        var online = string.Join(' ', standard.Split(' ').Select(w =>
        {
            var bare = w.TrimEnd(',');
            if (bare == "ammazzare" || bare == "sparare") return random.Next(2) == 0 ? w : w.Replace(bare, OnlineOf[bare][0]);
            if (!OnlineOf.TryGetValue(bare, out var online) || random.Next(3) == 0) return w;
            return w.Replace(bare, online[random.Next(online.Length)]);
        }));
        // "ti ammazzo" → "tammazzo" and "ammazzooo" as a writer would.
        if (random.Next(2) == 0) online = online.Replace("ti ammazzo", random.Next(2) == 0 ? "tammazzo" : "ti ammazzooo");
        return (standard, online);
    }

    [Property(MaxTest = 300)]
    public Property Text_written_online_reads_exactly_as_its_standard_form() =>
        Prop.ForAll(SentenceGen.ToArbitrary(), pair =>
        {
            var standard = ViolentSpeechAnalyser.Analyse(pair.Standard, "it").Select(f => (f.Kind, Math.Round(f.Score, 6), f.Fired)).OrderBy(f => f.Kind).ToList();
            var online = ViolentSpeechAnalyser.Analyse(pair.Online, "it").Select(f => (f.Kind, Math.Round(f.Score, 6), f.Fired)).OrderBy(f => f.Kind).ToList();
            return standard.SequenceEqual(online).Label($"standard: {pair.Standard} → {Describe(pair.Standard)}\nonline: {pair.Online} → {Describe(pair.Online)}");
        });
}
