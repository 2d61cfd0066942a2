using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Reports.Transparency;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>The reports speak the statement-of-reasons vocabulary, and a mapping outside it is refused when configured.</summary>
public class CategoryMappingTests
{
    [Fact]
    public void Every_restriction_key_of_the_reports_is_a_statement_of_reasons_value()
    {
        var all = SorVocabulary.DecisionVisibilities.Concat(SorVocabulary.DecisionMonetaries).Concat(SorVocabulary.DecisionProvisions).Concat(SorVocabulary.DecisionAccounts).ToHashSet();
        Assert.All(DsaMeasures.All, k => Assert.Contains(k, all));
        Assert.All(new[] { "AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY" }, k => Assert.Contains(k, SorVocabulary.AutomatedDecisions));
    }

    [Fact]
    public void A_policy_mapped_to_an_unknown_category_or_keyword_is_refused_at_configuration_time()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policy", "catalogue.json"));
        Assert.NotNull(PolicyCatalogue.Parse(shipped, out var ok));
        Assert.Empty(ok);
        PolicyCatalogue.Parse(shipped.Replace("\"KEYWORD_TERRORIST_CONTENT\"", "\"KEYWORD_TERRORISM\""), out var badKeyword);
        Assert.Contains(badKeyword, e => e.Contains("'KEYWORD_TERRORISM' is not a known keyword", StringComparison.Ordinal));
        PolicyCatalogue.Parse(shipped.Replace("\"STATEMENT_CATEGORY_VIOLENCE\"", "\"STATEMENT_CATEGORY_EXTREMISM\""), out var badCategory);
        Assert.Contains(badCategory, e => e.Contains("'STATEMENT_CATEGORY_EXTREMISM' is not a known statement category", StringComparison.Ordinal));
    }
}
