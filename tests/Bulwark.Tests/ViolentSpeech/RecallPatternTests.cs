using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals.ViolentSpeech;

namespace Bulwark.Tests.ViolentSpeech;

/// <summary>
/// The pattern classes added for recall on realistic wording (issue #15): weapons as intent, passive future, elliptic threats,
/// particle verbs, emphatic "myself", "we're", tag questions, Italian clitic and dialect threats, glorification slang,
/// recruitment calls, and the instructions kind with its shipped rule. Every sentence here is written for this test (none is
/// taken from the development sets), each class with a benign contrast that must stay quiet.
/// </summary>
public class RecallPatternTests
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
        string.Join(" | ", ViolentSpeechAnalyser.Analyse(text).Select(f => $"{f.Kind} {f.Score:0.00} {f.Explanation}")) is { Length: > 0 } s ? s : "nothing";

    [Theory]
    [InlineData("On Saturday I'll be outside the library with my brother's shotgun")]
    [InlineData("im bringing gasoline to the youth club tonight")]
    [InlineData("we're coming for the mayor with guns, wait and see")]
    [InlineData("sabato porto il fucile di mio padre in oratorio")]
    [InlineData("stasera ti aspetto sotto l'ufficio col machete")]
    [InlineData("domenica ci vado armato allo stadio")]
    public void Arriving_armed_with_a_time_place_or_person_is_a_threat(string text) =>
        Assert.Contains("arriving armed", Fires(text, SpeechKind.Threat).Explanation);

    [Theory]
    [InlineData("I'm bringing a knife to cut the birthday cake at the party tomorrow")]
    [InlineData("On Saturday I'll be at the range with my rifle")]
    [InlineData("he's bringing his gun to the station tomorrow")]
    [InlineData("sabato porto il coltello per la torta alla festa")]
    [InlineData("domenica vado a caccia col fucile")]
    public void Weapons_for_cooking_hunting_or_someone_else_are_not_the_speakers_threat(string text) => Quiet(text);

    [Theory]
    [InlineData("the accountant who fired me is getting shot on monday")]
    [InlineData("keep talking and ur getting stabbed")]
    [InlineData("the old warehouse on Dock Lane will burn tomorrow night")]
    public void A_passive_or_intransitive_future_announces_a_threat(string text) => Fires(text, SpeechKind.Threat);

    [Theory]
    [InlineData("The suspect will be executed tomorrow, prosecutors said")]
    [InlineData("the toast will burn tomorrow if you leave it")]
    [InlineData("he was getting stabbed when the police arrived")]
    public void Passives_in_news_past_or_kitchens_stay_quiet(string text) => Quiet(text);

    [Theory]
    [InlineData("that referee is a dead man, I know his car")]
    [InlineData("my neighbour's getting a bullet in his head")]
    [InlineData("i'm going to cave your skull in")]
    [InlineData("imma fuck u up")]
    [InlineData("I'll cut you open")]
    [InlineData("we're going to hunt them down")]
    [InlineData("if the court frees him I'll shoot him myself")]
    [InlineData("mess with me again and i'll drown you in the canal")]
    public void Elliptic_and_particle_threats_are_found(string text) => Fires(text, SpeechKind.Threat);

    [Theory]
    [InlineData("he was dressed as a dead man for halloween")]
    [InlineData("I'm a dead man if I miss this deadline")]
    [InlineData("he took a bullet in his leg in the war")]
    [InlineData("the roof will cave in if it keeps snowing")]
    [InlineData("I'm going to kill myself laughing")]
    public void Their_contrasts_stay_quiet(string text) => Quiet(text);

    [Fact]
    public void A_tag_question_does_not_halve_a_threat()
    {
        var f = Fires("say a word to anyone and i'll shoot you, understand?", SpeechKind.Threat);
        Assert.DoesNotContain("question", f.Explanation);
        Assert.Contains("question", Top("will you shoot the video, understand?", SpeechKind.Threat)?.Explanation ?? "question");
    }

    [Theory]
    [InlineData("ti sotterro, hai capito")]
    [InlineData("t'accir")]
    [InlineData("ti apro la testa come un melone")]
    [InlineData("a quel vigile gli spacco la faccia")]
    [InlineData("te faccio secco")]
    [InlineData("quel giornalista lo faccio sparire")]
    [InlineData("se mi fai causa ti ammazzo, e nn scherzo")]
    public void Italian_clitic_and_dialect_threats_are_found(string text) => Fires(text, SpeechKind.Threat);

    [Theory]
    [InlineData("ti apro la porta alle otto")]
    [InlineData("ho cambiato lo sfondo del telefono")]
    [InlineData("gli taglio i capelli domani")]
    [InlineData("faccio sparire la torta in un minuto")]
    [InlineData("nn ti ammazzo, tranquillo")]
    public void Their_italian_contrasts_stay_quiet(string text) => Quiet(text);

    [Theory]
    [InlineData("the guy who shot up the mall is an absolute chad")]
    [InlineData("whoever bombed the courthouse is a legend")]
    [InlineData("quello che ha accoltellato il sindaco è un mito")]
    public void Glorification_slang_praises_an_attack(string text) => Fires(text, SpeechKind.Glorification);

    [Theory]
    [InlineData("RIP to the victims of the mall shooting, the firefighters were heroes")]
    [InlineData("La strage di Piazza della Loggia colpì San Benedetto")]
    [InlineData("that goat at the petting zoo is a legend")]
    public void Slang_praise_without_an_attack_or_with_victims_stays_quiet(string text) => Quiet(text);

    [Theory]
    [InlineData("The Red Hand needs fighters in Ohio. weapons and training provided")]
    [InlineData("cerchiamo uomini coraggiosi. armi e addestramento a carico nostro")]
    public void A_recruitment_call_with_a_word_of_armed_struggle_is_support(string text) =>
        Assert.Equal("recruitment", Fires(text, SpeechKind.Support).Cue);

    [Theory]
    [InlineData("Our bakery needs volunteers for the summer fair")]
    [InlineData("cerchiamo ragazzi per il turno di sera in pizzeria")]
    public void Ordinary_recruitment_stays_quiet(string text) => Quiet(text);

    [Theory]
    [InlineData("aim for the guard's throat, the collar leaves it open")]
    [InlineData("bring a machete and wait by the exit of the mosque")]
    [InlineData("go when the worshippers leave, nobody there is armed")]
    [InlineData("target the pilgrims at the shrine, there's no security")]
    [InlineData("prendete una pistola e andate davanti alla sinagoga")]
    [InlineData("colpite all'alba quando dormono, nessuno reagisce")]
    [InlineData("se il giudice ha la scorta colpite quando esce dal palazzo, senza controlli")]
    [InlineData("noleggiate un furgone, il momento migliore è quando la piazza è piena, poi accelerate contro la folla")]
    public void Attack_instructions_are_their_own_kind(string text)
    {
        var f = Fires(text, SpeechKind.Instructions);
        Assert.StartsWith("instruction '", f.Explanation);
        Assert.Contains("+ method '", f.Explanation);
        Assert.Contains("+ target '", f.Explanation);
    }

    [Theory]
    [InlineData("target the tourists with ads at the beach")]
    [InlineData("go for the goal, the keeper is out")]
    [InlineData("in self-defence go for the attacker's eyes")]
    [InlineData("pick the busiest market on saturday for the best fruit")]
    [InlineData("go when the doors open to get the best seats at the cinema")]
    [InlineData("andate al mercato quando è pieno, ci sono più offerte")]
    [InlineData("se piove aspettate che smetta e andate al mercato quando è pieno")]
    [InlineData("don't go for the neck")]
    public void Marketing_sport_self_defence_and_shopping_advice_is_not_instructions(string text) => Quiet(text);

    [Fact]
    public async Task The_shipped_rules_send_instructions_to_review_under_VE_INSTRUCT()
    {
        var set = RuleSet.Shipped();
        var ctx = new PipelineContext(1, "i1", 1, new ContentEvent { Id = "i1", Kind = "comment", Text = "bring a machete and wait by the exit of the mosque" });
        Assert.True((await new ViolentSpeechExtractor(new ViolentSpeechOptions()).ExtractAsync(ctx, default)).Ok);
        var signal = Assert.Single(ctx.Signals, s => s.Type == ViolentSpeechSignalTypes.Instructions);
        Assert.Contains("fired", signal.Labels!);
        var input = new RuleInput(ctx.Signals, "comment", "en", "GB", "upload", 0, AccountFacts.None);
        var hits = new List<RuleHit>();
        set.Evaluate(input, hits);
        var d = DecisionBuilder.Build(set, hits, input, "i1", "acct", new EnforcementOptions());
        Assert.Contains(d.Fired, h => h.Policy == "VE-INSTRUCT");
        Assert.True(d.Outcome is Outcomes.Review or Outcomes.Remove or Outcomes.Escalate, $"outcome {d.Outcome}");
    }
}
