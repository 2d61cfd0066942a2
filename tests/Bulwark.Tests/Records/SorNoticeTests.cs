using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Records;

public class SorNoticeTests
{
    private static readonly StatementOfReasons Statement = SorBuilder.Build(SorFixtures.Input() with
    {
        AccountRestriction = AccountRestriction.Suspended, AccountRestrictionEnds = new DateOnly(2026, 2, 14), TerritorialScope = ["IT", "GR"],
        AutomatedDecision = Automation.Partially,
    }).Statement!;

    private static readonly NoticeContext Context = new("Violent extremism: glorification", "Content that glorifies violent extremist attacks is not allowed.",
        "https://platform.example/appeals/bulwark-decision-1", new DateOnly(2026, 7, 15));

    [Fact]
    public void The_english_notice_says_what_where_how_long_why_whether_automated_and_how_to_appeal()
    {
        var text = SorNotice.Render(Statement, Context, "en");
        Assert.Contains("your content was removed (with no end date)", text);
        Assert.Contains("your account was suspended (until Saturday, 14 February 2026)", text);
        Assert.Contains("Greece, Italy", text);
        // The facts paragraph is written from the structured fields, not copied from the statement's free text.
        Assert.Contains("Our automated systems detected this video on our own initiative. A reviewer, with the help of our automated systems, confirmed that it breaks our policy \"Violent extremism: glorification\".", text);
        Assert.DoesNotContain("hash list", text);
        Assert.Contains("The content was detected by automated means.", text);
        Assert.Contains("with the help of automated means and checked by people", text);
        Assert.Contains("Violent extremism: glorification: Content that glorifies", text);
        Assert.Contains("The content breaks our terms: Community Guidelines, Violent extremism (VE-GLORIFY).", text);
        Assert.Contains("https://platform.example/appeals/bulwark-decision-1 until Wednesday, 15 July 2026", text);
        Assert.Contains("out-of-court dispute settlement", text);
        Assert.Contains("Reference: bulwark-decision-1", text);
    }

    [Fact]
    public void The_italian_notice_carries_the_same_parts_in_italian()
    {
        var text = SorNotice.Render(Statement, Context with
        {
            PolicyName = "Estremismo violento: apologia", PolicyExplanation = "Non sono ammessi contenuti che esaltano attacchi estremisti violenti.",
        }, "it-IT");
        Assert.Contains("il tuo contenuto è stato rimosso (senza data di fine)", text);
        Assert.Contains("il tuo account è stato sospeso (fino al sabato 14 febbraio 2026)", text);
        Assert.Contains("Grecia, Italia", text);
        Assert.Contains("Il contenuto è stato individuato con strumenti automatizzati.", text);
        Assert.Contains("verificata da persone", text);
        Assert.Contains("I nostri sistemi automatizzati hanno individuato il contenuto (un video) di nostra iniziativa. Un revisore, con l'ausilio dei nostri sistemi automatizzati, ha confermato che viola la nostra policy «Estremismo violento: apologia».", text);
        Assert.Contains("Il contenuto viola i nostri termini, policy «Estremismo violento: apologia»", text);
        Assert.Contains("Riteniamo inoltre illegali", text);
        Assert.Contains("entro il mercoledì 15 luglio 2026", text);
        Assert.Contains("risoluzione extragiudiziale", text);
        Assert.DoesNotContain("your content", text);
    }

    [Fact]
    public void Every_eea_country_reads_as_everywhere_and_unknown_languages_fall_back_to_english()
    {
        var everywhere = SorBuilder.Build(SorFixtures.Input()).Statement!;
        Assert.Contains("In every EU and EEA country.", SorNotice.Render(everywhere, Context, "de"));
        Assert.Contains("In tutti i paesi dell'UE e del SEE.", SorNotice.Render(everywhere, Context, "it"));
    }

    public static TheoryData<string, string, Automation, bool> Combinations()
    {
        var data = new TheoryData<string, string, Automation, bool>();
        foreach (var policy in PolicyCatalogue.Default.Policies!.Select(p => p.Id!))
            foreach (var source in Enum.GetValues<SorSource>())
                foreach (var automation in Enum.GetValues<Automation>())
                    data.Add(policy, source.ToString(), automation, automation != Automation.NotAutomated);
        return data;
    }

    /// <summary>
    /// Every paragraph of an Italian notice is Italian, for every policy, source, automation and ground: the facts are written
    /// from the structured fields in Italian, and the English free text of the statement (facts, ground explanation) is left out.
    /// </summary>
    [Theory]
    [MemberData(nameof(Combinations))]
    public void No_paragraph_of_an_italian_notice_is_english(string policyId, string source, Automation automation, bool automatedDetection)
    {
        var policy = PolicyCatalogue.Default.Find(policyId)!;
        foreach (var illegal in new[] { false, true })
        {
            var built = SorBuilder.Build(SorFixtures.Input() with
            {
                Source = Enum.Parse<SorSource>(source), TrustedFlaggerName = "Synthetic Hotline Association", AutomatedDecision = automation,
                AutomatedDetection = automatedDetection, Facts = null, PolicyId = policyId, PolicyName = policy.Name!.En,
                Ground = illegal ? DecisionGround.IllegalContent : DecisionGround.IncompatibleContent,
                GroundReference = illegal ? "Regulation (EU) 2021/784, Art. 2(7)" : $"Community Guidelines, violent extremism policy {policyId} ({policy.Title})",
                GroundExplanation = policy.Explanation!.En!, AlsoIllegal = illegal ? null : true,
                AccountRestriction = AccountRestriction.Suspended, AccountRestrictionEnds = new DateOnly(2026, 2, 14), TerritorialScope = ["IT", "GR"],
            });
            Assert.True(built.Ok, string.Join("; ", built.Errors.Select(e => $"{e.Field} {e.Message}")));
            var context = new NoticeContext(policy.Name.For("it")!, policy.Explanation.For("it")!, "https://platform.example/appeals/1", new DateOnly(2026, 7, 15));
            var italian = SorNotice.Render(built.Statement!, context, "it");
            Assert.Empty(EnglishText.EnglishParagraphs(italian));
            // The detector is not blind: the same notice in English is found English.
            Assert.NotEmpty(EnglishText.EnglishParagraphs(SorNotice.Render(built.Statement!, context with { PolicyName = policy.Name.En!, PolicyExplanation = policy.Explanation.En! }, "en")));
        }
    }
}
