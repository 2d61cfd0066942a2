using Bulwark.Core.Signals.ViolentSpeech;

namespace Bulwark.Tests.ViolentSpeech;

/// <summary>
/// The phrase patterns of the analyser (SpeechPhrases, issue #15): threats with no violent verb, warnings and announcements
/// with a time or place, calls to arms, calls to imitate, recruitment and advice-style instructions. Every sentence here was
/// written for this test — none is a development- or frozen-set row — and each class has contrasts that must stay quiet.
/// </summary>
public class PhraseTests
{
    private static SpeechFinding? Top(string text, SpeechKind kind) =>
        ViolentSpeechAnalyser.Analyse(text).FirstOrDefault(f => f.Kind == kind);

    private static SpeechFinding Fires(string text, SpeechKind kind)
    {
        var f = Top(text, kind);
        Assert.True(f is { Fired: true }, $"expected a {kind} in \"{text}\"; found: {Describe(text)}");
        return f!;
    }

    private static void Quiet(string text)
    {
        var fired = ViolentSpeechAnalyser.Analyse(text).Where(f => f.Fired).ToList();
        Assert.True(fired.Count == 0, $"expected nothing in \"{text}\"; found: {Describe(text)}");
    }

    private static string Describe(string text) =>
        string.Join(" | ", ViolentSpeechAnalyser.Analyse(text).Select(f => $"{f.Kind} {f.Score:0.00} {f.Explanation}"));

    [Theory]
    [InlineData("you won't live to see your birthday, rat")]
    [InlineData("keep it up and u aint gonna see next week")]
    [InlineData("Your kids won't be coming home from practice if you open your mouth")]
    [InlineData("snitch one more time and they'll be fishing you out of the canal")]
    [InlineData("Talk to the cops again and your mother will be picking out your coffin")]
    [InlineData("I know which nursery your little girl goes to. Nice red coat she has.")]
    [InlineData("If I can't have her, no one will")]
    [InlineData("Would be a real shame if something happened to that shop of yours")]
    [InlineData("go on, report me. then see what happens to your car")]
    [InlineData("ima put one in ya head soon as i see u")]
    public void English_threats_without_a_violent_verb_fire(string text) => Fires(text, SpeechKind.Threat);

    [Theory]
    [InlineData("non arrivi a Natale, te lo prometto")]
    [InlineData("se parli coi carabinieri tuo figlio nn torna a casa")]
    [InlineData("ti ritroveranno nel fiume, pezzo per pezzo")]
    [InlineData("tua moglie ti riconoscerà solo dalla fede al dito")]
    [InlineData("alla prossima parola ti faccio sputare sangue")]
    [InlineData("azzardati a denunciarmi e vedrai cosa succede alla tua famiglia")]
    [InlineData("sarebbe un peccato se succedesse qualcosa al tuo bar")]
    [InlineData("ti spacco le gambe appena esci, infame")]
    public void Italian_threats_without_a_violent_verb_fire(string text) => Fires(text, SpeechKind.Threat);

    [Theory]
    [InlineData("Don't come to college on Thursday. Last warning.", "Thursday")]
    [InlineData("friday at the market, nobody walks out of there alive", "friday")]
    [InlineData("sabato sera non venite al concerto in piazza, siete avvisati", "sabato")]
    [InlineData("Domenica in chiesa non esce nessuno vivo", "Domenica")]
    public void Warnings_with_a_time_are_announcements_that_reach_the_escalation_line(string text, string time)
    {
        var f = Fires(text, SpeechKind.Threat);
        Assert.True(f.Score >= 0.8, $"\"{text}\": {f.Score} {f.Explanation}");
        Assert.Contains(time, f.Time, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Don't come to school tomorrow, it's closed for the snow")]
    [InlineData("nobody leaves the office tonight until the release is signed off")]
    [InlineData("non venite a scuola domani, c'è sciopero")]
    [InlineData("you won't see Monday's episode coming, the twist is wild")]
    [InlineData("My ex texted me 'you won't see Christmas'. Screenshotted it and went to the police.")]
    [InlineData("so sorry I'll miss your grandma's funeral on Friday")]
    [InlineData("con questo stipendio non arrivi a fine mese")]
    [InlineData("say goodbye to your wrinkles with this cream")]
    [InlineData("the lifeguard will pull you out of the lake if you get tired")]
    [InlineData("I could strangle my flatmate when he leaves the dishes")]
    [InlineData("ti strozzerei quando canti sotto la doccia")]
    [InlineData("We absolutely buried them 4-0, what a game")]
    [InlineData("goditi questi ultimi giorni d'estate")]
    [InlineData("enjoy your last days of holiday!")]
    [InlineData("best day of my life, my daughter was born")]
    public void Hard_negatives_of_the_same_wording_stay_quiet(string text) => Quiet(text);

    [Theory]
    [InlineData("Brothers, grab your rifles. The talking is over.", SpeechKind.Incitement)]
    [InlineData("if any of you spots that councillor in town, you know what to do", SpeechKind.Incitement)]
    [InlineData("fratelli, tirate fuori i coltelli, è ora", SpeechKind.Incitement)]
    [InlineData("Andrebbero messi al muro, questi politici", SpeechKind.Incitement)]
    [InlineData("the man who shot up the mall is in paradise now. follow his example", SpeechKind.Glorification)]
    [InlineData("the bomber at the stadium did the world a favour. legend", SpeechKind.Glorification)]
    [InlineData("chi ha fatto la strage al mercato ha fatto un favore a tutti. leggenda", SpeechKind.Glorification)]
    [InlineData("I have sworn my oath to the caliph, may God accept it", SpeechKind.Support)]
    [InlineData("cerchiamo ragazzi per la cellula di Torino, armi e addestramento li mettiamo noi", SpeechKind.Support)]
    [InlineData("Cut the brake lines on her car and let the hill do the rest", SpeechKind.Instructions)]
    [InlineData("bloccate le porte prima di dare fuoco, così non scappa nessuno", SpeechKind.Instructions)]
    public void Calls_praise_support_and_instructions_without_the_usual_grammar_fire(string text, SpeechKind kind) => Fires(text, kind);

    [Theory]
    [InlineData("grab your rifles lads, deer season opens saturday")]
    [InlineData("affilate i coltelli, stasera si cucina il cinghiale")]
    [InlineData("My grandad is in heaven now, follow his example and be kind")]
    [InlineData("the army is recruiting soldiers, training starts in June")]
    [InlineData("the mechanic cut the brake lines by mistake and replaced them")]
    [InlineData("Calling the attacker a legend is sick. He murdered children.")]
    public void Their_contrasts_stay_quiet(string text) => Quiet(text);

    [Theory]
    [InlineData("you won't s\u200Bee Monday")]       // zero-width space inside a word
    [InlineData("you won't see M\u043Enday")]         // Cyrillic о in "Monday"
    [InlineData("YOU WON'T SEE MONDAY!!!")]
    [InlineData("you w0n't see Monday")]              // leetspeak
    [InlineData("non arr1vi a lunedì")]                // leetspeak
    public void Obfuscated_phrases_are_read_through_the_normaliser(string text) => Fires(text, SpeechKind.Threat);

    [Fact]
    public void A_phrase_threat_at_the_end_of_64_KiB_is_found_and_explained()
    {
        var filler = string.Concat(Enumerable.Repeat("The bakery on the corner sells the best bread in town, honestly. ", 1050));
        Assert.True(filler.Length > 64 * 1024);
        var f = Fires(filler + "Tomorrow at the station nobody gets out alive.", SpeechKind.Threat);
        Assert.True(f.Start > 64 * 1024);
        Assert.Contains("nobody walks out alive", f.Explanation);
        Assert.Equal("Tomorrow", f.Time);
    }

    [Fact]
    public void Every_phrase_pattern_compiles_and_is_reachable_from_its_first_word()
    {
        Assert.True(SpeechPhrases.Patterns.Length > 150, $"{SpeechPhrases.Patterns.Length} patterns");
        foreach (var p in SpeechPhrases.Patterns)
        {
            var compiled = ViolentSpeechAnalyser.CompilePhrase(p);
            Assert.NotEmpty(compiled.Elements);
            Assert.True(compiled.Elements[0].Gap == 0 && !compiled.Elements[0].Optional, $"'{p.Spec}' starts with a gap or an optional word");
            Assert.InRange(p.Weight, 0.3, 0.8);
        }
        Assert.True(ViolentSpeechAnalyser.PhraseIndex.Count > 300, $"{ViolentSpeechAnalyser.PhraseIndex.Count} first words indexed");
    }

    [Fact]
    public void A_pattern_naming_an_unknown_word_class_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ViolentSpeechAnalyser.CompilePhrase(new PhrasePattern("@NOPE you", SpeechKind.Threat, 0.5, "x")));
        Assert.Contains("@NOPE", error.Message);
    }
}
