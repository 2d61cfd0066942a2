using Bulwark.Core.Signals.ViolentSpeech;
using FsCheck;
using FsCheck.Xunit;

namespace Bulwark.Tests.ViolentSpeech;

/// <summary>The violent-speech analyser on the issue's examples, idioms, modulators and bad input, in English and Italian.</summary>
public class AnalyserTests
{
    private static SpeechFinding? Top(string text, SpeechKind? kind = null, string? lang = null) =>
        ViolentSpeechAnalyser.Analyse(text, lang).FirstOrDefault(f => kind is null || f.Kind == kind);

    private static SpeechFinding Fires(string text, SpeechKind kind, string? lang = null)
    {
        var f = Top(text, kind, lang);
        Assert.True(f is { Fired: true }, $"expected a {kind} in \"{text}\"; found: {Describe(text)}");
        return f!;
    }

    private static void Quiet(string text, string? lang = null)
    {
        var fired = ViolentSpeechAnalyser.Analyse(text, lang).Where(f => f.Fired).ToList();
        Assert.True(fired.Count == 0, $"expected nothing in \"{text}\"; found: {Describe(text)}");
    }

    private static string Describe(string text) =>
        string.Join(" | ", ViolentSpeechAnalyser.Analyse(text).Select(f => $"{f.Kind} {f.Score:0.00} {f.Explanation}")) is { Length: > 0 } s ? s : "nothing";

    // ---- the issue's "Why" list ----

    [Fact]
    public void The_issues_threats_are_found_with_their_time_and_place()
    {
        var bomb = Fires("Next Friday I will blow myself up at the train station.", SpeechKind.Threat);
        Assert.True(bomb.Score >= 0.9);
        Assert.Equal("Next Friday", bomb.Time);
        Assert.Equal("at the train station", bomb.Place);
        Assert.Contains("suicide attack", bomb.Explanation);

        var stab = Fires("Friday I will stab the teacher in front of the class.", SpeechKind.Threat);
        Assert.Equal(("the teacher", "in front of the class", "Friday"), (stab.Target, stab.Place, stab.Time));
        Assert.True(stab.Score >= 0.9);

        var burn = Fires("Tomorrow we burn the synagogue down with everyone inside.", SpeechKind.Threat);
        Assert.Equal("Tomorrow", burn.Time);
        Assert.Contains("present-for-future", burn.Explanation);
        Assert.True(burn.Score >= 0.9);
    }

    [Fact]
    public void The_italian_threat_is_explained_in_the_words_of_the_issue()
    {
        var f = Fires("Venerdì accoltello il professore davanti alla classe.", SpeechKind.Threat, "it");
        Assert.Equal("first person present-for-future 'accoltello' + target 'il professore' + place 'davanti alla classe' + time 'Venerdì'", f.Explanation);
        Assert.Equal("it", f.Language);
        Assert.Equal(1.0, f.Score);
    }

    [Fact]
    public void The_issues_calls_to_attack_are_incitement()
    {
        var truck = Fires("Every true believer must take a truck and drive it into the crowds at the festival.", SpeechKind.Incitement);
        Assert.Equal("the crowds", truck.Target);
        Assert.Equal("at the festival", truck.Place);
        Assert.StartsWith("call 'Every true believer must", truck.Explanation);

        var sgozzate = Fires("Fratelli, sgozzate gli infedeli ovunque li troviate.", SpeechKind.Incitement, "it");
        Assert.Equal("imperative 'sgozzate' + target 'gli infedeli'", sgozzate.Explanation);
    }

    [Fact]
    public void The_issues_glorification_is_found_in_both_languages()
    {
        var it = Fires("Il fratello che ha attaccato la chiesa è un martire, che il suo esempio ispiri migliaia.", SpeechKind.Glorification, "it");
        Assert.Contains("praise 'un martire'", it.Explanation);
        Assert.Contains("'ha attaccato la chiesa'", it.Explanation);
        var en = Fires("The brother who attacked the church is a martyr, may his example inspire thousands.", SpeechKind.Glorification, "en");
        Assert.True(en.Score >= 0.9 && it.Score >= 0.9);
    }

    [Theory]
    [InlineData("My boss is going to kill me if I'm late again.")]
    [InlineData("wow nice")]
    [InlineData("Al")]
    [InlineData("user4")]
    public void The_issues_false_alarms_stay_quiet(string text) => Assert.Empty(ViolentSpeechAnalyser.Analyse(text, "en"));

    // ---- idioms, the speaker as victim, games ----

    [Theory]
    [InlineData("This song kills me.")]
    [InlineData("I could murder a pizza.")]
    [InlineData("You're killing it!")]
    [InlineData("I'm going to kill some time before the train.")]
    [InlineData("She'll shoot me a text later.")]
    [InlineData("We're going to execute the plan tomorrow.")]
    [InlineData("I'd kill for a coffee.")]
    [InlineData("I'm going to kill myself laughing.")]
    [InlineData("We destroyed them in the final.")]
    [InlineData("Got a headshot and killed the boss, gg.")]
    [InlineData("Mi hai ucciso con questa battuta.")]
    [InlineData("Mia madre mi ammazza se faccio tardi.")]
    [InlineData("Ammazza che caldo!")]
    [InlineData("La Juve ha ammazzato il campionato.")]
    [InlineData("Smettila di sparare cazzate.")]
    [InlineData("Domani ti ammazzo alla partita di calcetto ahahah.")]
    public void Idioms_games_and_the_speaker_as_victim_are_not_threats(string text) => Quiet(text);

    // ---- modulators ----

    [Fact]
    public void Negation_cancels_and_reported_speech_quotes_and_questions_lower_the_score()
    {
        Quiet("I would never kill anyone.");
        Quiet("I will not hurt you.");
        Quiet("Non ti farei mai del male.");
        Quiet("Non ucciderei mai nessuno.");
        Quiet("He said he would kill the teacher.");

        var plain = Fires("Ti ammazzo.", SpeechKind.Threat, "it");
        var quoted = Top("Mi ha scritto \"ti ammazzo\" ieri sera.", SpeechKind.Threat, "it");
        Assert.NotNull(quoted);
        Assert.True(quoted.Score < SpeechFinding.FiresAt && quoted.Score < plain.Score, $"{quoted.Score} {quoted.Explanation}");
        Assert.True((quoted.Modifiers & (SpeechModifiers.Reported | SpeechModifiers.Quoted)) != 0);

        var question = Top("Should I kill him tomorrow?", SpeechKind.Threat);
        Assert.NotNull(question);
        Assert.True((question.Modifiers & SpeechModifiers.Question) != 0);
        Assert.True(question.Score < Fires("I should kill him tomorrow.", SpeechKind.Threat).Score);
    }

    [Fact]
    public void Conditional_threats_are_threats_and_say_so()
    {
        var en = Fires("If you show up at the mosque again, I will stab you.", SpeechKind.Threat);
        Assert.True((en.Modifiers & SpeechModifiers.Conditional) != 0, en.Explanation);
        var it = Fires("Se ti rivedo davanti alla moschea, ti sgozzo.", SpeechKind.Threat, "it");
        Assert.Equal("davanti alla moschea", it.Place);
    }

    [Fact]
    public void Score_grows_with_each_part_the_text_names()
    {
        var bare = Fires("I will kill you.", SpeechKind.Threat).Score;
        var time = Fires("I will kill you tomorrow.", SpeechKind.Threat).Score;
        var both = Fires("I will kill you tomorrow at the station.", SpeechKind.Threat).Score;
        var weak = Fires("I will hurt you.", SpeechKind.Threat).Score;
        Assert.True(weak < bare && bare < time && time < both, $"{weak} {bare} {time} {both}");
        Assert.Null(Top("I will kill.", SpeechKind.Threat)); // no one named: not a threat
    }

    // ---- Italian morphology and enclitics ----

    [Theory]
    [InlineData("Voglio ammazzarti.", SpeechKind.Threat)]
    [InlineData("Ucciderò il sindaco.", SpeechKind.Threat)]
    [InlineData("Sto per sparargli.", SpeechKind.Threat)]
    [InlineData("Uccideteli tutti.", SpeechKind.Incitement)]
    [InlineData("Sgozzateli!", SpeechKind.Incitement)]
    [InlineData("Ammazzala!", SpeechKind.Incitement)]
    [InlineData("Voglio farla esplodere davanti all'ambasciata.", SpeechKind.Threat)]
    [InlineData("Qualcuno dovrebbe ammazzarlo.", SpeechKind.Incitement)]
    [InlineData("Questi traditori andrebbero impiccati.", SpeechKind.Incitement)]
    [InlineData("Gli infedeli meritano di morire.", SpeechKind.Incitement)]
    [InlineData("Darò fuoco alla sinagoga.", SpeechKind.Threat)]
    [InlineData("T'ammazzo.", SpeechKind.Threat)]
    public void Italian_forms_are_read_from_the_generated_table(string text, SpeechKind kind) => Fires(text, kind, "it");

    // ---- bad input ----

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("🔥🔥🔥💀")]
    [InlineData("?!?!... ,,, ;;")]
    [InlineData("\u200B\u200C\u200D\uFEFF")]
    [InlineData("\uD800 lone surrogate \uDC00")]
    public void Empty_emoji_punctuation_and_invisible_text_give_nothing(string text) => Assert.Empty(ViolentSpeechAnalyser.Analyse(text));

    [Fact]
    public void Null_text_gives_nothing() => Assert.Empty(ViolentSpeechAnalyser.Analyse(null));

    [Theory]
    [InlineData("I will k1ll you tomorrow.")]
    [InlineData("I will ki\u200Bll you tomorrow.")]
    [InlineData("I will k i l l you tomorrow.")]
    [InlineData("I will kіll you tomorrow.")] // Cyrillic і
    [InlineData("I WILL KILL YOU TOMORROW!!!")]
    [InlineData("Domani amm4zzo il prof.")]
    [InlineData("Domani s p a r o al prof.")]
    [InlineData("Domani ti a\u200Bmmazzo.")]
    public void Obfuscated_verbs_are_read_through_the_normaliser(string text) => Fires(text, SpeechKind.Threat);

    [Fact]
    public void Mixed_languages_are_read_with_both_lexicons()
    {
        Fires("Bro honestly, domani ti ammazzo.", SpeechKind.Threat);
        Fires("Ciao a tutti! Tomorrow I will shoot the teacher.", SpeechKind.Threat);
    }

    [Fact]
    public void A_threat_at_the_end_of_64_KiB_of_text_is_found()
    {
        var filler = string.Concat(Enumerable.Repeat("We had a lovely walk by the river and the weather was nice. ", 1100));
        Assert.True(filler.Length > 64 * 1024);
        var f = Fires(filler + "Friday I will stab the teacher in front of the class.", SpeechKind.Threat);
        Assert.True(f.Start > 64 * 1024);
        Assert.Equal("Friday", f.Time);
    }

    /// <summary>Any UTF-16 sequence (lone surrogates, controls, format characters included) is read without throwing; scores
    /// stay in (0, 1] and every finding points inside the text. At most one finding per kind and sentence keeps the output bounded.</summary>
    [Property(MaxTest = 500)]
    public bool Random_unicode_never_throws_and_findings_stay_in_range(int[] codes)
    {
        var text = new string(codes.Select(c => (char)(c & 0xFFFF)).ToArray());
        return Check(text);
    }

    private static readonly string[] Pieces =
    [
        "I", "will", "kill", "you", "we", "'ll", "ti", "ammazzo", "non", "never", "tomorrow", "venerdì", "at the station", "alla stazione",
        "the teacher", "gli infedeli", "martyr", "martire", "attack", "join", "caliphate", "death to", "morte agli", "deserve to die",
        "should be shot", "andrebbero", "impiccati", "sgozzate", "farò", "saltare", "in aria", "fare", "dare", "fuoco", "blow", "up", "myself",
        "\"", "'", "«", "»", ",", ".", "?", "!", ";", "\n", " ", "  ", "\u200B", "🔥", "k1ll", "s p a r o", "if", "se", "lol", "game", "he said",
        "mi ha scritto", "every", "someone", "should", "must", "let's", "qualcuno", "dovrebbe", "voglio", "sto", "per", "there will be", "a massacre",
        "you're", "dead", "sei", "morto", "know where you live", "so dove abiti", "long live", "islamic state", "unisciti", "ai fratelli",
    ];

    /// <summary>Random sentences built from the analyser's own vocabulary reach every branch of its grammar; none may throw.</summary>
    [Property(MaxTest = 2000)]
    public bool Random_sentences_from_the_lexicon_never_throw(int[] picks)
    {
        var text = string.Join(" ", picks.Select(p => Pieces[(p & int.MaxValue) % Pieces.Length]));
        return Check(text);
    }

    private static bool Check(string text)
    {
        var findings = ViolentSpeechAnalyser.Analyse(text, "en");
        var sentences = Math.Max(1, text.Count(c => c is '.' or '!' or '?' or ';' or '\n' or '\r' or '…' or '|') + 1);
        return findings.Count <= 4 * sentences
            && findings.All(f => f.Score is > 0 and <= 1 && f.Explanation.Length > 0 && f.Start >= 0 && f.Start + f.Length <= text.Length);
    }

    private static readonly string[] Fillers =
    [
        "We walked along the river after lunch.", "The weather was lovely all week.", "Ieri abbiamo mangiato una pizza buonissima.",
        "My sister bought a new bicycle.", "Il treno era in ritardo di dieci minuti.", "Thanks for the photos, they are beautiful.",
        "Che bella giornata al mare!", "I need to finish my homework before dinner.", "La nonna ha fatto i biscotti.",
    ];

    /// <summary>Unrelated sentences before and after a threat neither hide it nor change its score: a threat is scored in its own sentence.</summary>
    [Property(MaxTest = 300)]
    public bool Unrelated_sentences_around_a_threat_do_not_dilute_it(int[] before, int[] after)
    {
        const string threat = "Venerdì accoltello il professore davanti alla classe.";
        var alone = ViolentSpeechAnalyser.Analyse(threat).Single(f => f.Kind == SpeechKind.Threat).Score;
        static string Pick(int[] picks) => string.Join(" ", picks.Select(p => Fillers[(p & int.MaxValue) % Fillers.Length]));
        var text = $"{Pick(before)} {threat} {Pick(after)}";
        return ViolentSpeechAnalyser.Analyse(text).Any(f => f.Kind == SpeechKind.Threat && f.Score == alone);
    }

    [Fact]
    public void The_analyser_is_safe_to_call_from_many_threads()
    {
        var texts = new[] { "Venerdì accoltello il professore davanti alla classe.", "wow nice", "Kill them all.", "I could murder a pizza." };
        var expected = texts.Select(t => Describe(t)).ToArray();
        Parallel.For(0, 2000, i => Assert.Equal(expected[i % texts.Length], Describe(texts[i % texts.Length])));
    }
}
