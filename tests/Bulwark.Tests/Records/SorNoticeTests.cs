using Bulwark.Core.Records.StatementsOfReasons;

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
        Assert.Contains(Statement.DecisionFacts!, text);
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
        var text = SorNotice.Render(Statement, Context with { PolicyName = "Estremismo violento: apologia" }, "it-IT");
        Assert.Contains("il tuo contenuto è stato rimosso (senza data di fine)", text);
        Assert.Contains("il tuo account è stato sospeso (fino al sabato 14 febbraio 2026)", text);
        Assert.Contains("Grecia, Italia", text);
        Assert.Contains("Il contenuto è stato individuato con strumenti automatizzati.", text);
        Assert.Contains("verificata da persone", text);
        Assert.Contains("Il contenuto viola i nostri termini", text);
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
}
